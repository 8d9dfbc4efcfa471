import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type {
  GatewayExecutor,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
} from '@apollo/server-gateway-interface';
import {
  ANONYMOUS,
  ErrorCode,
  hasScope,
  Scope,
  WRITABLE_SUBGRAPHS,
  writeScope,
  type Caller,
} from '@bicentennial/schema';
import {
  AuthenticationError,
  authorizeOperation,
  bearerToken,
  callerAllows,
  createCallerVerifier,
  createInternalSigner,
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_ISSUER,
  ensureDevelopmentKeys,
  readPrivateJwkFile,
  requirementsFromSdl,
  restoreRemoved,
  type CallerVerifier,
  type InternalSigner,
  type Logger,
  type Requirements,
} from '@bicentennial/service';
import type { Request, RequestHandler, Response } from 'express';
import {
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { PriorLookup } from './responseCache';
import type { GatewayEnv } from './env';

/** What each GraphQL request's context holds: the verified caller (ANONYMOUS without a token). */
export interface GatewayContext {
  caller: Caller;
  /** The subgraphs this request fetched from (the data sources add to it; the response cache reads it). */
  fetched?: Set<string>;
  /** The response cache's lookup made before Apollo Server (earlyAnswers.ts), when it found nothing to serve. */
  priorLookup?: PriorLookup | undefined;
}

/** The verifier of callers' tokens and the signer of internal tokens, from the settings. */
export interface GatewayKeys {
  verifier: CallerVerifier;
  signer: InternalSigner;
  /** `development` when the generated keys are in use (never in production: the rules refuse it). */
  source: 'configured' | 'development';
}

/**
 * Keys from AUTH_* and INTERNAL_SIGNING_KEY_PATH; in development, whatever is unset comes from
 * the generated development keys (DEV_KEYS_DIR), which `npm run token` signs with.
 */
export async function loadGatewayKeys(env: GatewayEnv, logger: Logger): Promise<GatewayKeys> {
  const configured = Boolean(env.AUTH_JWKS_PATH ?? env.AUTH_JWKS_URL) && Boolean(env.INTERNAL_SIGNING_KEY_PATH);
  const development = configured ? undefined : await ensureDevelopmentKeys(env.DEV_KEYS_DIR);
  if (development) logger.info({ dir: development.dir }, 'using the development keys (PROFILE=development)');
  const jwks = env.AUTH_JWKS_URL
    ? { url: env.AUTH_JWKS_URL }
    : { path: env.AUTH_JWKS_PATH ?? development!.issuer.jwksPath };
  const verifier = createCallerVerifier({
    jwks,
    issuer: env.AUTH_ISSUER ?? DEVELOPMENT_ISSUER,
    audience: env.AUTH_AUDIENCE ?? DEVELOPMENT_AUDIENCE,
    clockToleranceSeconds: env.AUTH_CLOCK_TOLERANCE_SECONDS,
  });
  const privateJwk = env.INTERNAL_SIGNING_KEY_PATH
    ? readPrivateJwkFile(env.INTERNAL_SIGNING_KEY_PATH)
    : development!.internal.privateJwk;
  const signer = await createInternalSigner({ privateJwk, ttlSeconds: env.INTERNAL_TOKEN_TTL_SECONDS });
  return { verifier, signer, source: development ? 'development' : 'configured' };
}

/** The one answer to a request whose token does not prove who is asking (the reason is logged only). */
export function sendUnauthenticated(res: Response): void {
  res
    .status(401)
    .set('WWW-Authenticate', 'Bearer')
    .json({
      errors: [
        {
          message: 'The bearer token is not valid: send a valid token, or none to ask as the public.',
          extensions: { code: ErrorCode.UNAUTHENTICATED },
        },
      ],
    });
}

/**
 * Express middleware: no `Authorization` header is the public (ANONYMOUS); a token that verifies
 * is its caller (`res.locals.caller`); anything else is 401 UNAUTHENTICATED, and `onRefused` is
 * told (the audit trail records it).
 */
export function authenticate(
  verifier: CallerVerifier,
  logger: Logger,
  onRefused: (req: Request, res: Response, reason: string) => void,
): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (token === undefined) {
      res.locals['caller'] = ANONYMOUS;
      next();
      return;
    }
    const refuse = (reason: string) => {
      logger.info({ reason, ip: req.ip }, 'request refused: bearer token not valid');
      onRefused(req, res, reason);
      sendUnauthenticated(res);
    };
    if (token === null) {
      refuse('Authorization is not a Bearer JWT');
      return;
    }
    verifier.verify(token).then(
      (caller) => {
        res.locals['caller'] = caller;
        next();
      },
      (error: unknown) => {
        if (error instanceof AuthenticationError) refuse(error.reason);
        else next(error);
      },
    );
  };
}

