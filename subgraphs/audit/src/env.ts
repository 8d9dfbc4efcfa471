import { join } from 'node:path';
import { defaultPgliteDir, readSubgraphEnv, type SubgraphEnv } from '@bicentennial/subgraph-kit';

/** The port of schema/supergraph.yaml and docker-compose.yml. */
export const AUDIT_PORT = 4007;

/**
 * audit's settings (see README, Configuration): the shared subgraph settings, PORT defaulting to
 * 4007. GATEWAY_JWKS_PATH (the gateway's public JWKS, required in production; the development
 * keys in DEV_KEYS_DIR otherwise) verifies both the internal tokens on /graphql and those on the
 * ingest endpoint.
 */
export function readEnv(env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  return readSubgraphEnv({ port: AUDIT_PORT, pgliteDir: defaultPgliteDir(join(__dirname, '..')) }, env);
}
