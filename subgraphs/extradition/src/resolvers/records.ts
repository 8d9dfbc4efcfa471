import { loadNodes, objectiveRef, pageSize, provenanceOf } from '@bicentennial/schema';
import type {
  ExtraditionCaseConnectionResolvers,
  ExtraditionCaseResolvers,
  TransferActionConnectionResolvers,
  TransferActionResolvers,
} from '../generated/graphql';
import { organizationRef } from './refs';

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

export const ExtraditionCaseConnection: ExtraditionCaseConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.extraditionCase, page.nodes),
};

export const TransferActionConnection: TransferActionConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.transferAction, page.nodes),
};
