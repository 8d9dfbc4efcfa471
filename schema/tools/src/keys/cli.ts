import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair } from 'jose';

const USAGE = `Generates key files for the production profile (never the development keys).

  npm run keys -- --out <dir> [--issuer]

  <dir>/internal.private.json  the gateway's internal signing key (INTERNAL_SIGNING_KEY_PATH)
  <dir>/internal.jwks.json     its public half, for every subgraph (GATEWAY_JWKS_PATH)
  with --issuer, also a stand-in identity provider for a trial without one:
  <dir>/issuer.private.json    sign callers' tokens with it: npm run token -- --key <dir>/issuer.private.json ...
  <dir>/issuer.jwks.json       the gateway's AUTH_JWKS_PATH

Existing files are never overwritten. Private keys are written with mode 600.`;

async function pair(name: string, dir: string): Promise<void> {
  const privatePath = join(dir, `${name}.private.json`);
  const publicPath = join(dir, `${name}.jwks.json`);
  if (existsSync(privatePath) || existsSync(publicPath)) {
    process.stderr.write(`${privatePath} or ${publicPath} exists already: left as it is\n`);
    return;
  }
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `${name}-${new Date().toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  const meta = { kid, alg: 'EdDSA', use: 'sig' };
  writeFileSync(privatePath, `${JSON.stringify({ ...(await exportJWK(privateKey)), ...meta })}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  writeFileSync(publicPath, `${JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), ...meta }] }, null, 2)}\n`, {
    flag: 'wx',
  });
  process.stdout.write(`wrote ${privatePath} and ${publicPath} (kid ${kid})\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, issuer: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.out) {
    (values.help ? process.stdout : process.stderr).write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  mkdirSync(values.out, { recursive: true, mode: 0o700 });
  await pair('internal', values.out);
  if (values.issuer) await pair('issuer', values.out);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
