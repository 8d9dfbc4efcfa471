import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, readSupergraphConfig, Scope } from '@bicentennial/schema';
import { ensureDevelopmentKeys, INTERNAL_ISSUER, mintToken, type DevelopmentKeys } from '@bicentennial/service';
import { startStack, type Stack } from '@bicentennial/tools/stack';
import { importJWK, SignJWT } from 'jose';
import { post } from '../operations';
import { createThrowawayDatabases, describeOn } from '../postgres';

/**
 * The audit trail as it runs: a real gateway process and the real audit subgraph (its own
 * database), a burst of 1,000 requests, then SIGTERM to the gateway while events are still
 * buffered, and every event counted in the audit database.
 */
const legs = [
  { name: 'the embedded PGlite database', database: 'pglite' },
  { name: 'PostgreSQL', database: 'postgres' },
] as const;

const BURST = 1_000;
const REFUSED = 10;

for (const { name, database } of legs)
  describeOn(database)(`the audit trail on ${name}`, () => {
    let stack: Stack | undefined;
    let scratch: string;
    let keys: DevelopmentKeys;
    let dropDatabases: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'bicentennial-audit-'));
      const auditConfig = readSupergraphConfig().filter((s) => s.name === 'audit');
      let url: string | undefined;
      if (database === 'postgres') {
        const throwaway = await createThrowawayDatabases(['audit']);
        url = throwaway.urls.get('audit');
        dropDatabases = throwaway.drop;
      }
      // Every other subgraph on a closed port: `{ __typename }` is the gateway's own answer.
      const closed = Object.fromEntries(
        readSupergraphConfig()
          .filter((s) => s.name !== 'audit')
          .map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:9/graphql']),
      );
      stack = await startStack({
        ports: 'ephemeral',
        subgraphs: auditConfig,
        env: { ...process.env, DEV_KEYS_DIR: join(scratch, 'keys'), LOG_LEVEL: 'warn' },
        subgraphEnv: (): Record<string, string> =>
          url ? { DATABASE_URL: url, DB_POOL_SIZE: '4' } : { PGLITE_DIR: join(scratch, 'audit-db') },
        gatewayEnv: {
          ...closed,
          RATE_LIMIT_CAPACITY: '0',
          STATUS_POLL_INTERVAL_MS: '600000',
          SUPERGRAPH_WATCH: 'false',
          AUDIT_SPOOL_DIR: join(scratch, 'spool'),
          // Two workers, as on a two-core production machine: each drains its own events at SIGTERM.
          GATEWAY_WORKERS: '2',
          // One batch of 700 goes during the burst; the other 300 events wait for a flush a minute
          // away, so they are in the gateway's memory when SIGTERM comes: the stop must send them.
          AUDIT_BATCH_SIZE: '700',
          AUDIT_FLUSH_INTERVAL_MS: '60000',
        },
        onLine: () => undefined,
      });
      keys = await ensureDevelopmentKeys(join(scratch, 'keys'));
    }, 300_000);

    afterAll(async () => {
      await stack?.stop();
      await dropDatabases?.();
      rmSync(scratch, { recursive: true, force: true });
    }, 60_000);

    /** Asks the audit subgraph itself, with an internal token for an auditor (the gateway is stopped). */
    const countDirectly = async (filter: string): Promise<number> => {
      const token = await new SignJWT({ agency: 'OIG', country: 'US', scope: Scope.AUDITOR })
        .setIssuer(INTERNAL_ISSUER)
        .setAudience('audit')
        .setSubject('auditor-1')
        .setIssuedAt()
        .setExpirationTime('1m')
        .setProtectedHeader({ alg: 'EdDSA', kid: keys.internal.privateJwk.kid! })
        .sign(await importJWK(keys.internal.privateJwk, 'EdDSA'));
      const { body } = await post<{ auditEvents: { totalCount: number } }>(
        stack!.subgraphs.get('audit')!.url,
        `{ auditEvents(${filter}, first: 1) { totalCount } }`,
        undefined,
        { token },
      );
      expect(body.errors).toBeUndefined();
      return body.data!.auditEvents.totalCount;
    };

    it('stores every one of a 1,000-request burst although SIGTERM came while events were buffered', async () => {
      const caller = await mintToken(keys.issuer.privateJwk, {
        subject: 'burst-1',
        agency: 'CBP',
        country: 'US',
        scopes: [],
      });
      const ask = (index: number) =>
        fetch(stack!.gatewayUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${index < REFUSED ? 'not-a-valid-token' : caller}`,
          },
          body: JSON.stringify({ query: `query Burst${index % 7} { __typename }` }),
          signal: AbortSignal.timeout(30_000),
        }).then((response) => response.status);
      const statuses: number[] = [];
      // 50 at a time, then SIGTERM at once: the last events are still in the gateway's buffer.
      for (let start = 0; start < BURST; start += 50) {
        statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => ask(start + i)))));
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(BURST - REFUSED);
      expect(statuses.filter((s) => s === 401)).toHaveLength(REFUSED);
      await stack!.gateway.stop();

      expect(await countDirectly('subject: "burst-1"')).toBe(BURST - REFUSED);
      expect(await countDirectly('outcome: REFUSED')).toBe(REFUSED);
      // Nothing was left over for a later start: everything was delivered before the exit.
      const spool = join(scratch, 'spool');
      // Each gateway worker spools to its own folder (`worker-<n>`).
      const left = (() => {
        try {
          return readdirSync(spool, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
        } catch {
          return [];
        }
      })();
      expect(left).toEqual([]);
    }, 180_000);

    it('lets auditors read the trail through the graph, and nobody else', async () => {
      if (!stack!.gateway.running) await stack!.gateway.restart();
      const query =
        '{ auditEvents(subject: "burst-1", first: 2) { totalCount nodes { operationName outcome subject agency country coordinates } } }';
      const auditor = await mintToken(keys.issuer.privateJwk, {
        subject: 'auditor-1',
        agency: 'OIG',
        country: 'US',
        scopes: [Scope.AUDITOR],
      });
      const seen = await post<{
        auditEvents: { totalCount: number; nodes: { operationName: string; outcome: string; subject: string }[] };
      }>(stack!.gatewayUrl, query, undefined, { token: auditor });
      expect(seen.body.errors).toBeUndefined();
      expect(seen.body.data!.auditEvents.totalCount).toBe(BURST - REFUSED);
      expect(seen.body.data!.auditEvents.nodes[0]).toMatchObject({
        operationName: expect.stringMatching(/^Burst\d$/),
        outcome: 'OK',
        subject: 'burst-1',
        agency: 'CBP',
        country: 'US',
      });
      const writer = await mintToken(keys.issuer.privateJwk, {
        subject: 'cbp-1',
        agency: 'CBP',
        country: 'US',
        scopes: [Scope.BORDER_TRADE_WRITE],
      });
      for (const token of [writer, undefined]) {
        const refused = await post(stack!.gatewayUrl, query, undefined, { token });
        expect(refused.body.data).toBeNull();
        expect(refused.body.errors?.map((e) => e.extensions?.['code'])).toEqual(['UNAUTHORIZED_FIELD_OR_TYPE']);
      }
      // The API has no way to change or delete the trail.
      const mutation = await post(stack!.gatewayUrl, 'mutation { deleteAuditEvents }', undefined, { token: auditor });
      expect(mutation.body.errors?.[0]?.extensions?.['code']).toBe('GRAPHQL_VALIDATION_FAILED');
    }, 120_000);
  });
