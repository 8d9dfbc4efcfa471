import type { Prisma } from '../generated/prisma/client';

/** Checks that every row names a registered source: one query for the whole batch. */
export async function sourceProblems(
  tx: Prisma.TransactionClient,
  rows: { sourceId: string }[],
): Promise<{ index: number; field: string; message: string }[]> {
  const ids = [...new Set(rows.map((r) => r.sourceId))];
  const sources = new Set(
    (await tx.source.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((s) => s.id),
  );
  return rows.flatMap((row, index) =>
    sources.has(row.sourceId)
      ? []
      : [{ index, field: 'sourceId', message: `source ${row.sourceId} does not exist; register it first` }],
  );
}
