import { ErrorCode } from '@bicentennial/schema';
import {
  AuthenticationError,
  bearerToken,
  createInternalVerifier,
  ensureDevelopmentKeys,
  readJwksFile,
  type InternalVerifier,
  type Logger,
} from '@bicentennial/service';
import type { SubgraphEnv } from '@bicentennial/subgraph-kit';
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';

/*
 * How the audit trail is written (README text, copy as is):
 *
 * The gateway sends its audit events in batches to `POST /internal/audit-events` of the audit
 * subgraph's own HTTP server: `{ "events": [ … ] }`, at most 1,000 per call, with
 * `Authorization: Bearer <internal token>` signed by the gateway for the audience `audit-ingest`
 * (a token for the audit subgraph's /graphql, or for any other subgraph, is refused). A call is
 * validated as a whole (any malformed event: 400 and nothing stored), then stored in one
 * transaction with `INSERT … ON CONFLICT (id) DO NOTHING`, and answered `{ stored,
 * alreadyPresent }` only once that transaction has committed: an event id already in the trail
 * (a batch sent again after a lost answer) is counted in `alreadyPresent` and stored once. A
 * failure to store answers 503 TRY_AGAIN, and nothing of the call is stored.
 */

/** The audience of the internal tokens this endpoint accepts (the gateway signs for it). */
export const AUDIT_INGEST_AUDIENCE = 'audit-ingest';
export const AUDIT_INGEST_PATH = '/internal/audit-events';
/** Events per call, at most: one call is one transaction. */
export const MAX_EVENTS_PER_CALL = 1000;
/** Generous: 1,000 events with long coordinate lists. The gateway splits a batch refused 413. */
export const INGEST_BODY_LIMIT = '32mb';

/**
 * Bounds on each field: an event is small and its text is machine-made. The gateway truncates to
 * the same bounds before sending (gateway/src/audit.ts, `AUDIT_FIELD_LIMITS`), so a real event
 * always fits; these are what the database is promised.
 */
export const FIELD_LIMITS = {
  subject: 200,
  agency: 40,
  operationName: 256,
  persistedQueryId: 128,
  coordinates: 5000,
  coordinate: 256,
  reason: 1000,
  errorCodes: 50,
  errorCode: 100,
  gateway: 200,
} as const;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in lower-case hex');
// PostgreSQL text holds neither NUL nor half a surrogate pair: refused here, as the event's fault
// (400), rather than failing the whole batch's insert (which the gateway would retry for ever).
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const storable = (value: string) => !value.includes('\u0000') && !UNPAIRED_SURROGATE.test(value);
const text = (max: number) =>
  z.string().min(1).max(max).refine(storable, 'must not hold NUL characters or unpaired surrogates');
const OUTCOMES = ['OK', 'PARTIAL', 'REFUSED', 'ERROR'] as const;

const eventSchema = z
  .strictObject({
    id: z.uuid(),
    occurredAt: z.iso.datetime({ offset: true }),
    subject: text(FIELD_LIMITS.subject).nullable(),
    agency: text(FIELD_LIMITS.agency).nullable(),
    country: z.enum(['US', 'MX']).nullable(),
    operationName: text(FIELD_LIMITS.operationName).nullable(),
    operationHash: sha256Hex.nullable(),
    persistedQueryId: text(FIELD_LIMITS.persistedQueryId).nullable(),
    coordinates: z.array(text(FIELD_LIMITS.coordinate)).max(FIELD_LIMITS.coordinates),
    variablesHash: sha256Hex.nullable(),
    outcome: z.enum(OUTCOMES),
    reason: text(FIELD_LIMITS.reason).nullable(),
    errorCodes: z.array(text(FIELD_LIMITS.errorCode)).max(FIELD_LIMITS.errorCodes),
    durationMs: z.number().nonnegative().max(86_400_000),
    gateway: text(FIELD_LIMITS.gateway),
  })
  // A verified caller has all three claims; an anonymous one none.
  .refine((e) => (e.subject === null) === (e.agency === null) && (e.agency === null) === (e.country === null), {
    message: 'subject, agency and country must be all set (a verified caller) or all null (anonymous)',
    path: ['subject'],
  });

const bodySchema = z.strictObject({ events: z.array(eventSchema).max(MAX_EVENTS_PER_CALL) });

export type IngestedEvent = z.infer<typeof eventSchema>;

/** The answer of a call that stored its batch. */
export interface IngestResult {
  /** Events written by this call. */
  stored: number;
  /** Events whose id the trail already held (or that came twice in the call): not written again. */
  alreadyPresent: number;
}

/**
 * Stores a batch in one transaction; an id already stored is skipped (`ON CONFLICT (id) DO
 * NOTHING`). The whole batch is one statement over a JSON parameter (`jsonb_to_recordset`), so
 * 1,000 events are one round trip whatever their size. Resolves once the transaction committed.
 */
