import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Logger } from 'pino';
import { createFormatError } from '@bicentennial/service';

type SchemaModule = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>[number];
/** The resolver map `buildSubgraphSchema` takes (not exported by @apollo/subgraph's entry point). */
export type SubgraphResolvers = NonNullable<Extract<SchemaModule, { typeDefs: DocumentNode }>['resolvers']>;

export interface SubgraphServerOptions<C extends BaseContext> {
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  logger: Logger;
  plugins?: ApolloServerPlugin<C>[];
}

/** Resolvers for the shared scalars (schema/sdl/shared.graphql). */
export const sharedScalarResolvers = { Date: DateResolver, DateTime: DateTimeResolver };

/**
 * A subgraph's ApolloServer: the federated schema, errors masked by `createFormatError`, no
 * landing page (the gateway serves the IDE; the default one would load from a CDN). It does not
 * listen: tests call `executeOperation`, `serveSubgraph` puts it on HTTP.
 */
export function createSubgraphServer<C extends BaseContext>(options: SubgraphServerOptions<C>): ApolloServer<C> {
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: { ...sharedScalarResolvers, ...options.resolvers } },
  ]);
  return new ApolloServer<C>({
    schema,
    logger: options.logger,
    formatError: createFormatError(options.logger),
    includeStacktraceInErrorResponses: false,
    // The process's own SIGTERM/SIGINT handler drains and closes the database too; Apollo's would
    // re-raise the signal and kill the process before that.
    stopOnTerminationSignals: false,
    introspection: true,
    // No Apollo Studio here: no inline traces for the gateway to forward.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ...(options.plugins ?? []),
    ],
  });
}
