import { Supergraph, operationFromDocument } from '@apollo/federation-internals';
import {
  QueryPlanner,
  prettyFormatQueryPlan,
  type PlanNode,
  type QueryPlan,
  type SubscriptionNode,
} from '@apollo/query-planner';
import { ErrorCode, type Caller } from '@bicentennial/schema';
import type { Logger } from '@bicentennial/service';
import type { RequestHandler } from 'express';
import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { AuthorizingGateway } from './access';
import {
  costDirectivesFromSupergraph,
  expandedFieldCount,
  introspectionDepthRefusal,
  formatLimitErrors,
  MAX_COSTED_FIELDS,
  OperationTooLarge,
  operationCost,
  type CostDirectives,
} from './limits';
import { forApolloGateway } from './supergraph';

/** What `POST /explain` answers for an operation it could plan. */
export interface Explanation {
  operationName: string | null;
  operationType: 'query' | 'mutation' | 'subscription';
  /** The query plan as the gateway would run it for this caller: null when nothing is left to run. */
  plan: { text: string; node: PlanNode | SubscriptionNode | null } | null;
  /** The subgraphs the plan calls, in the order of their first fetch. */
  subgraphs: string[];
  /** How many fetches the plan makes (a fetch per subgraph call, entity fetches included). */
  fetches: number;
  /** The operation's estimated cost (its `@cost` / `@listSize`, with its variables) and the limit. */
  cost: { estimated: number; limit: number; withinLimit: boolean };
  /** The fields this caller may not see: removed before planning, `null` in an answer. */
  unauthorized: { path: string; message: string }[];
}

interface Planning {
  planner: QueryPlanner;
  apiSchema: ReturnType<Supergraph['apiSchema']>;
  directives: CostDirectives;
}

/** Every fetch of a plan, depth first, in the order the plan runs them. */
function fetchesOf(node: PlanNode | SubscriptionNode | undefined, into: string[] = []): string[] {
  if (!node) return into;
  switch (node.kind) {
    case 'Fetch':
      into.push(node.serviceName);
      break;
    case 'Sequence':
    case 'Parallel':
      for (const child of node.nodes) fetchesOf(child, into);
      break;
    case 'Flatten':
      fetchesOf(node.node, into);
      break;
    case 'Defer':
      fetchesOf(node.primary.node, into);
      for (const deferred of node.deferred) fetchesOf(deferred.node, into);
      break;
    case 'Condition':
      fetchesOf(node.ifClause, into);
      fetchesOf(node.elseClause, into);
      break;
    case 'Subscription':
      fetchesOf(node.primary, into);
      fetchesOf(node.rest, into);
      break;
  }
  return into;
}

class ExplainError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly status = 400,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Explains an operation without running it: parsed, validated and limited as `/graphql` would
 * (the same parser limits and validation rules), authorized for the caller (what they may not see
 * is removed, as it would be), costed with its variables, and planned by @apollo/query-planner
 * over the supergraph the gateway serves. No subgraph is called.
 */
