import { randomUUID } from 'node:crypto';
import { ANONYMOUS, Scope, type Caller } from '@bicentennial/schema';
import { INTERNAL_ISSUER, type InternalSigner } from '@bicentennial/service';
import {
  createTestKeys,
  createThrowawayDatabase,
  describeOn,
  generateTestPair,
  TEST_DATABASES,
  type TestKeys,
  type ThrowawayDatabase,
} from '@bicentennial/testing';
import { importJWK, SignJWT, type KeyLike } from 'jose';
import { AUDIT_INGEST_AUDIENCE, MAX_EVENTS_PER_CALL } from '../ingest';
import { startTestAuditSubgraph, type TestAuditSubgraph } from '../testing';

/** One event as the gateway sends it. */
function event(overrides: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    subject: 'jdoe',
    agency: 'CBP',
    country: 'US',
    operationName: 'Seizures',
    operationHash: 'a'.repeat(64),
    persistedQueryId: null,
    coordinates: ['DrugSeizure.seizedOn', 'Query.drugSeizures'],
    variablesHash: 'b'.repeat(64),
    outcome: 'OK',
    reason: null,
    errorCodes: [],
    durationMs: 12.5,
    gateway: 'gateway-test',
    ...overrides,
  };
}

const AUDITOR: Caller = { subject: 'auditor-1', agency: 'OIG', country: 'US', scopes: [Scope.AUDITOR] };
const STAFF: Caller = { subject: 'jdoe', agency: 'CBP', country: 'US', scopes: [Scope.BORDER_TRADE_WRITE] };

