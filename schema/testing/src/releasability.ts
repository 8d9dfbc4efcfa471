import { recordedByOf, releasableFor, type Caller, type Releasability } from '@bicentennial/schema';
import { TEST_CALLER } from './subgraph';

/** What the write layer stores as `recordedBy` for a write by `TEST_CALLER` (`test-writer@TEST`). */
export const TEST_RECORDED_BY = recordedByOf(TEST_CALLER);

/**
 * The Prisma condition for the rows `caller` (default `TEST_CALLER`, a U.S. caller) may read:
 * for counting, on the test's unnarrowed client, what the subgraph should answer that caller.
 */
export function releasedTo(caller: Caller = TEST_CALLER): { releasableTo: { in: Releasability[] } } {
  return { releasableTo: { in: releasableFor(caller) } };
}

/** Whether a row's `releasableTo` lets `caller` (default `TEST_CALLER`) read it. */
export function visibleTo(row: { releasableTo: string }, caller: Caller = TEST_CALLER): boolean {
  return (releasableFor(caller) as string[]).includes(row.releasableTo);
}
