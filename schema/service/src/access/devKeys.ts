import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR, type Caller } from '@bicentennial/schema';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JSONWebKeySet, type JWK, type KeyLike } from 'jose';

/**
 * The development profile's keys: an issuer key pair that stands in for the agencies' identity
 * provider (`npm run token` signs with it) and the gateway's internal signing key pair. Generated
 * on first start into a git-ignored folder; every key id starts with `development-`, which is how
 * the production profile recognises them and refuses to start.
 */
export const DEVELOPMENT_KEY_PREFIX = 'development-';
export const DEVELOPMENT_ISSUER = 'bicentennial-development-issuer';
export const DEVELOPMENT_AUDIENCE = 'bicentennial-graph';
/** `<repository>/.dev-keys`: beside `schema/`, git-ignored. */
export const DEFAULT_DEV_KEYS_DIR = join(SCHEMA_DIR, '..', '.dev-keys');
const FILE = 'development-keys.json';

export interface DevelopmentKeys {
  dir: string;
  issuer: { privateJwk: JWK; jwks: JSONWebKeySet; jwksPath: string };
  internal: { privateJwk: JWK; jwks: JSONWebKeySet; jwksPath: string; privatePath: string };
}

export function isDevelopmentKeyId(kid: unknown): boolean {
  return typeof kid === 'string' && kid.startsWith(DEVELOPMENT_KEY_PREFIX);
}

/** Whether any key of a JWKS (or a single JWK) is a development key. */
export function holdsDevelopmentKey(keys: JSONWebKeySet | JWK): boolean {
  const list = 'keys' in keys && Array.isArray(keys.keys) ? keys.keys : [keys as JWK];
  return list.some((key) => isDevelopmentKeyId(key.kid));
}

async function keyPair(name: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `${DEVELOPMENT_KEY_PREFIX}${name}-${randomBytes(4).toString('hex')}`;
  const meta = { kid, alg: 'EdDSA', use: 'sig' };
  return {
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

function temporaryBeside(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/**
 * Replaces a file in one step (written beside it, then renamed over it): a process reading it
 * while another writes sees the old content or the new, never an empty or half-written file.
 */
function writeAtomically(path: string, content: string, mode = 0o644): void {
  const temporary = temporaryBeside(path);
  try {
    writeFileSync(temporary, content, { mode });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function writeOnce(path: string, content: string): void {
  // Written to a temporary file, then linked into place: the link fails when another process got
  // there first, so concurrent first starts agree on one set of keys and nobody reads half a file.
  const temporary = temporaryBeside(path);
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * The development keys in `dir`, generated when absent. The public halves are also written as
 * JWKS files (`issuer.jwks.json`, `internal.jwks.json`), which is what the gateway and the
 * subgraphs read, exactly as they read a production JWKS.
 */
export async function ensureDevelopmentKeys(dir: string = DEFAULT_DEV_KEYS_DIR): Promise<DevelopmentKeys> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, FILE);
  let stored: { issuer: JWK; internal: JWK; issuerPublic: JWK; internalPublic: JWK };
  try {
    stored = JSON.parse(readFileSync(path, 'utf8')) as typeof stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const [issuer, internal] = await Promise.all([keyPair('issuer'), keyPair('internal')]);
    writeOnce(
      path,
      JSON.stringify({
        issuer: issuer.privateJwk,
        issuerPublic: issuer.publicJwk,
        internal: internal.privateJwk,
        internalPublic: internal.publicJwk,
      }),
    );
    stored = JSON.parse(readFileSync(path, 'utf8')) as typeof stored;
  }
  const issuerJwks = { keys: [stored.issuerPublic] };
  const internalJwks = { keys: [stored.internalPublic] };
  const issuerJwksPath = join(dir, 'issuer.jwks.json');
  const internalJwksPath = join(dir, 'internal.jwks.json');
  const internalPrivatePath = join(dir, 'internal.private.json');
  // Several processes may start at once on the same folder (two gateways, a subgraph per agency):
  // each rewrites these derived files, so each write replaces the file whole.
  writeAtomically(issuerJwksPath, `${JSON.stringify(issuerJwks, null, 2)}\n`);
  writeAtomically(internalJwksPath, `${JSON.stringify(internalJwks, null, 2)}\n`);
  writeAtomically(internalPrivatePath, `${JSON.stringify(stored.internal)}\n`, 0o600);
  return {
    dir,
    issuer: { privateJwk: stored.issuer, jwks: issuerJwks, jwksPath: issuerJwksPath },
    internal: {
      privateJwk: stored.internal,
      jwks: internalJwks,
      jwksPath: internalJwksPath,
      privatePath: internalPrivatePath,
    },
  };
}

export interface MintOptions {
  subject: string;
  agency: string;
  country: 'US' | 'MX';
  scopes: readonly string[];
  /** Lifetime in seconds (default one hour). */
  ttlSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** A caller token signed with a private JWK: what `npm run token` prints, and what tests use. */
export async function mintToken(privateJwk: JWK, options: MintOptions): Promise<string> {
  const alg = privateJwk.alg ?? 'EdDSA';
  const key = (await importJWK(privateJwk, alg)) as KeyLike;
  return new SignJWT({ agency: options.agency, country: options.country, scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg, kid: privateJwk.kid!, typ: 'JWT' })
    .setIssuer(options.issuer ?? DEVELOPMENT_ISSUER)
    .setAudience(options.audience ?? DEVELOPMENT_AUDIENCE)
    .setSubject(options.subject)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`)
    .sign(key);
}

/** The caller a minted token will prove (tests compare with what the graph saw). */
export function callerOf(options: MintOptions): Caller {
  return { subject: options.subject, agency: options.agency, country: options.country, scopes: [...options.scopes] };
}
