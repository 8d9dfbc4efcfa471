import { parseArgs } from 'node:util';
import { ALL_SCOPES, COUNTRIES, type Country } from '@bicentennial/schema';
import {
  DEFAULT_DEV_KEYS_DIR,
  DEVELOPMENT_AUDIENCE,
  DEVELOPMENT_ISSUER,
  ensureDevelopmentKeys,
  mintToken,
  readPrivateJwkFile,
} from '@bicentennial/service';

const USAGE = `Mints a caller token: with the development keys (what npm start verifies), or with --key.

  npm run token -- --agency CBP --country US --scope "border-trade:write" [--sub jdoe] [--ttl 3600]

  --agency   the agency claim (CBP, FGR, ...)                        required
  --country  US or MX                                                 required
  --scope    space-separated scopes (${ALL_SCOPES.join(', ')})        optional
  --sub      the subject (default: <agency>-developer)               optional
  --ttl      lifetime in seconds (default 3600, at most 86400)        optional
  --key      a private JWK to sign with instead (npm run keys -- --out <dir> --issuer makes one),
             with --issuer and --audience as the gateway's AUTH_ISSUER and AUTH_AUDIENCE

Prints the token; send it as "Authorization: Bearer <token>". Keys: DEV_KEYS_DIR (default .dev-keys/).`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        agency: { type: 'string' },
        country: { type: 'string' },
        scope: { type: 'string', default: '' },
        sub: { type: 'string' },
        ttl: { type: 'string', default: '3600' },
        key: { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const agency = values.agency ?? fail('--agency is required');
  if (!/^[A-Za-z0-9][\w-]{0,39}$/.test(agency)) fail('--agency must be 1 to 40 letters, digits, - or _');
  const country = values.country ?? fail('--country is required');
  if (!COUNTRIES.includes(country as Country)) fail('--country must be US or MX');
  const scopes = values.scope.split(/\s+/).filter(Boolean);
  const unknown = scopes.filter((s) => !(ALL_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) fail(`unknown scope ${unknown.join(', ')}; the scopes are: ${ALL_SCOPES.join(', ')}`);
  const ttl = Number(values.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) fail('--ttl must be a whole number of seconds, 1 to 86400');
  if (values.key && (!values.issuer || !values.audience)) fail('--key needs --issuer and --audience');
  const privateJwk = values.key
    ? readPrivateJwkFile(values.key)
    : (await ensureDevelopmentKeys(process.env['DEV_KEYS_DIR'] || DEFAULT_DEV_KEYS_DIR)).issuer.privateJwk;
  const token = await mintToken(privateJwk, {
    issuer: values.issuer ?? DEVELOPMENT_ISSUER,
    audience: values.audience ?? DEVELOPMENT_AUDIENCE,
    subject: values.sub ?? `${agency.toLowerCase()}-developer`,
    agency,
    country: country as Country,
    scopes,
    ttlSeconds: ttl,
  });
  process.stdout.write(`${token}\n`);
}

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
