import { readFileSync } from 'node:fs';
import { ANONYMOUS, COUNTRIES, type Caller, type Country } from '@bicentennial/schema';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';

/**
 * A token that does not prove who the caller is. `reason` says why, for the log only: a client is
 * told that its token is not valid, never which check failed (that would help a forger).
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(readonly reason: string) {
    super('the bearer token is not valid');
  }
}

/** The asymmetric algorithms accepted on caller tokens. `none` and every HMAC are refused. */
export const CALLER_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

/** Where the issuer's public keys come from: a JWKS file (read once) or a JWKS URL (fetched, cached). */
export type JwksSource = { path: string } | { url: string };

/** Reads a JWKS file: `{ "keys": [ … ] }` with at least one key. Throws a message naming the file. */
export function readJwksFile(path: string): JSONWebKeySet {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the JWKS at ${path}: ${code ?? 'not JSON'}`);
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`${path} is not a JWKS: it needs a non-empty "keys"`);
  if (keys.some((key) => typeof key !== 'object' || key === null || 'd' in key)) {
    throw new Error(`${path} must hold public keys only (a key has a private part "d")`);
  }
  return parsed as JSONWebKeySet;
}

/** Reads one private JWK from a file (the gateway's internal signing key). */
export function readPrivateJwkFile(path: string): JWK {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`cannot read the private key at ${path}: ${code ?? 'not JSON'}`);
  }
  const jwk = parsed as JWK;
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new Error(`${path} must be one private JWK with a "kid"`);
  }
  return jwk;
}

function keySet(source: JwksSource): JWTVerifyGetKey {
  if ('path' in source) return createLocalJWKSet(readJwksFile(source.path));
  // Fetched when a token names a key not seen yet (rotation), at most every 30 s, cached 10 min.
  return createRemoteJWKSet(new URL(source.url), {
    timeoutDuration: 5_000,
    cooldownDuration: 30_000,
    cacheMaxAge: 600_000,
  });
}

/** Why jose refused a token, in words for the log. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not valid yet (nbf)';
    return `claim ${error.claim} ${error.reason === 'check_failed' ? 'does not match' : error.reason}`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no key of the JWKS matches';
  if (error instanceof errors.JWKSTimeout) return 'the JWKS URL did not answer in time';
  if (error instanceof errors.JOSEError) return `${error.code}: ${error.message}`;
  // Not the token's fault: the JWKS URL could not be fetched (the caller is still refused: no key, no proof).
  if (error instanceof Error) return `could not verify: ${error.message}`;
  return 'malformed';
}

const SUBJECT = /^[\w.@+:/-]{1,200}$/u;
const AGENCY = /^[A-Za-z0-9][\w-]{0,39}$/;
const SCOPE = /^[a-z][a-z0-9-]*:[a-z][a-z-]*$/;

/** The caller a verified payload names; throws AuthenticationError when a claim is missing or malformed. */
export function callerFromClaims(payload: JWTPayload): Caller {
  const { sub, agency, country, scope } = payload as JWTPayload & Record<string, unknown>;
  if (typeof sub !== 'string' || !SUBJECT.test(sub)) throw new AuthenticationError('claim sub missing or malformed');
  if (typeof agency !== 'string' || !AGENCY.test(agency)) {
    throw new AuthenticationError('claim agency missing or malformed');
  }
  if (typeof country !== 'string' || !COUNTRIES.includes(country as Country)) {
    throw new AuthenticationError('claim country must be US or MX');
  }
  if (scope !== undefined && typeof scope !== 'string') throw new AuthenticationError('claim scope must be a string');
  const scopes = (scope ?? '').split(' ').filter(Boolean);
  if (scopes.some((s) => !SCOPE.test(s))) throw new AuthenticationError('claim scope holds a malformed scope');
  return Object.freeze({
    subject: sub,
    agency,
    country: country as Country,
    scopes: Object.freeze([...new Set(scopes)]),
  });
}

export interface CallerVerifierOptions {
  jwks: JwksSource;
  issuer: string;
  audience: string;
  /** Seconds of clock skew tolerated on exp/nbf/iat. */
  clockToleranceSeconds?: number;
}

export interface CallerVerifier {
  /** The caller a bearer token proves; throws AuthenticationError. */
  verify(token: string): Promise<Caller>;
}

/** Verifies callers' bearer JWTs: an allowed asymmetric algorithm, a key of the JWKS, issuer, audience, times. */
export function createCallerVerifier(options: CallerVerifierOptions): CallerVerifier {
  const keys = keySet(options.jwks);
  return {
    verify: async (token) => {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
          algorithms: [...CALLER_TOKEN_ALGORITHMS],
          clockTolerance: options.clockToleranceSeconds ?? 5,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        throw new AuthenticationError(reasonOf(error));
      }
      return callerFromClaims(payload);
    },
  };
}

/** The issuer of internal tokens, and the one algorithm they use. */
export const INTERNAL_ISSUER = 'bicentennial-gateway';
const INTERNAL_ALGORITHM = 'EdDSA';

export interface InternalSigner {
  /** A short-lived token telling subgraph `audience` who the caller is (or that it is anonymous). */
  sign(caller: Caller, audience: string): Promise<string>;
}

/**
 * Signs the gateway's internal tokens: `iss: bicentennial-gateway`, `aud:` the subgraph, the
 * caller's claims (or `anon: true`), valid `ttlSeconds`. A token is reused while it has more than
 * half its life left, so a busy gateway signs about once per caller and subgraph every
 * `ttlSeconds / 2`, not on every fetch.
 */
export async function createInternalSigner(options: { privateJwk: JWK; ttlSeconds?: number }): Promise<InternalSigner> {
  const ttl = options.ttlSeconds ?? 60;
  const kid = options.privateJwk.kid;
  if (!kid) throw new Error('the internal signing key needs a kid');
  const key = (await importJWK(options.privateJwk, INTERNAL_ALGORITHM)) as KeyLike;
  const cache = new Map<string, { token: string; renewAt: number }>();
  return {
    sign: async (caller, audience) => {
      const cacheKey = `${audience}\u0000${caller.subject ?? ''}\u0000${caller.agency ?? ''}\u0000${caller.country ?? ''}\u0000${caller.scopes.join(' ')}`;
      const now = Date.now();
      const cached = cache.get(cacheKey);
      if (cached && cached.renewAt > now) return cached.token;
      const claims =
        caller.subject === null
          ? { anon: true }
          : { agency: caller.agency, country: caller.country, scope: caller.scopes.join(' ') };
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: INTERNAL_ALGORITHM, kid, typ: 'JWT' })
        .setIssuer(INTERNAL_ISSUER)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${ttl}s`);
      if (caller.subject !== null) jwt.setSubject(caller.subject);
      const token = await jwt.sign(key);
      // Bounded: a flood of distinct callers empties the cache rather than growing it.
      if (cache.size >= 10_000) cache.clear();
      cache.set(cacheKey, { token, renewAt: now + (ttl * 1000) / 2 });
      return token;
    },
  };
}

export interface InternalVerifier {
  /** The caller an internal token carries; throws AuthenticationError (missing, forged, expired, other audience). */
  verify(token: string | undefined): Promise<Caller>;
}

/** Verifies internal tokens meant for the subgraph `audience`, with the gateway's public JWKS. */
export function createInternalVerifier(options: { jwks: JSONWebKeySet; audience: string }): InternalVerifier {
  const keys = createLocalJWKSet(options.jwks);
  return {
    verify: async (token) => {
      if (!token) throw new AuthenticationError('no internal token');
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: INTERNAL_ISSUER,
          audience: options.audience,
          algorithms: [INTERNAL_ALGORITHM],
          clockTolerance: 5,
          requiredClaims: ['exp', 'iat'],
        }));
      } catch (error) {
        throw new AuthenticationError(reasonOf(error));
      }
      if (payload['anon'] === true) return ANONYMOUS;
      return callerFromClaims(payload);
    },
  };
}

/** The token of an `Authorization: Bearer …` header; undefined when there is none, null when malformed. */
export function bearerToken(header: string | undefined): string | undefined | null {
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*\.[A-Za-z0-9\-_]*)\s*$/i.exec(header);
  return match ? match[1]! : null;
}
