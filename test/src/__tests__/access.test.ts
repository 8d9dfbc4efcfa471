import { ALL_SCOPES, ErrorCode, readSupergraphConfig, Scope } from '@bicentennial/schema';
import { ensureDevelopmentKeys, INTERNAL_ISSUER, type DevelopmentKeys } from '@bicentennial/service';
import { startStack, type Stack } from '@bicentennial/tools/stack';
import { generateTestPair } from '@bicentennial/testing';
import { base64url, importJWK, SignJWT, type JWK, type KeyLike } from 'jose';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';
import { post } from '../operations';
import { createThrowawayDatabases, describeOn } from '../postgres';

/**
 * Identity and access end to end: the real gateway over the real subgraphs (in-process, over
 * HTTP), with tokens signed by the graph's development issuer key, and forged ones.
 */
const legs = [
  { name: 'the embedded PGlite databases', database: 'pglite' },
  { name: 'PostgreSQL', database: 'postgres' },
] as const;

for (const { name: leg, database } of legs)
  describeOn(database)(`identity and access, on ${leg}`, () => {
    let graph: InProcessGraph;
    let dropDatabases: (() => Promise<void>) | undefined;
    let keys: DevelopmentKeys;
    let staff: string;
    let financeWriter: string;
    let borderWriter: string;

    beforeAll(async () => {
      let databases: Map<string, string> | undefined;
      if (database === 'postgres') {
        const throwaway = await createThrowawayDatabases(readSupergraphConfig().map((s) => s.name));
        databases = throwaway.urls;
        dropDatabases = throwaway.drop;
      }
      graph = await startInProcessGraph(databases ? { databases } : {});
      keys = await ensureDevelopmentKeys(graph.keysDir);
      staff = await graph.token({ subject: 'analyst-1', agency: 'DHS', country: 'US', scopes: [...ALL_SCOPES] });
      financeWriter = await graph.token({
        subject: 'fin-1',
        agency: 'UIF',
        country: 'MX',
        scopes: [Scope.FINANCE_WRITE],
      });
      borderWriter = await graph.token({
        subject: 'cbp-1',
        agency: 'CBP',
        country: 'US',
        scopes: [Scope.BORDER_TRADE_WRITE],
      });
    }, 240_000);
    afterAll(async () => {
      await graph?.stop();
      await dropDatabases?.();
    }, 60_000);

    const now = () => Math.floor(Date.now() / 1000);
    const issuerKey = async (): Promise<KeyLike> => (await importJWK(keys.issuer.privateJwk, 'EdDSA')) as KeyLike;
    const claims = { agency: 'CBP', country: 'US', scope: Scope.BORDER_TRADE_WRITE };
    const signed = (jwt: SignJWT, key: KeyLike | Uint8Array, kid = keys.issuer.privateJwk.kid!) =>
      jwt.setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' }).sign(key);
    const valid = () =>
      new SignJWT(claims)
        .setIssuer('bicentennial-development-issuer')
        .setAudience('bicentennial-graph')
        .setSubject('cbp-1')
        .setIssuedAt();

    describe('authentication', () => {
      const refusedTokens: [string, () => Promise<string>][] = [
        ['expired', async () => signed(valid().setExpirationTime(now() - 120), await issuerKey())],
        [
          'not yet valid',
          async () =>
            signed(
              valid()
                .setNotBefore(now() + 600)
                .setExpirationTime(now() + 900),
              await issuerKey(),
            ),
        ],
        [
          'signed with another key under the same key id',
          async () => {
            const other = await generateTestPair('forger');
            return signed(valid().setExpirationTime('1h'), await importJWK(other.privateJwk, 'EdDSA'));
          },
        ],
        [
          'alg: none',
          () => {
            const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
            const payload = base64url.encode(
              JSON.stringify({
                ...claims,
                sub: 'cbp-1',
                iss: 'bicentennial-development-issuer',
                aud: 'bicentennial-graph',
                exp: now() + 600,
              }),
            );
            return Promise.resolve(`${header}.${payload}.`);
          },
        ],
        [
          'HS256 with the public key as the secret',
          async () =>
            valid()
              .setExpirationTime('1h')
              .setProtectedHeader({ alg: 'HS256', kid: keys.issuer.privateJwk.kid! })
              .sign(new TextEncoder().encode(JSON.stringify(keys.issuer.jwks.keys[0]))),
        ],
        [
          'from another issuer',
          async () =>
            signed(
              new SignJWT(claims)
                .setIssuer('https://elsewhere.invalid')
                .setAudience('bicentennial-graph')
                .setSubject('cbp-1')
                .setExpirationTime('1h'),
              await issuerKey(),
            ),
        ],
        [
          'for another audience',
          async () =>
            signed(
              new SignJWT(claims)
                .setIssuer('bicentennial-development-issuer')
                .setAudience('another-graph')
                .setSubject('cbp-1')
                .setExpirationTime('1h'),
              await issuerKey(),
            ),
        ],
        [
          'without the country claim',
          async () =>
            signed(
              new SignJWT({ agency: 'CBP' })
                .setIssuer('bicentennial-development-issuer')
                .setAudience('bicentennial-graph')
                .setSubject('cbp-1')
                .setExpirationTime('1h'),
              await issuerKey(),
            ),
        ],
        ['not a JWT', () => Promise.resolve('not-a-token')],
      ];

      it.each(refusedTokens)(
        'refuses a token %s with 401 UNAUTHENTICATED, saying nothing of why',
        async (_name, make) => {
          const token = await make();
          const { status, body } = await post(graph.gatewayUrl, '{ objectives { id } }', undefined, { token });
          expect(status).toBe(401);
          expect(body.data).toBeUndefined();
          expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual([ErrorCode.UNAUTHENTICATED]);
          expect(body.errors?.[0]?.message).not.toMatch(/expired|issuer|audience|signature|alg|nbf|country/i);
        },
      );

      it('answers the public without a token, and a valid token as its caller', async () => {
        const anonymous = await post<{ objectives: unknown[] }>(graph.gatewayUrl, '{ objectives { id } }');
        expect(anonymous.status).toBe(200);
        expect(anonymous.body.data?.objectives).toHaveLength(26);
        const token = await signed(valid().setExpirationTime('1h'), await issuerKey());
        const verified = await post<{ objectives: unknown[] }>(graph.gatewayUrl, '{ objectives { id } }', undefined, {
          token,
        });
        expect(verified.status).toBe(200);
        expect(verified.body.data?.objectives).toHaveLength(26);
      });
    });

    describe('authorization directives, enforced by the gateway', () => {
      const unauthorized = (path: (string | number)[]) => ({
        message: expect.stringMatching(/^Unauthorized field or type: \S+ needs .+\.$/) as unknown as string,
        path,
        extensions: { code: ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE },
      });

      it('@authenticated on a type: the public gets null and one error, and the subgraph is not asked', async () => {
        graph.resetRequests();
        const query = '{ drugSeizures(first: 1) { totalCount } objectives { id } }';
        const { body } = await post<{ drugSeizures: { totalCount: number } | null; objectives: unknown[] }>(
          graph.gatewayUrl,
          query,
        );
        expect(body.data?.drugSeizures).toBeNull();
        expect(body.data?.objectives).toHaveLength(26);
        expect(body.errors).toEqual([unauthorized(['drugSeizures'])]);
        expect(graph.requests.get('border-trade')).toBeUndefined();

        const allowed = await post<{ drugSeizures: { totalCount: number } }>(graph.gatewayUrl, query, undefined, {
          token: staff,
        });
        expect(allowed.body.errors).toBeUndefined();
        expect(allowed.body.data?.drugSeizures.totalCount).toBeGreaterThan(0);
      });

      it('an operation with nothing left is answered data: null with the errors', async () => {
        const { status, body } = await post(
          graph.gatewayUrl,
          '{ a: drugSeizures { totalCount } b: firearmSeizures { totalCount } }',
        );
        expect(status).toBe(200);
        expect(body).toEqual({ data: null, errors: [unauthorized(['a']), unauthorized(['b'])] });
      });

      it('@policy on a field: recordedBy is null for the public (one error per path), the value for agency staff', async () => {
        const query = `{ objective(id: "2.2.1") { id indicators { id latest { value recordedBy } } } }`;
        type Data = {
          objective: {
            id: string;
            indicators: { id: string; latest: { value: number; recordedBy: string | null } | null }[];
          };
        };
        const anonymous = await post<Data>(graph.gatewayUrl, query);
        const latest = anonymous.body.data!.objective.indicators.map((i) => i.latest).filter((l) => l !== null);
        expect(latest.length).toBeGreaterThan(0);
        expect(latest.every((l) => l.recordedBy === null && typeof l.value === 'number')).toBe(true);
        expect(anonymous.body.errors).toEqual([unauthorized(['objective', 'indicators', '@', 'latest', 'recordedBy'])]);
        const staffView = await post<Data>(graph.gatewayUrl, query, undefined, { token: staff });
        expect(staffView.body.errors).toBeUndefined();
        expect(staffView.body.data!.objective.indicators.map((i) => i.latest?.recordedBy).filter(Boolean)).toContain(
          'seed',
        );
      });

      it('through an entity in another subgraph: a framework objective keeps its title, its border-trade records are null', async () => {
        graph.resetRequests();
        const query = '{ objective(id: "2.1.2") { title drugSeizures(first: 1) { totalCount } } }';
        const { body } = await post<{ objective: { title: string; drugSeizures: unknown } }>(graph.gatewayUrl, query);
        expect(body.data?.objective.title).toMatch(/\w/);
        expect(body.data?.objective.drugSeizures).toBeNull();
        expect(body.errors).toEqual([unauthorized(['objective', 'drugSeizures'])]);
        expect(graph.requests.get('border-trade')).toBeUndefined();
        const allowed = await post<{ objective: { drugSeizures: { totalCount: number } } }>(
          graph.gatewayUrl,
          query,
          undefined,
          {
            token: staff,
          },
        );
        expect(allowed.body.errors).toBeUndefined();
        expect(allowed.body.data?.objective.drugSeizures.totalCount).toBeGreaterThan(0);
      });

      it('@requiresScopes on a mutation: another agency’s write scope is refused and nothing is written', async () => {
        const recordId = `ACCESS-${randomBytes(4).toString('hex')}`;
        const mutation = `mutation Record($input: DrugSeizureInput!, $key: String!) {
        recordDrugSeizure(input: $input, submission: { idempotencyKey: $key }) { recordId provenance { recordedBy } } }`;
        const variables = {
          key: `access-${recordId}`,
          input: {
            recordId,
            location: 'AT_PORT',
            portCode: '2504',
            state: 'US-CA',
            seizedOn: '2025-01-15',
            drug: 'COCAINE',
            quantity: 3,
            unit: 'POUNDS',
            mode: 'CARGO',
            sourceId: 'synthetic-border-trade',
          },
        };
        const count = () => graph.handles.borderTrade.prisma.drugSeizure.count({ where: { recordId } });
        for (const token of [financeWriter, undefined]) {
          const refused = await post(graph.gatewayUrl, mutation, variables, { token });
          expect(refused.body).toEqual({ data: null, errors: [unauthorized(['recordDrugSeizure'])] });
        }
        expect(await count()).toBe(0);
        const allowed = await post<{ recordDrugSeizure: { recordId: string; provenance: { recordedBy: string } } }>(
          graph.gatewayUrl,
          mutation,
          variables,
          { token: borderWriter },
        );
        expect(allowed.body.errors).toBeUndefined();
        expect(allowed.body.data?.recordDrugSeizure).toEqual({ recordId, provenance: { recordedBy: 'cbp-1@CBP' } });
        expect(await count()).toBe(1);
        await graph.handles.borderTrade.prisma.drugSeizure.deleteMany({ where: { recordId } });
      });
    });

    describe('subgraphs answer only the gateway', () => {
      const internalKey = async () => (await importJWK(keys.internal.privateJwk, 'EdDSA')) as KeyLike;
      const internal = (audience: string) =>
        new SignJWT({ agency: 'CBP', country: 'US', scope: Scope.BORDER_TRADE_WRITE })
          .setIssuer(INTERNAL_ISSUER)
          .setAudience(audience)
          .setSubject('cbp-1')
          .setIssuedAt();
      const direct = async (token: string | undefined, query = '{ portsOfEntry { code } }') => {
        const url = graph.subgraphs.get('border-trade')!.url;
        return post(url, query, undefined, { token });
      };

      it('refuses a request without an internal token, with a forged one, an expired one, or one for another subgraph', async () => {
        const forger = await generateTestPair('forger');
        const forged = await internal('border-trade')
          .setExpirationTime('1m')
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await importJWK(forger.privateJwk as JWK, 'EdDSA'));
        const expired = await internal('border-trade')
          .setIssuedAt(now() - 600)
          .setExpirationTime(now() - 300)
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await internalKey());
        const another = await internal('firearms')
          .setExpirationTime('1m')
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await internalKey());
        // A caller's own token is not an internal token either.
        for (const token of [undefined, forged, expired, another, staff]) {
          const { status, body } = await direct(token);
          expect(status).toBe(401);
          expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual([ErrorCode.UNAUTHENTICATED]);
        }
        const good = await internal('border-trade')
          .setExpirationTime('1m')
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await internalKey());
        const { status, body } = await direct(good);
        expect(status).toBe(200);
        expect((body.data as { portsOfEntry: unknown[] }).portsOfEntry.length).toBeGreaterThan(0);
      });

      it('enforces the directives again: an anonymous internal token cannot read records, a wrong scope cannot write', async () => {
        const anonymous = await new SignJWT({ anon: true })
          .setIssuer(INTERNAL_ISSUER)
          .setAudience('border-trade')
          .setIssuedAt()
          .setExpirationTime('1m')
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await internalKey());
        const records = await direct(anonymous, '{ drugSeizures(first: 1) { totalCount } }');
        expect(records.status).toBe(403);
        expect(records.body.errors?.map((e) => e.extensions?.['code'])).toEqual([ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]);
        const financeOnly = await new SignJWT({ agency: 'UIF', country: 'MX', scope: Scope.FINANCE_WRITE })
          .setIssuer(INTERNAL_ISSUER)
          .setAudience('border-trade')
          .setSubject('fin-1')
          .setIssuedAt()
          .setExpirationTime('1m')
          .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
          .sign(await internalKey());
        const write = await direct(
          financeOnly,
          `mutation { registerBorderTradeSource(input: { id: "direct-write", publisher: "x", title: "x", kind: OFFICIAL },
           submission: { idempotencyKey: "direct-write-1" }) { id } }`,
        );
        expect(write.status).toBe(403);
        expect(await graph.handles.borderTrade.prisma.source.count({ where: { id: 'direct-write' } })).toBe(0);
      });
    });

    it('/status/subgraphs (internal addresses) needs the status:read scope', async () => {
      const url = graph.gatewayUrl.replace(/\/graphql$/, '/status/subgraphs');
      const get = (token?: string) =>
        fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(15_000) });
      expect((await get()).status).toBe(401);
      expect((await get(borderWriter)).status).toBe(403);
      const operator = await get(staff);
      expect(operator.status).toBe(200);
      expect(((await operator.json()) as { subgraphs: unknown[] }).subgraphs.length).toBeGreaterThan(0);
    });
  });

