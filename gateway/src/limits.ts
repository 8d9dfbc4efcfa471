import type { ApolloServerPlugin } from '@apollo/server';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@bicentennial/schema';
import { type Logger } from '@bicentennial/service';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { GatewayEnv } from './env';

/**
 * The cost of a field: 1, plus its selections; a page (a field with a `first` argument) counts its
 * selections once per row it can return — `first` as the subgraph will apply it, whether written
 * in the operation, passed as a variable or left to its default. Lists without pages (a state's
 * ports, an area's objectives) are small reference lists and count once: the depth limit bounds
 * walks that cycle through them.
 */
export const pageCost: ComplexityEstimator = ({ field, args, childComplexity }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return 1 + childComplexity;
  const asked = typeof args['first'] === 'number' ? args['first'] : DEFAULT_PAGE_SIZE;
  // Subgraphs refuse a `first` outside 1–100 (`pageSize`): such a page can cost no more than 100 rows.
  const rows = Math.min(Math.max(asked, 1), MAX_PAGE_SIZE);
  return 1 + rows * childComplexity;
};

/** How many fields (fragments expanded) an operation may have for its cost to be worked out. */
const MAX_COSTED_FIELDS = 10_000;

/** The cost of an operation (`pageCost` for every field, fragments spread); throws past MAX_COSTED_FIELDS fields. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string,
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    ...(operationName ? { operationName } : {}),
    estimators: [pageCost],
    maxQueryNodes: MAX_COSTED_FIELDS,
  });
}

/** Refuses an operation whose cost (`pageCost`, with its variables) is above `maxCost`, before it is planned. */
export function costLimitPlugin(maxCost: number, logger: Logger): ApolloServerPlugin {
  /** A refusal: HTTP 400 with GRAPHQL_VALIDATION_FAILED, like the other limits, and a log line. */
  const refuse = (message: string) => {
    logger.info({ reason: message }, 'operation refused by a query limit');
    return new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
  };
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ request, document, schema, operation, operationName }) => {
          // Variables that do not fit their types are execution's to refuse, with its own coded error.
          const variables = getVariableValues(schema, operation?.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return Promise.resolve();
          // Anything else that keeps the cost from being worked out refuses the operation.
          let cost: number;
          try {
            cost = operationCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw refuse(
              reason.includes('maximum allowed number of nodes')
                ? `Operation too large to cost: it expands to more than ${MAX_COSTED_FIELDS} fields (a fragment counts at every spread).`
                : `Operation cannot be costed: ${reason}`,
            );
          }
          if (cost > maxCost) {
            throw refuse(
              `Operation cost ${cost} exceeds the limit of ${maxCost} ` +
                `(a page counts its fields once per row it may return: its first, or ${DEFAULT_PAGE_SIZE} when not given).`,
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

export interface QueryLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  parseOptions: ParseOptions;
}

/**
 * Limits on an operation's shape, checked before it is planned or reaches any subgraph: depth,
 * aliases and directives (graphql-armor's validation rules), tokens (graphql-js's parser, which
 * stops at the limit) and cost (`costLimitPlugin`). An operation over a limit gets HTTP 400 with
 * one error, GRAPHQL_VALIDATION_FAILED (GRAPHQL_PARSE_FAILED for tokens), naming the limit.
 */
export function queryLimits(env: GatewayEnv, logger: Logger): QueryLimits {
  // Each limit gets its own handler list: graphql-armor appends its reporter to the list it is given.
  const rejected = () => [
    (_context: unknown, error: Error) => logger.info({ reason: error.message }, 'operation refused by a query limit'),
  ];
  const armor = new ApolloArmor({
    maxDepth: { n: env.QUERY_MAX_DEPTH, onReject: rejected() },
    maxAliases: { n: env.QUERY_MAX_ALIASES, onReject: rejected() },
    maxDirectives: { n: env.QUERY_MAX_DIRECTIVES, onReject: rejected() },
    // Armor's cost ignores variables and default page sizes (`costLimitPlugin` counts both), and
    // its Apollo token plugin parses every document a second time and answers 500.
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // The schema is public (introspection is on): suggestions help analysts more than they hide.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: [...armor.plugins, costLimitPlugin(env.QUERY_MAX_COST, logger)],
    parseOptions: { maxTokens: env.QUERY_MAX_TOKENS },
  };
}
