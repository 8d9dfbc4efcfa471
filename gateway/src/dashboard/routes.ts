import { ErrorCode, LANGUAGE_HEADER, negotiateLanguage } from '@bicentennial/schema';
import type { Logger } from '@bicentennial/service';
import express from 'express';
import expressStaticGzip from 'express-static-gzip';
import { ensureDashboardBuilt, hasSources, newestBuild, type BuiltDashboard } from './build';

/**
 * Nothing the page loads may come from anywhere but the gateway, and it needs nothing inline: its
 * script and stylesheet are files, its charts are SVG elements it creates (no style attributes).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The page: its language, title and a loading line in that language (the script renders the rest
 * and switches languages itself). Paths are relative to `/dashboard`, so that the page works
 * under any prefix a proxy mounts the gateway at: `dashboard/assets/…` and the graph's `graphql`.
 */
function page(build: BuiltDashboard, lang: 'en' | 'es'): string {
  const asset = (file: string) => `dashboard/assets/${escapeHtml(encodeURI(file))}`;
  const texts = build.shell[lang];
  return `<!doctype html>
<html lang="${lang}" data-graphql="graphql">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(texts.title)}</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${asset(build.stylesheet)}" />
    <script type="module" src="${asset(build.script)}"></script>
  </head>
  <body data-state="loading">
    <main><p>${escapeHtml(texts.loading)}</p></main>
    <noscript><p>${escapeHtml(texts.noscript)}</p></noscript>
  </body>
</html>
`;
}

/** The page's language: `?lang=en|es`, else the one the browser prefers (Accept-Language). */
function pageLanguage(req: express.Request): { lang: 'en' | 'es'; fromUrl: boolean } {
  const asked = typeof req.query['lang'] === 'string' ? req.query['lang'].toLowerCase() : undefined;
  if (asked === 'en' || asked === 'es') return { lang: asked, fromUrl: true };
  return { lang: negotiateLanguage(req.get(LANGUAGE_HEADER)) === 'ES' ? 'es' : 'en', fromUrl: false };
}

export interface DashboardOptions {
  logger: Logger;
}

/**
 * The public reference dashboard: the page on `GET /dashboard` (`?lang=es` for Spanish), its
 * assets under `/dashboard/assets/` (content-hashed: immutable for a year, gzipped when accepted).
 * The page is short-lived (`no-cache`: revalidated by its ETag on every visit), so a new build's
 * assets are picked up at once. Built in a checkout from its sources (build.ts), starting as the
 * router is made so that the first visit is not kept waiting; a release serves what it shipped.
 * Without a build the page is 503 DASHBOARD_UNAVAILABLE and the graph serves on.
 */
export function dashboardRouter(options: DashboardOptions): express.Router {
  const { logger } = options;
  let building: Promise<BuiltDashboard | null> | undefined;
  const built = (): Promise<BuiltDashboard | null> => {
    building ??= (hasSources() ? ensureDashboardBuilt() : Promise.resolve(newestBuild())).then(
      (build) => {
        if (!build)
          logger.error('the dashboard is not built into this release: run npm run build before npm run release');
        else logger.info({ stamp: build.stamp }, 'dashboard ready');
        return build;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'the dashboard could not be built');
        building = undefined;
        return null;
      },
    );
    return building;
  };
  void built();
  const unavailable = (res: express.Response) =>
    res.status(503).json({
      errors: [
        {
          message: 'The dashboard is not available on this gateway; the graph answers on /graphql.',
          extensions: { code: ErrorCode.DASHBOARD_UNAVAILABLE },
        },
      ],
    });

  const router = express.Router({ strict: true });
  // `/dashboard/` would resolve the page's relative paths under it: one address for the page.
  router.get('/dashboard/', (req, res) => {
    const at = req.originalUrl.indexOf('?');
    res.redirect(301, `../dashboard${at === -1 ? '' : req.originalUrl.slice(at)}`);
  });
  router.get('/dashboard', (req, res, next) => {
    built().then(
      (build) => {
        if (!build) {
          unavailable(res);
          return;
        }
        const { lang, fromUrl } = pageLanguage(req);
        res.set({
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Language': lang,
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-cache',
        });
        if (!fromUrl) res.vary('Accept-Language');
        res.send(page(build, lang));
      },
      (error: unknown) => next(error),
    );
  });
  const servers = new Map<string, express.RequestHandler>();
  router.use('/dashboard/assets', (req, res, next) => {
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
        // build.json is the gateway's, not the page's.
        if (req.path === '/build.json') {
          next();
          return;
        }
        res.set('X-Content-Type-Options', 'nosniff');
        serve(req, res, next);
      },
      (error: unknown) => next(error),
    );
  });
  return router;
}