describe('per-caller rate limits shared by two gateway processes through Redis', () => {
  const prefix = `bicentennial:test:ratelimit:${randomBytes(4).toString('hex')}:`;
  let stacks: Stack[] = [];
  let keysDir: string;

  beforeAll(async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    keysDir = mkdtempSync(join(tmpdir(), 'bicentennial-rl-keys-'));
    const gatewayEnv = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_KEY_PREFIX: prefix,
      RATE_LIMIT_CAPACITY: '4',
      RATE_LIMIT_REFILL_PER_SECOND: '0.05',
      SUPERGRAPH_WATCH: 'false',
      STATUS_POLL_INTERVAL_MS: '600000',
      AUDIT_SPOOL_DIR: join(keysDir, 'spool'),
    };
    const env = { ...process.env, DEV_KEYS_DIR: keysDir, LOG_LEVEL: 'warn' };
    stacks = await Promise.all(
      [0, 1].map(() => startStack({ ports: 'ephemeral', subgraphs: [], gatewayEnv, env, onLine: () => undefined })),
    );
  }, 120_000);
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.stop()));
    const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a caller has used its bucket across both processes', async () => {
    const keys = await ensureDevelopmentKeys(keysDir);
    const { mintToken } = await import('@bicentennial/service');
    const token = await mintToken(keys.issuer.privateJwk, {
      subject: 'busy-1',
      agency: 'CBP',
      country: 'US',
      scopes: [],
    });
    const other = await mintToken(keys.issuer.privateJwk, {
      subject: 'quiet-1',
      agency: 'CBP',
      country: 'US',
      scopes: [],
    });
    const ask = async (stack: Stack, with_: string) => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${with_}` },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(15_000),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as { errors?: { extensions?: { code?: string } }[] },
      };
    };
    const [a, b] = stacks as [Stack, Stack];
    const statuses = [];
    for (const stack of [a, b, a, b]) statuses.push((await ask(stack, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    for (const stack of [a, b]) {
      const refused = await ask(stack, token);
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refused.body.errors?.[0]?.extensions?.code).toBe(ErrorCode.RATE_LIMITED);
    }
    // Another caller has a bucket of its own.
    expect((await ask(a, other)).status).toBe(200);
  });

  it("takes a token per operation of a batch, so batching does not multiply a caller's rate", async () => {
    const keys = await ensureDevelopmentKeys(keysDir);
    const { mintToken } = await import('@bicentennial/service');
    const token = await mintToken(keys.issuer.privateJwk, {
      subject: 'batcher-1',
      agency: 'CBP',
      country: 'US',
      scopes: [],
    });
    const batch = async (stack: Stack, size: number) => {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(Array.from({ length: size }, () => ({ query: '{ __typename }' }))),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as unknown;
      return { status: response.status, remaining: response.headers.get('ratelimit-remaining'), body };
    };
    const [a, b] = stacks as [Stack, Stack];
    // A bucket of 4: a batch of 3 leaves 1 (in both processes: the bucket is in Redis) …
    const first = await batch(a, 3);
    expect([first.status, first.remaining]).toEqual([200, '1']);
    expect(first.body).toHaveLength(3);
    // … so another batch of 3 is refused whole, taking nothing, and a single operation still fits.
    const second = await batch(b, 3);
    expect([second.status, second.remaining]).toEqual([429, '1']);
    expect(second.body).toMatchObject({ errors: [{ extensions: { code: ErrorCode.RATE_LIMITED } }] });
    expect((await batch(a, 1)).status).toBe(200);
  });
});