/** Who may introspect under PROFILE=production: analysts, and writers (the ingest describes its input types). */
export function mayIntrospect(caller: Caller): boolean {
  return hasScope(caller, Scope.ANALYST) || WRITABLE_SUBGRAPHS.some((s) => hasScope(caller, writeScope(s)));
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** Whether the selected operation asks `__schema` or `__type` at its root (or in a root fragment). */
function introspects(operation: OperationDefinitionNode | undefined | null, fragments: Map<string, unknown>): boolean {
  if (!operation) return false;
  const seen = new Set<string>();
  const walk = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return INTROSPECTION_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return walk(selection.selectionSet.selections);
      if (seen.has(selection.name.value)) return false;
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value) as FragmentDefinitionNode | undefined;
      return fragment ? walk(fragment.selectionSet.selections) : false;
    });
  return walk(operation.selectionSet.selections);
}

/**
 * Introspection in production only for callers `mayIntrospect` (FORBIDDEN otherwise); in
 * development for everyone, as the IDE needs it.
 */
export function introspectionGuard(profile: GatewayEnv['PROFILE']): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ document, operation, contextValue }) => {
          if (profile !== 'production' || mayIntrospect(contextValue.caller)) return Promise.resolve();
          const fragments = new Map(
            document.definitions
              .filter((d) => d.kind === Kind.FRAGMENT_DEFINITION)
              .map((d) => [d.name.value, d] as const),
          );
          if (!introspects(operation, fragments)) return Promise.resolve();
          throw new GraphQLError(
            `introspection needs the ${Scope.ANALYST} scope (or a write scope) under the production profile`,
            { extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } } },
          );
        },
      }),
  };
}

/**
 * @apollo/gateway with federation's authorization directives enforced, before planning, as
 * Apollo's router documents them: the fields and types the caller may not see
 * (`@authenticated`, `@requiresScopes`, `@policy`, read from the supergraph) are removed from the
 * operation, the rest is planned and executed, and each removed path comes back `null` (with
 * GraphQL's null propagation) and one UNAUTHORIZED_FIELD_OR_TYPE error. An operation with nothing
 * left is answered `data: null` with those errors, reaching no subgraph. An operation touching no
 * directive is handed to the gateway as it is. Key fields needed to join subgraphs are the
 * planner's own, so they are fetched whatever the client may see.
 */
export class AuthorizingGateway implements GatewayInterface {
  private requirements: Requirements = new Map();

  constructor(
    private readonly inner: GatewayInterface & { onSchemaLoadOrUpdate: GatewayInterface['onSchemaLoadOrUpdate'] },
  ) {
    inner.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => {
      this.requirements = requirementsFromSdl(coreSupergraphSdl);
    });
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    const loaded = await this.inner.load(options);
    return { executor: loaded.executor ? this.authorizing(loaded.executor) : null };
  }

  onSchemaLoadOrUpdate(callback: Parameters<GatewayInterface['onSchemaLoadOrUpdate']>[0]) {
    return this.inner.onSchemaLoadOrUpdate(callback);
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }

  /**
   * What of `document` this caller may run (the rest removed, as an execution would remove it),
   * for explaining an operation without running it.
   */
  authorize(schema: GraphQLSchema, document: DocumentNode, operationName: string | null, caller: Caller) {
    return authorizeOperation({
      schema,
      requirements: this.requirements,
      document,
      operationName,
      allows: callerAllows(caller),
    });
  }

  private authorizing(executor: GatewayExecutor): GatewayExecutor {
    return async (requestContext: GatewayGraphQLRequestContext) => {
      const caller = (requestContext.context as Partial<GatewayContext>).caller ?? ANONYMOUS;
      const { document, operationName, schema } = requestContext;
      const result = authorizeOperation({
        schema,
        requirements: this.requirements,
        document,
        operationName,
        allows: callerAllows(caller),
      });
      if (result.removed.length === 0) return executor(requestContext);
      if (result.nothingLeft) return { data: null, errors: result.errors };
      // The gateway plans (and caches plans) by `queryHash`: the filtered operation gets its own.
      const queryHash = createHash('sha256').update(print(result.document)).digest('hex');
      const filtered = Object.create(requestContext, {
        document: { value: result.document },
        queryHash: { value: queryHash },
      }) as GatewayGraphQLRequestContext;
      const response = await executor(filtered);
      const data = restoreRemoved({
        schema,
        document,
        operationName,
        data: response.data,
        removed: result.removed,
        variables: requestContext.request.variables,
      });
      return { ...response, data, errors: [...result.errors, ...(response.errors ?? [])] };
    };
  }
}