export function explainHandler(options: {
  gateway: AuthorizingGateway;
  logger: Logger;
  maxCost: number;
  /** QUERY_MAX_DEPTH, named by a refusal of a document nested too deeply to parse. */
  depthLimit: number;
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
}): RequestHandler {
  const { gateway, logger } = options;
  let schema: { api: GraphQLSchema; sdl: string } | null = null;
  let planning: { sdl: string; value: Planning } | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    schema = { api: apiSchema, sdl: coreSupergraphSdl };
  });
  /** The planner of the schema being served, built on the first explanation after a change. */
  const planningFor = (sdl: string): Planning => {
    if (planning?.sdl !== sdl) {
      const supergraph = Supergraph.build(forApolloGateway(sdl));
      planning = {
        sdl,
        value: {
          apiSchema: supergraph.apiSchema(),
          planner: new QueryPlanner(supergraph),
          directives: costDirectivesFromSupergraph(sdl),
        },
      };
    }
    return planning.value;
  };

  const explain = (body: unknown, caller: Caller): Explanation => {
    if (!schema) throw new ExplainError('The gateway has not loaded its supergraph yet.', 'SERVICE_UNAVAILABLE', 503);
    const { api, sdl } = schema;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ExplainError(
        'The body must be a JSON object: { "query": "...", "variables": {...}, "operationName": "..." }.',
        'BAD_REQUEST',
      );
    }
    const { query, variables, operationName } = body as Record<string, unknown>;
    if (typeof query !== 'string' || query.trim() === '')
      throw new ExplainError('"query" must be a non-empty string.', 'BAD_REQUEST');
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
      throw new ExplainError('"variables" must be an object.', 'BAD_REQUEST');
    }
    if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
      throw new ExplainError('"operationName" must be a string.', 'BAD_REQUEST');
    }
    let document: DocumentNode;
    try {
      document = parse(query, options.parseOptions);
    } catch (error) {
      // The same codes as /graphql (limits.ts, formatLimitErrors): the token limit, a nesting
      // too deep for the parser, or a syntax error.
      if (!(error instanceof GraphQLError)) {
        throw new ExplainError(
          `The document is nested too deeply to be parsed, far beyond the depth limit of ${options.depthLimit}.`,
          ErrorCode.DEPTH_LIMIT_EXCEEDED,
          400,
          { limit: options.depthLimit },
        );
      }
      const formatted = formatLimitErrors((f) => f, options.depthLimit)(
        { message: error.message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
        error,
      );
      const { code, ...rest } = (formatted.extensions ?? {}) as { code: string };
      throw new ExplainError(formatted.message, code, 400, rest);
    }
    const invalid = validate(api, document, [...specifiedRules, ...options.validationRules]);
    if (invalid.length > 0) {
      // A query limit's own code (DEPTH_LIMIT_EXCEEDED, …, with its limit) before the others'.
      const deepIntrospection = invalid.map((error) => introspectionDepthRefusal(error.message)).find(Boolean);
      if (deepIntrospection) {
        const { message, code, limit } = deepIntrospection;
        throw new ExplainError(message, code, 400, { limit });
      }
      const limited = invalid.find((error) => typeof error.extensions['code'] === 'string');
      if (limited) {
        const { code, ...rest } = limited.extensions as { code: string };
        throw new ExplainError(limited.message, code, 400, rest);
      }
      throw new ExplainError(invalid.map((error) => error.message).join(' '), 'GRAPHQL_VALIDATION_FAILED');
    }
    const name = typeof operationName === 'string' ? operationName : null;
    const operation = getOperationAST(document, name);
    if (!operation) {
      throw new ExplainError(
        name
          ? `Unknown operation named "${name}".`
          : 'The document holds several operations: say which in "operationName".',
        // As /graphql says it (graphqlOverHttp.ts).
        'OPERATION_RESOLUTION_FAILURE',
      );
    }
    const { planner, apiSchema, directives } = planningFor(sdl);
    const fields = expandedFieldCount(document, name);
    if (fields > MAX_COSTED_FIELDS) {
      throw new ExplainError(new OperationTooLarge(fields).message, ErrorCode.FIELD_LIMIT_EXCEEDED, 400, {
        limit: MAX_COSTED_FIELDS,
      });
    }
    let estimated: number;
    try {
      estimated = operationCost(
        api,
        document,
        (variables ?? {}) as Record<string, unknown>,
        name ?? undefined,
        directives,
      );
    } catch (error) {
      throw new ExplainError(error instanceof Error ? error.message : String(error), 'BAD_USER_INPUT');
    }
    const authorized = gateway.authorize(api, document, name, caller);
    const unauthorized = authorized.errors.map((error) => ({
      path: (error.path ?? []).join('.'),
      message: error.message,
    }));
    let plan: QueryPlan | null = null;
    if (!authorized.nothingLeft) {
      plan = planner.buildQueryPlan(
        operationFromDocument(apiSchema, authorized.document, { operationName: name ?? undefined }),
      );
    }
    const fetches = fetchesOf(plan?.node);
    return {
      operationName: operation.name?.value ?? null,
      operationType: operation.operation,
      plan: plan ? { text: prettyFormatQueryPlan(plan), node: plan.node ?? null } : null,
      subgraphs: [...new Set(fetches)],
      fetches: fetches.length,
      cost: { estimated, limit: options.maxCost, withinLimit: estimated <= options.maxCost },
      unauthorized,
    };
  };

  return (req, res) => {
    const caller = res.locals['caller'] as Caller;
    try {
      res.set('Cache-Control', 'no-store').json(explain(req.body, caller));
    } catch (error) {
      if (error instanceof ExplainError) {
        res
          .status(error.status)
          .json({ errors: [{ message: error.message, extensions: { ...error.extensions, code: error.code } }] });
        return;
      }
      logger.error({ err: error }, 'an operation could not be explained');
      res.status(500).json({
        errors: [
          { message: 'The operation could not be explained.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
        ],
      });
    }
  };
}
