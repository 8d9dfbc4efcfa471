import { readEnv as readGatewayEnv, startGateway, type RunningGateway } from '@bicentennial/gateway';
import { ErrorCode, readSupergraphConfig, envName, Scope } from '@bicentennial/schema';
import { silentLogger } from '@bicentennial/service';
import { createTestKeys, type TestKeys } from '@bicentennial/testing';
import { post } from '../operations';

/**
 * The gateway under PROFILE=production, with keys of its own (as an operator configures them):
 * introspection only for analysts and writers. Its subgraphs are on a closed port: introspection
 * is answered by the gateway itself.
 */
describe('the gateway in production', () => {
  let keys: TestKeys;
  let gateway: RunningGateway;

  beforeAll(async () => {
    keys = await createTestKeys();
    const closed = Object.fromEntries(
      readSupergraphConfig().map((s) => [`SUBGRAPH_URL_${envName(s.name)}`, 'http://127.0.0.1:9/graphql']),
    );
    gateway = await startGateway(
      readGatewayEnv({
        PROFILE: 'production',
        PORT: '0',
        SUPERGRAPH_WATCH: 'false',
        STATUS_POLL_INTERVAL_MS: '600000',
        AUTH_JWKS_PATH: keys.issuerJwksPath,
        AUTH_ISSUER: keys.issuer,
        AUTH_AUDIENCE: keys.audience,
        INTERNAL_SIGNING_KEY_PATH: keys.internalPrivatePath,
        AUDIT_SPOOL_DIR: `${keys.dir}/spool`,
        ...closed,
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await gateway?.stop();
    keys?.remove();
  });

  const INTROSPECTION = '{ __schema { queryType { name } } }';
  const token = (scopes: string[]) => keys.mint({ subject: 'someone', agency: 'CBP', country: 'US', scopes });

  it('refuses introspection to the public and to a caller without the analyst or a write scope', async () => {
    for (const bearer of [undefined, await token([Scope.AUDITOR])]) {
      const { status, body } = await post(gateway.url, INTROSPECTION, undefined, { token: bearer });
      expect(status).toBe(403);
      expect(body.errors?.map((e) => e.extensions?.['code'])).toEqual([ErrorCode.FORBIDDEN]);
    }
    // `__type` is introspection too, and so is one hidden in a fragment.
    const hidden = await post(gateway.url, '{ ...F } fragment F on Query { __type(name: "Query") { name } }');
    expect(hidden.status).toBe(403);
  });

  it('lets analysts introspect, and writers (the ingest describes its input types)', async () => {
    for (const scopes of [[Scope.ANALYST], [Scope.BORDER_TRADE_WRITE]]) {
      const { status, body } = await post(gateway.url, INTROSPECTION, undefined, { token: await token(scopes) });
      expect(status).toBe(200);
      expect(body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    }
  });

  it('still answers __typename to anyone, and refuses a token signed with keys it was not configured with', async () => {
    expect((await post(gateway.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    const other = await createTestKeys();
    try {
      const stranger = await other.mint({ subject: 'x', agency: 'CBP', country: 'US', scopes: [Scope.ANALYST] });
      expect((await post(gateway.url, INTROSPECTION, undefined, { token: stranger })).status).toBe(401);
    } finally {
      other.remove();
    }
  });
});
