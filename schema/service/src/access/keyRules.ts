import { holdsDevelopmentKey } from './devKeys';
import { readJwksFile, readPrivateJwkFile } from './tokens';

/**
 * Why the production profile refuses a JWKS file (or undefined): missing, unreadable, or
 * holding a development key (key ids `development-…`, as `npm start` generates them).
 */
export function jwksFileRefusal(path: string | undefined, what: string): string | undefined {
  if (!path) return `must be set: production verifies ${what} with configured keys`;
  try {
    return holdsDevelopmentKey(readJwksFile(path))
      ? `holds development keys (a kid starting development-): production needs keys of its own`
      : undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Why the production profile refuses a private JWK file (or undefined), like `jwksFileRefusal`. */
export function privateJwkFileRefusal(path: string | undefined, what: string): string | undefined {
  if (!path) return `must be set: production signs ${what} with a key of its own`;
  try {
    return holdsDevelopmentKey(readPrivateJwkFile(path))
      ? `is a development key (its kid starts development-): production needs a key of its own`
      : undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
