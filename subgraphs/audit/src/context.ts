import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import type { PrismaClient } from './generated/prisma/client';

/** What every resolver receives: the one Prisma client and the verified caller of this request. */
export interface Context {
  prisma: PrismaClient;
  /** Who the gateway's internal token says is asking; anonymous when no caller was given. */
  caller: Caller;
}

/**
 * A request's context. Without a caller it is anonymous, which reads nothing of the trail: a
 * caller has to be proven (the internal token the subgraph kit verifies) to read it.
 */
export function createContext(prisma: PrismaClient, caller: Caller = ANONYMOUS): Context {
  return { prisma, caller };
}
