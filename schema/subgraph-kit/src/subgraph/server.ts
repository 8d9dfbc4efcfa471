import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode } from 'graphql';
import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Logger } from 'pino';
import { ErrorCode, type Caller } from '@bicentennial/schema';
import { authorizeOperation, callerAllows, createFormatError, requirementsFromSdl } from '@bicentennial/service';
import { GraphQLError } from 'graphql';
import { requestLanguagePlugin } from './language';
import { refuseNulInput } from './nulInput';

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
/**
 * Defence in depth: the subgraph enforces its own `@authenticated`, `@requiresScopes` and
 * `@policy` again, from the caller the gateway's internal token names, whatever the gateway
 * checked. The gateway removes what a caller may not see before it plans, so a subgraph never
 * receives such a field from it; one that arrives anyway (a gateway bug, a forged plan) refuses
 * the whole operation, 403 UNAUTHORIZED_FIELD_OR_TYPE, naming each path.
 */
export function enforceAccess<C extends BaseContext & { caller: Caller }>(
  typeDefs: DocumentNode,
): ApolloServerPlugin<C> {
  const requirements = requirementsFromSdl(typeDefs);
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ schema, document, operationName, contextValue }) => {
          const result = authorizeOperation({
            schema,
            requirements,
            document,
            operationName,
            allows: callerAllows(contextValue.caller),
          });
          if (result.removed.length === 0) return Promise.resolve();
          throw new GraphQLError(
            `not allowed for this caller: ${result.removed.map((r) => r.path.join('.')).join(', ')}`,
            {
              extensions: {
                code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE,
                paths: result.removed.map((r) => r.path),
                http: { status: 403 },
              },
            },
          );
        },
      }),
  };
}

export function createSubgraphServer<C extends BaseContext & { caller: Caller }>(
  options: SubgraphServerOptions<C>,
): ApolloServer<C> {
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
      enforceAccess<C>(options.typeDefs),
      // Text PostgreSQL cannot hold (U+0000) in any argument: one BAD_USER_INPUT before any resolver.
      refuseNulInput<C>(),
      // Each request's language (the gateway's Accept-Language), for text fields asked without `lang`.
      requestLanguagePlugin<C>(),
      ...(options.plugins ?? []),
    ],
  });
}
