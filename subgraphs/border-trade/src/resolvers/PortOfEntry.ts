import { childPage, provenanceOf, regionRef } from '@bicentennial/subgraph-kit';
import type { PortOfEntryResolvers } from '../generated/graphql';

export const PortOfEntry: PortOfEntryResolvers = {
  __resolveReference: ({ code }, { loaders }) => loaders.port.load(code),
  state: (port) => regionRef(port.stateCode),
  counterpartState: (port) => (port.counterpartState ? regionRef(port.counterpartState) : null),
  provenance: (port, _args, { loaders }) => provenanceOf(port, loaders.source),
  drugSeizures: (port, args, { loaders }) =>
    loaders.seizuresByPort.load(childPage(port.code, args, { drug: args.drug })),
  smugglingInterdictions: (port, args, { loaders }) => loaders.interdictionsByPort.load(childPage(port.code, args)),
};
