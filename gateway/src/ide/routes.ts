import { Scope, type Country } from '@bicentennial/schema';
import { DEVELOPMENT_AUDIENCE, DEVELOPMENT_ISSUER, mintToken, type Logger } from '@bicentennial/service';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import type { JWK } from 'jose';
import { ensureIdeBuilt, hasSources, newestBuild, type BuiltIde } from './build';
import { readExamples, type IdeExample } from './examples';

/** A caller the development profile's picker offers, with a token minted from the development keys. */
interface DevelopmentRole {
  id: string;
  label: string;
  description: string;
  claims: { agency: string; country: Country; scopes: string[] } | null;
}

/**
 * The callers of the development profile's picker: the public, an analyst of each country, each
 * agency that writes, and an auditor. Tokens last DEVELOPMENT_TOKEN_TTL_SECONDS.
 */
export const DEVELOPMENT_ROLES: readonly DevelopmentRole[] = [
  {
    id: 'public',
    label: 'Public (no token)',
    description: 'What anyone sees: the catalogue and published figures.',
    claims: null,
  },
  {
    id: 'analyst-us',
    label: 'Analyst, United States',
    description: `DHS analyst (${Scope.ANALYST}): records releasable to the United States.`,
    claims: { agency: 'DHS', country: 'US', scopes: [Scope.ANALYST] },
  },
  {
    id: 'analyst-mx',
    label: 'Analista, México',
    description: `SSPC analyst (${Scope.ANALYST}): records releasable to Mexico.`,
    claims: { agency: 'SSPC', country: 'MX', scopes: [Scope.ANALYST] },
  },
  {
    id: 'cbp',
    label: 'CBP writer',
    description: `U.S. Customs and Border Protection (${Scope.BORDER_TRADE_WRITE}).`,
    claims: { agency: 'CBP', country: 'US', scopes: [Scope.BORDER_TRADE_WRITE] },
  },
  {
    id: 'cdc',
    label: 'CDC writer',
    description: `U.S. Centers for Disease Control and Prevention (${Scope.PUBLIC_HEALTH_WRITE}).`,
    claims: { agency: 'CDC', country: 'US', scopes: [Scope.PUBLIC_HEALTH_WRITE] },
  },
  {
    id: 'atf',
    label: 'ATF writer',
    description: `Bureau of Alcohol, Tobacco, Firearms and Explosives (${Scope.FIREARMS_WRITE}).`,
    claims: { agency: 'ATF', country: 'US', scopes: [Scope.FIREARMS_WRITE] },
  },
  {
    id: 'fincen',
    label: 'FinCEN writer',
    description: `Financial Crimes Enforcement Network (${Scope.FINANCE_WRITE}).`,
    claims: { agency: 'FinCEN', country: 'US', scopes: [Scope.FINANCE_WRITE] },
  },
  {
    id: 'fgr',
    label: 'FGR writer',
    description: `Fiscalía General de la República (${Scope.EXTRADITION_WRITE}).`,
    claims: { agency: 'FGR', country: 'MX', scopes: [Scope.EXTRADITION_WRITE] },
  },
  {
    id: 'auditor',
    label: 'Auditor',
    description: `Reads the audit trail (${Scope.AUDITOR}).`,
    claims: { agency: 'OIG', country: 'US', scopes: [Scope.AUDITOR] },
  },
];

const DEVELOPMENT_TOKEN_TTL_SECONDS = 8 * 3600;

