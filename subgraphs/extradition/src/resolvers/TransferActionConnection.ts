import { loadNodes } from '@bicentennial/subgraph-kit';
import type { TransferActionConnectionResolvers } from '../generated/graphql';

export const TransferActionConnection: TransferActionConnectionResolvers = {
  nodes: (page, _args, { loaders }) => loadNodes(loaders.transferAction, page.nodes),
};
