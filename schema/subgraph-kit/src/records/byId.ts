import type DataLoader from 'dataloader';
import { loaderByKey } from '../subgraph/loaders';

/**
 * The part of a Prisma model delegate (`prisma.drugSeizure`) a loader by id reads, written
 * structurally so that each subgraph's own generated client fits as it is.
 */
export interface ByIdModel<Row> {
  findMany(args: { where: { id: { in: string[] } } }): Promise<Row[]>;
}

/** A per-request loader of a model's rows by id: one `findMany … where id in (…)` per tick. */
export function loaderById<Row extends { id: string }>(model: ByIdModel<Row>): DataLoader<string, Row | null> {
  return loaderByKey(
    (ids) => model.findMany({ where: { id: { in: [...ids] } } }),
    (row) => row.id,
  );
}