/**
 * Nothing the page loads may come from anywhere but the gateway: scripts, styles, fonts, workers
 * and requests are all 'self' (Monaco sets inline styles; its fonts are data: URLs).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(build: BuiltIde): string {
  const asset = (file: string) => `ide/assets/${escapeHtml(encodeURI(file))}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bicentennial Graph · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${asset(build.stylesheet)}" />
    <script type="module" src="${asset(build.script)}"></script>
  </head>
  <body>
    <noscript>The IDE needs JavaScript. The graph itself answers POST requests on this URL.</noscript>
    <div id="root"></div>
  </body>
</html>
`;
}

/** Whether a GET asks for a page: a browser's Accept prefers HTML to a GraphQL response. */
function wantsPage(req: express.Request): boolean {
  return req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

export interface IdeOptions {
  profile: 'development' | 'production';
  logger: Logger;
  /**
   * The development issuer's private key, when the gateway verifies tokens with the development
   * keys: the picker offers DEVELOPMENT_ROLES with tokens it signs. Never set in production.
   */
  developmentIssuer?: JWK | undefined;
}

/**
 * The IDE: the page on `GET /` and `GET /graphql` for a browser (any other GET or POST is left to
 * the GraphQL endpoint), its assets under `/ide/assets/` (immutable, gzipped when accepted) and
 * its configuration `/ide/config.json` (the profile, the example tabs, the development roles).
 * Built on first use from a checkout's sources (build.ts), or served as a release built it.
 */
export function ideRouter(options: IdeOptions): express.Router {
  const { logger } = options;
  let building: Promise<BuiltIde | null> | undefined;
  const built = (): Promise<BuiltIde | null> => {
    building ??= (hasSources() ? ensureIdeBuilt() : Promise.resolve(newestBuild())).then(
      (build) => {
        if (!build) logger.error('the IDE is not built into this release: run npm run build before npm run release');
        else logger.info({ stamp: build.stamp }, 'IDE ready');
        return build;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'the IDE could not be built');
        building = undefined;
        return null;
      },
    );
    return building;
  };
  const unavailable = (res: express.Response) =>
    res.status(503).json({
      errors: [
        {
          message: 'The IDE is not available on this gateway; the graph answers POST requests on /graphql.',
          extensions: { code: 'IDE_UNAVAILABLE' },
        },
      ],
    });

  let examples: IdeExample[] | undefined;
  const config = async () => {
    examples ??= readExamples();
    const roles =
      options.developmentIssuer === undefined
        ? []
        : await Promise.all(
            DEVELOPMENT_ROLES.map(async (role) => ({
              id: role.id,
              label: role.label,
              description: role.description,
              token:
                role.claims === null
                  ? null
                  : await mintToken(options.developmentIssuer!, {
                      issuer: DEVELOPMENT_ISSUER,
                      audience: DEVELOPMENT_AUDIENCE,
                      subject: `${role.id}-ide`,
                      agency: role.claims.agency,
                      country: role.claims.country,
                      scopes: role.claims.scopes,
                      ttlSeconds: DEVELOPMENT_TOKEN_TTL_SECONDS,
                    }),
            })),
          );
    return {
      profile: options.profile,
      // A write example is for the development profile, where the picker has a writer's token.
      examples: examples
        .filter((example) => example.type === 'query' || options.profile === 'development')
        .map(({ name, description, query, variables }) => ({ name, title: name, description, query, variables })),
      roles,
    };
  };

  const router = express.Router();
  router.get(['/', '/graphql'], (req, res, next) => {
    if (!wantsPage(req)) {
      next();
      return;
    }
    built().then(
      (build) => {
        if (!build) {
          unavailable(res);
          return;
        }
        res
          .set({
            'Content-Type': 'text/html; charset=utf-8',
            'Content-Security-Policy': CONTENT_SECURITY_POLICY,
            'X-Content-Type-Options': 'nosniff',
            'Referrer-Policy': 'no-referrer',
            'Cache-Control': 'no-cache',
          })
          // The page or a GraphQL answer on the same URL, by `Accept` (kept beside cors's `Origin`).
          .vary('Accept')
          .send(page(build));
      },
      (error: unknown) => next(error),
    );
  });
  router.get('/ide/config.json', (_req, res, next) => {
    config().then(
      (body) => res.set('Cache-Control', 'no-store').json(body),
      (error: unknown) => next(error),
    );
  });
  const servers = new Map<string, express.RequestHandler>();
  router.use('/ide/assets', (req, res, next) => {
    built().then(
      (build) => {
        if (!build) {
          unavailable(res);
          return;
        }
        let serve = servers.get(build.dir);
        if (!serve) {
          serve = expressStaticGzip(build.dir, {
            enableBrotli: false,
            index: false,
            serveStatic: { immutable: true, maxAge: '365d', index: false },
          });
          servers.set(build.dir, serve);
        }
        res.set('X-Content-Type-Options', 'nosniff');
        serve(req, res, next);
      },
      (error: unknown) => next(error),
    );
  });
  return router;
}
