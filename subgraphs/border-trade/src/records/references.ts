import { sourceProblems, type ReferenceProblem } from '@bicentennial/subgraph-kit';
import type { Prisma } from '../generated/prisma/client';

/**
 * Checks what rows refer to (a port that exists and lies in the state given; a registered source):
 * two queries for the whole batch.
 */
export async function portAndSourceProblems(
  tx: Prisma.TransactionClient,
  rows: { portCode: string | null; state: string; sourceId: string }[],
): Promise<ReferenceProblem[]> {
  const portCodes = [...new Set(rows.flatMap((r) => (r.portCode ? [r.portCode] : [])))];
  const ports = new Map(
    (
      await tx.portOfEntry.findMany({ where: { code: { in: portCodes } }, select: { code: true, stateCode: true } })
    ).map((p) => [p.code, p.stateCode]),
  );
  const portProblems = rows.flatMap((row, index) => {
    const problems: ReferenceProblem[] = [];
    if (row.portCode) {
      const state = ports.get(row.portCode);
      if (state === undefined)
        problems.push({ index, field: 'portCode', message: `port of entry ${row.portCode} does not exist` });
      else if (state !== row.state)
        problems.push({ index, field: 'state', message: `port ${row.portCode} is in ${state}, not ${row.state}` });
    }
    return problems;
  });
  return [...portProblems, ...(await sourceProblems(tx, rows))];
}
