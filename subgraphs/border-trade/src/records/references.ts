import type { Prisma } from '../generated/prisma/client';

/**
 * Checks what rows refer to (a port that exists and lies in the state given; a registered source):
 * two queries for the whole batch.
 */
export async function portAndSourceProblems(
  tx: Prisma.TransactionClient,
  rows: { portCode: string | null; state: string; sourceId: string }[],
): Promise<{ index: number; field: string; message: string }[]> {
  const portCodes = [...new Set(rows.flatMap((r) => (r.portCode ? [r.portCode] : [])))];
  const ports = new Map(
    (
      await tx.portOfEntry.findMany({ where: { code: { in: portCodes } }, select: { code: true, stateCode: true } })
    ).map((p) => [p.code, p.stateCode]),
  );
  const sourceIds = [...new Set(rows.map((r) => r.sourceId))];
  const sources = new Set(
    (await tx.source.findMany({ where: { id: { in: sourceIds } }, select: { id: true } })).map((s) => s.id),
  );
  return rows.flatMap((row, index) => {
    const problems: { index: number; field: string; message: string }[] = [];
    if (row.portCode) {
      const state = ports.get(row.portCode);
      if (state === undefined)
        problems.push({ index, field: 'portCode', message: `port of entry ${row.portCode} does not exist` });
      else if (state !== row.state)
        problems.push({ index, field: 'state', message: `port ${row.portCode} is in ${state}, not ${row.state}` });
    }
    if (!sources.has(row.sourceId)) {
      problems.push({ index, field: 'sourceId', message: `source ${row.sourceId} does not exist; register it first` });
    }
    return problems;
  });
}