describe.each(TEST_DATABASES)('the audit subgraph on $name', ({ kind }) => {
  describeOn(kind)('over HTTP', () => {
    let keys: TestKeys;
    let signer: InternalSigner;
    let throwaway: ThrowawayDatabase | undefined;
    let audit: TestAuditSubgraph;

    beforeAll(async () => {
      keys = await createTestKeys();
      signer = await keys.signer();
      throwaway = kind === 'postgres' ? await createThrowawayDatabase() : undefined;
      audit = await startTestAuditSubgraph({
        jwksPath: keys.internalJwksPath,
        ...(throwaway ? { databaseUrl: throwaway.url } : {}),
      });
    });
    afterAll(async () => {
      await audit?.stop();
      await throwaway?.drop();
      keys?.remove();
    });

    const post = async (body: unknown, token?: string | null) => {
      const authorization =
        token === undefined ? `Bearer ${await signer.sign(ANONYMOUS, AUDIT_INGEST_AUDIENCE)}` : token;
      const response = await fetch(audit.ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const graphql = async <T>(query: string, variables: Record<string, unknown>, caller: Caller) => {
      const response = await fetch(audit.graphqlUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await signer.sign(caller, 'audit')}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    };

    describe('POST /internal/audit-events', () => {
      it('stores a batch of 1,000 once, and a batch sent again adds nothing', async () => {
        const before = await audit.count();
        const batch = Array.from({ length: MAX_EVENTS_PER_CALL }, () => event());
        expect(await post({ events: batch })).toEqual({ status: 200, body: { stored: 1000, alreadyPresent: 0 } });
        expect(await audit.count()).toBe(before + 1000);

        expect(await post({ events: batch })).toEqual({ status: 200, body: { stored: 0, alreadyPresent: 1000 } });
        const half = [...batch.slice(0, 500), ...Array.from({ length: 500 }, () => event())];
        expect(await post({ events: half })).toEqual({ status: 200, body: { stored: 500, alreadyPresent: 500 } });
        expect(await audit.count()).toBe(before + 1500);
      });

      it('stores every field as sent, anonymous callers as nulls', async () => {
        const sent = event({
          subject: null,
          agency: null,
          country: null,
          operationName: null,
          persistedQueryId: 'c'.repeat(64),
          outcome: 'REFUSED',
          reason: 'UNAUTHORIZED_FIELD_OR_TYPE',
          errorCodes: ['UNAUTHORIZED_FIELD_OR_TYPE'],
          occurredAt: '2026-12-01T10:11:12.345Z',
        });
        const twice = [sent, { ...sent }];
        expect(await post({ events: twice })).toEqual({ status: 200, body: { stored: 1, alreadyPresent: 1 } });
        const row = await audit.running.prisma.auditEvent.findUniqueOrThrow({ where: { id: sent.id } });
        expect(row).toMatchObject({
          subject: null,
          agency: null,
          country: null,
          operationName: null,
          operationHash: sent.operationHash,
          persistedQueryId: sent.persistedQueryId,
          coordinates: sent.coordinates,
          variablesHash: sent.variablesHash,
          outcome: 'REFUSED',
          reason: 'UNAUTHORIZED_FIELD_OR_TYPE',
          errorCodes: ['UNAUTHORIZED_FIELD_OR_TYPE'],
          durationMs: 12.5,
          gateway: 'gateway-test',
        });
        expect(row.occurredAt.toISOString()).toBe('2026-12-01T10:11:12.345Z');
        expect(row.receivedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
      });

      describe('answers 401 and stores nothing', () => {
        const refusedWith = async (authorization: string | null) => {
          const before = await audit.count();
          const answer = await post({ events: [event()] }, authorization);
          expect(answer.status).toBe(401);
          expect(answer.body).toEqual({
            errors: [{ message: expect.stringMatching(/gateway only/), extensions: { code: 'UNAUTHENTICATED' } }],
          });
          expect(await audit.count()).toBe(before);
        };

        it('without a token', () => refusedWith(null));
        it('with a malformed Authorization header', () => refusedWith('Basic dXNlcjpwYXNz'));
        it("with another subgraph's token", async () => refusedWith(`Bearer ${await signer.sign(ANONYMOUS, 'audit')}`));
        it("with a token for another subgraph's audience", async () =>
          refusedWith(`Bearer ${await signer.sign(ANONYMOUS, 'border-trade')}`));

        it('with a forged token (same kid, another key)', async () => {
          const forger = await generateTestPair('forger');
          const key = (await importJWK(forger.privateJwk, 'EdDSA')) as KeyLike;
          const forged = await new SignJWT({ anon: true })
            .setProtectedHeader({ alg: 'EdDSA', kid: keys.internalPrivateJwk.kid! })
            .setIssuer(INTERNAL_ISSUER)
            .setAudience(AUDIT_INGEST_AUDIENCE)
            .setIssuedAt()
            .setExpirationTime('60s')
            .sign(key);
          await refusedWith(`Bearer ${forged}`);
        });

        it('with an expired token', async () => {
          const key = (await importJWK(keys.internalPrivateJwk, 'EdDSA')) as KeyLike;
          const now = Math.floor(Date.now() / 1000);
          const expired = await new SignJWT({ anon: true })
            .setProtectedHeader({ alg: 'EdDSA', kid: keys.internalPrivateJwk.kid! })
            .setIssuer(INTERNAL_ISSUER)
            .setAudience(AUDIT_INGEST_AUDIENCE)
            .setIssuedAt(now - 600)
            .setExpirationTime(now - 300)
            .sign(key);
          await refusedWith(`Bearer ${expired}`);
        });
      });

      describe('answers 400 with a JSON error and stores nothing', () => {
        const refused = async (body: unknown) => {
          const before = await audit.count();
          const answer = await post(body);
          expect(answer.status).toBe(400);
          expect(answer.body).toMatchObject({ errors: [{ extensions: { code: expect.any(String) } }] });
          expect(await audit.count()).toBe(before);
          return answer.body;
        };

        it('for more than 1,000 events', async () => {
          await refused({ events: Array.from({ length: MAX_EVENTS_PER_CALL + 1 }, () => event()) });
        });

        it('for one malformed event among good ones, naming it', async () => {
          const body = await refused({ events: [event(), event({ id: 'not-a-uuid' }), event()] });
          expect(JSON.stringify(body)).toContain('events.1.id');
        });

        it.each([
          ['an unknown outcome', { outcome: 'MAYBE' }],
          ['a time without a zone', { occurredAt: '2026-12-01T10:11:12' }],
          ['a hash that is not SHA-256 hex', { operationHash: 'xyz' }],
          ['a caller with a subject but no agency', { agency: null }],
          ['an unknown field', { extra: 1 }],
          ['a negative duration', { durationMs: -1 }],
          ['a NUL character (PostgreSQL text cannot hold it)', { operationName: 'Op\u0000' }],
          ['half a surrogate pair', { reason: 'cut \ud83d' }],
        ])('for %s', async (_what, overrides) => {
          await refused({ events: [event(overrides)] });
        });

        it('for a body that is not JSON', async () => {
          await refused('{"events": [');
        });
      });
    });

    describe('the trail is append-only in the database', () => {
      const stored = async () => {
        const one = event();
        await post({ events: [one] });
        return one.id;
      };

      it.each([
        ['UPDATE', `UPDATE "AuditEvent" SET "outcome" = 'OK', "subject" = 'someone-else'`],
        ['UPDATE of no row', `UPDATE "AuditEvent" SET "reason" = 'x' WHERE false`],
        ['DELETE', `DELETE FROM "AuditEvent"`],
        ['TRUNCATE', `TRUNCATE "AuditEvent"`],
      ])('refuses %s, and every row stays as it was', async (_what, sql) => {
        const id = await stored();
        const before = await audit.running.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } });
        await expect(audit.running.database.withConnection((c) => c.query(sql))).rejects.toThrow(/append-only/);
        expect(await audit.running.prisma.auditEvent.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
        expect(before.some((row) => row.id === id)).toBe(true);
      });

      it('refuses it through Prisma too', async () => {
        const id = await stored();
        await expect(audit.running.prisma.auditEvent.delete({ where: { id } })).rejects.toThrow(/append-only/);
        await expect(
          audit.running.prisma.auditEvent.update({ where: { id }, data: { subject: 'someone-else' } }),
        ).rejects.toThrow(/append-only/);
        expect(await audit.running.prisma.auditEvent.findUnique({ where: { id } })).toMatchObject({ subject: 'jdoe' });
      });
    });

    describe('Query.auditEvents', () => {
      const QUERY = `query Trail($subject: String, $agency: String, $outcome: AuditOutcome, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
        auditEvents(subject: $subject, agency: $agency, outcome: $outcome, from: $from, to: $to, first: $first, after: $after) {
          nodes { id occurredAt subject agency country outcome coordinates errorCodes gateway }
          pageInfo { hasNextPage endCursor }
          totalCount
        }
      }`;
      type Page = {
        auditEvents: {
          nodes: { id: string; occurredAt: string; subject: string | null; outcome: string }[];
          pageInfo: { hasNextPage: boolean; endCursor: string | null };
          totalCount: number;
        } | null;
      };
      // A subject of its own, so the rows the other tests store do not count here.
      const subject = `pager-${randomUUID().slice(0, 8)}`;
      const base = Date.parse('2026-11-30T12:00:00.000Z');
      // 45 events, three to a millisecond (ties broken by id), one in five PARTIAL.
      const events = Array.from({ length: 45 }, (_, i) =>
        event({
          subject,
          agency: i % 2 === 0 ? 'CBP' : 'ANAM',
          country: i % 2 === 0 ? 'US' : 'MX',
          occurredAt: new Date(base + Math.floor(i / 3)).toISOString(),
          outcome: i % 5 === 0 ? 'PARTIAL' : 'OK',
          durationMs: 1 + i * 1.5,
        }),
      );
      const newestFirst = [...events].sort(
        (a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0),
      );

      beforeAll(async () => {
        expect((await post({ events })).status).toBe(200);
      });

      const all = async (variables: Record<string, unknown>) => {
        const ids: string[] = [];
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const answer: { data?: Page; errors?: unknown } = await graphql<Page>(
            QUERY,
            { subject, ...variables, after },
            AUDITOR,
          );
          expect(answer.errors).toBeUndefined();
          const page: NonNullable<Page['auditEvents']> = answer.data!.auditEvents!;
          ids.push(...page.nodes.map((n) => n.id));
          pages += 1;
          if (!page.pageInfo.hasNextPage) return { ids, pages, totalCount: page.totalCount };
          after = page.pageInfo.endCursor;
        }
      };

      it('pages through the trail newest first, ties by id, each event once', async () => {
        const { ids, pages, totalCount } = await all({ first: 20 });
        expect(pages).toBe(3);
        expect(totalCount).toBe(45);
        expect(ids).toEqual(newestFirst.map((e) => e.id));
      });

      it('filters by agency, outcome and time range (inclusive)', async () => {
        const cbp = await all({ agency: 'CBP', first: 7 });
        expect(cbp.ids).toEqual(newestFirst.filter((e) => e.agency === 'CBP').map((e) => e.id));
        const partial = await all({ outcome: 'PARTIAL' });
        expect(partial.ids).toEqual(newestFirst.filter((e) => e.outcome === 'PARTIAL').map((e) => e.id));
        const from = new Date(base + 3).toISOString();
        const to = new Date(base + 5).toISOString();
        const range = await all({ from, to });
        expect(range.ids).toEqual(
          newestFirst.filter((e) => e.occurredAt >= from && e.occurredAt <= to).map((e) => e.id),
        );
        expect(range.totalCount).toBe(9);
      });

      it('groups the trail in the database: by agency and outcome, by day, with durations', async () => {
        type Groups = {
          byAgency: { agency: string; outcome: string; count: number; totalDurationMs: number }[];
          byDay: { day: string; count: number; averageDurationMs: number }[];
          denied: unknown;
        };
        const answer = await graphql<Groups>(
          `
            query ($subject: String) {
              byAgency: auditEventAggregates(subject: $subject, groupBy: [AGENCY, OUTCOME]) {
                agency
                outcome
                count
                totalDurationMs
              }
              byDay: auditEventAggregates(subject: $subject, groupBy: [DAY]) {
                day
                count
                averageDurationMs
              }
            }
          `,
          { subject },
          AUDITOR,
        );
        expect(answer.errors).toBeUndefined();
        const expected = ['ANAM', 'CBP'].flatMap((agency) =>
          ['OK', 'PARTIAL'].map((outcome) => {
            const members = events.filter((e) => e.agency === agency && e.outcome === outcome);
            return {
              agency,
              outcome,
              count: members.length,
              totalDurationMs: expect.closeTo(
                members.reduce((sum, e) => sum + e.durationMs, 0),
                6,
              ),
            };
          }),
        );
        expect(answer.data!.byAgency).toEqual(expected);
        const mean = events.reduce((sum, e) => sum + e.durationMs, 0) / events.length;
        expect(answer.data!.byDay).toEqual([
          { day: '2026-11-30', count: 45, averageDurationMs: expect.closeTo(mean, 6) },
        ]);
        const staff = await graphql<Groups>('{ denied: auditEventAggregates { count } }', {}, STAFF);
        expect(staff.data?.denied ?? null).toBeNull();
        expect(staff.errors?.map((e) => e.extensions?.code)).toContain('UNAUTHORIZED_FIELD_OR_TYPE');
      });

      it('refuses a cursor it did not give, and a page size out of bounds', async () => {
        const bad = await graphql<Page>(QUERY, { subject, after: 'bm90LWEtY3Vyc29y' }, AUDITOR);
        expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        const big = await graphql<Page>(QUERY, { subject, first: 101 }, AUDITOR);
        expect(big.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      });

      it.each([
        ['anonymous callers', ANONYMOUS],
        ['agency staff without the audit:read scope', STAFF],
      ])('answers null and UNAUTHORIZED_FIELD_OR_TYPE to %s', async (_who, caller) => {
        const { data, errors } = await graphql<Page>(QUERY, { subject }, caller);
        expect(data?.auditEvents ?? null).toBeNull();
        expect(errors?.map((e) => e.extensions?.code)).toContain('UNAUTHORIZED_FIELD_OR_TYPE');
      });

      it('has no mutation at all', async () => {
        const schema = await graphql<{ __schema: { mutationType: null | { name: string } } }>(
          '{ __schema { mutationType { name } } }',
          {},
          AUDITOR,
        );
        expect(schema).toEqual({ data: { __schema: { mutationType: null } } });
        const { errors } = await graphql<unknown>('mutation { __typename }', {}, AUDITOR);
        expect(errors?.[0]?.message).toMatch(/not configured to execute mutation/);
      });
    });
  });
});