export async function storeEvents(prisma: PrismaClient, events: readonly IngestedEvent[]): Promise<IngestResult> {
  if (events.length === 0) return { stored: 0, alreadyPresent: 0 };
  const stored = await prisma.$transaction(async (tx) => {
    // Bounded like every write of the graph (records/transactions.ts): a stuck statement fails.
    await tx.$queryRawUnsafe(`SELECT set_config('statement_timeout', '30000ms', true)`);
    return tx.$executeRawUnsafe(
      `INSERT INTO "AuditEvent" ("id", "occurredAt", "subject", "agency", "country", "operationName",
         "operationHash", "persistedQueryId", "coordinates", "variablesHash", "outcome", "reason",
         "errorCodes", "durationMs", "gateway")
       SELECT e."id", e."occurredAt", e."subject", e."agency", e."country", e."operationName",
         e."operationHash", e."persistedQueryId", e."coordinates", e."variablesHash",
         e."outcome"::"AuditOutcome", e."reason", e."errorCodes", e."durationMs", e."gateway"
       FROM jsonb_to_recordset($1::jsonb) AS e("id" uuid, "occurredAt" timestamptz, "subject" text,
         "agency" text, "country" text, "operationName" text, "operationHash" text,
         "persistedQueryId" text, "coordinates" text[], "variablesHash" text, "outcome" text,
         "reason" text, "errorCodes" text[], "durationMs" float8, "gateway" text)
       ON CONFLICT ("id") DO NOTHING`,
      JSON.stringify(events),
    );
  });
  return { stored, alreadyPresent: events.length - stored };
}

/**
 * The verifier of the gateway's tokens for this endpoint, from the same keys as the subgraph
 * kit's /graphql verifier (GATEWAY_JWKS_PATH, else the development keys). With a path the JWKS is
 * read now, so a missing or malformed file stops the start; the development keys are generated
 * on first use when absent.
 */
export function ingestVerifier(
  env: Pick<SubgraphEnv, 'GATEWAY_JWKS_PATH' | 'DEV_KEYS_DIR'>,
): () => Promise<InternalVerifier> {
  if (env.GATEWAY_JWKS_PATH) {
    const verifier = createInternalVerifier({
      jwks: readJwksFile(env.GATEWAY_JWKS_PATH),
      audience: AUDIT_INGEST_AUDIENCE,
    });
    return () => Promise.resolve(verifier);
  }
  let pending: Promise<InternalVerifier> | undefined;
  return () => {
    pending ??= ensureDevelopmentKeys(env.DEV_KEYS_DIR).then((keys) =>
      createInternalVerifier({ jwks: keys.internal.jwks, audience: AUDIT_INGEST_AUDIENCE }),
    );
    // A failure is not cached: the next call tries again.
    pending.catch(() => {
      pending = undefined;
    });
    return pending;
  };
}

function refuse(res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
}

/** Zod's problems as `events.3.occurredAt: …`, the first few only (a bad batch is usually bad throughout). */
function problems(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}

export interface IngestRouteOptions {
  prisma: PrismaClient;
  verifier: () => Promise<InternalVerifier>;
  logger: Logger;
}

/** Mounts `POST /internal/audit-events` (see the README text above). */
export function mountIngest(app: Express, options: IngestRouteOptions): void {
  const { prisma, logger } = options;
  const authenticate = async (req: Request, res: Response): Promise<boolean> => {
    const token = bearerToken(req.headers.authorization);
    try {
      await (await options.verifier()).verify(token ?? undefined);
      return true;
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      // The reason is logged, never returned: it would help a forger.
      logger.warn({ reason: error.reason }, 'audit events refused: no valid internal token');
      res.set('WWW-Authenticate', 'Bearer');
      refuse(
        res,
        401,
        ErrorCode.UNAUTHENTICATED,
        'audit events are accepted from the gateway only: no valid internal token',
      );
      return false;
    }
  };
  app.post(
    AUDIT_INGEST_PATH,
    // Authenticated before the body is read: an unauthenticated caller cannot make it parse 32 MB.
    (req, res, next) => {
      authenticate(req, res).then((ok) => (ok ? next() : undefined), next);
    },
    express.json({ limit: INGEST_BODY_LIMIT }),
    (req, res) => {
      const parsed = bodySchema.safeParse(req.body);
      if (!parsed.success) {
        refuse(res, 400, ErrorCode.BAD_USER_INPUT, `not a batch of audit events (at most ${MAX_EVENTS_PER_CALL})`, {
          problems: problems(parsed.error),
        });
        return;
      }
      storeEvents(prisma, parsed.data.events).then(
        (result) => {
          logger.debug({ ...result }, 'audit events stored');
          res.json(result);
        },
        (error: unknown) => {
          logger.error({ err: error, events: parsed.data.events.length }, 'audit events could not be stored');
          refuse(
            res,
            503,
            ErrorCode.TRY_AGAIN,
            'the audit events could not be stored; nothing of this call was: send it again',
            {
              retryable: true,
            },
          );
        },
      );
    },
  );
}
