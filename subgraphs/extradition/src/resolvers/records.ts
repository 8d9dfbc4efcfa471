import { pageSize, provenanceOf } from '@bicentennial/schema';
import type {
  ExtraditionCaseConnectionResolvers,
  ExtraditionCaseResolvers,
  TransferActionConnectionResolvers,
  TransferActionResolvers,
} from '../generated/graphql';
import { objectiveRef, organizationRef } from './refs';

export const ExtraditionCase: ExtraditionCaseResolvers = {
  objective: (extradition) => objectiveRef(extradition.objectiveId),
  // The stored `status` is the record's provenance status; the case's own stage is `caseStatus`.
  status: (extradition) => extradition.caseStatus,
  organization: (extradition) => (extradition.organizationSlug ? organizationRef(extradition.organizationSlug) : null),
  transferAction: (extradition, _args, { loaders }) =>
    extradition.transferActionId ? loaders.transferActionByRecordId.load(extradition.transferActionId) : null,
  provenance: (extradition, _args, { loaders }) => provenanceOf(extradition, loaders.source),
};

export const TransferAction: TransferActionResolvers = {
  objective: (transfer) => objectiveRef(transfer.objectiveId),
  personsNotNamed: async (transfer, _args, { loaders }) =>
    Math.max(0, transfer.personsTransferred - (await loaders.caseCountByTransferAction.load(transfer.recordId))),
  cases: (transfer, { first, after }, { loaders }) =>
    loaders.casesByTransferAction.load({ parent: transfer.recordId, first: pageSize(first), after: after ?? null }),
  provenance: (transfer, _args, { loaders }) => provenanceOf(transfer, loaders.source),
};

const present = <T>(rows: (T | null)[]): T[] => rows.filter((row): row is T => row !== null);

export const ExtraditionCaseConnection: ExtraditionCaseConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.extraditionCase.loadMany(page.nodes))),
};

export const TransferActionConnection: TransferActionConnectionResolvers = {
  nodes: async (page, _args, { loaders }) => present(ok(await loaders.transferAction.loadMany(page.nodes))),
};

/** `loadMany` answers an Error in place of a row whose load failed: surface it. */
function ok<T>(rows: (T | Error)[]): T[] {
  const failed = rows.find((row): row is Error => row instanceof Error);
  if (failed) throw failed;
  return rows.filter((row): row is T => !(row instanceof Error));
}
