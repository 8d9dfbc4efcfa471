import { childPage } from '@bicentennial/subgraph-kit';
import type { PortOfEntryResolvers } from '../generated/graphql';

/** A port of entry as firearms knows it: its CBP port code (the border-trade subgraph resolves the rest). */
export interface PortRef {
  code: string;
}

export const portRef = (code: string): PortRef => ({ code });

export const PortOfEntry: PortOfEntryResolvers = {
  // border-trade owns the port; a code with no firearm seizures simply has an empty list here.
  __resolveReference: ({ code }) => portRef(code),
  firearmSeizures: (port, args, { loaders }) => loaders.seizuresByPort.load(childPage(port.code, args)),
};
