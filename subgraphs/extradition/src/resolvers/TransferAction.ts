import { childPage, objectiveRef, provenanceOf } from '@bicentennial/subgraph-kit';
import type { TransferActionResolvers } from '../generated/graphql';

export const TransferAction: TransferActionResolvers = {
  objective: (transfer) => objectiveRef(transfer.objectiveId),
  personsNotNamed: async (transfer, _args, { loaders }) =>
    Math.max(0, transfer.personsTransferred - (await loaders.caseCountByTransferAction.load(transfer.recordId))),
  cases: (transfer, args, { loaders }) => loaders.casesByTransferAction.load(childPage(transfer.recordId, args)),
  provenance: (transfer, _args, { loaders }) => provenanceOf(transfer, loaders.source),
};
