import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readDashboardOperations } from './operations';

/** The dashboard's workspace (gateway/dashboard): browser sources, operations, built assets. */
export const DASHBOARD_DIR = join(__dirname, '..', '..', 'dashboard');
/** Its persisted operations, one or more named operations in `.graphql` files. */
export const DASHBOARD_OPERATIONS_DIR = join(DASHBOARD_DIR, 'operations');
/**
 * Where builds go, one folder per build stamp: dist/, which git, ESLint, Prettier and the release
 * step already treat as built output (gitignored; shipped by a release as the package's build).
 */
export const DASHBOARD_BUILD_DIR = join(DASHBOARD_DIR, 'dist');
const SOURCES = join(DASHBOARD_DIR, 'src');
const ENTRY = join(SOURCES, 'main.ts');
const LABELS = join(SOURCES, 'labels.json');

/** The texts of the page before its script runs, in each language (from the dictionary). */
export interface DashboardShellTexts {
  title: string;
  loading: string;
  noscript: string;
}

/** What a build wrote, as `build.json` in its folder. */
export interface DashboardBuild {
  /** The hash of the sources, operations and bundler version the build was made from. */
  stamp: string;
  /** The page's script and stylesheet, file names in the build's folder (content-hashed). */
  script: string;
  stylesheet: string;
  /** The persisted operations bundled into the script, by name and id. */
  operations: { name: string; id: string }[];
  shell: { en: DashboardShellTexts; es: DashboardShellTexts };
  builtAt: string;
}

export interface BuiltDashboard extends DashboardBuild {
  dir: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

function esbuildVersion(): string {
  try {
    return (
      JSON.parse(readFileSync(require.resolve('esbuild/package.json', { paths: [DASHBOARD_DIR] }), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    // Not installed (a release): the stamp only matters where the sources are.
    return 'absent';
  }
}

/** The stamp of the dashboard as its sources are now: sources, operations, this code, esbuild's version. */
export function sourceStamp(): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(SOURCES),
    ...filesUnder(DASHBOARD_OPERATIONS_DIR),
    join(DASHBOARD_DIR, 'package.json'),
    __filename,
    join(__dirname, `operations${__filename.endsWith('.ts') ? '.ts' : '.js'}`),
  ];
  for (const file of files) {
    hash.update(relative(DASHBOARD_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  hash.update(`esbuild@${esbuildVersion()}\0`);
  return hash.digest('hex').slice(0, 16);
}

function readBuild(dir: string): BuiltDashboard | null {
  try {
    const build = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')) as DashboardBuild;
    return existsSync(join(dir, build.script)) && existsSync(join(dir, build.stylesheet)) ? { ...build, dir } : null;
  } catch {
    return null;
  }
}

/** The newest complete build in DASHBOARD_BUILD_DIR, whatever its stamp (what a release runs). */
export function newestBuild(): BuiltDashboard | null {
  if (!existsSync(DASHBOARD_BUILD_DIR)) return null;
  const builds = readdirSync(DASHBOARD_BUILD_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => readBuild(join(DASHBOARD_BUILD_DIR, entry.name)))
    .filter((build): build is BuiltDashboard => build !== null);
  builds.sort((a, b) => b.builtAt.localeCompare(a.builtAt));
  return builds[0] ?? null;
}

/** Whether this is a checkout with the dashboard's sources (a release ships only the build). */
export function hasSources(): boolean {
  return existsSync(ENTRY);
}

function shellTexts(): DashboardBuild['shell'] {
  type Dictionary = Record<'en' | 'es', Record<string, string>>;
  const labels = JSON.parse(readFileSync(LABELS, 'utf8')) as Dictionary;
  const texts = (lang: 'en' | 'es'): DashboardShellTexts => ({
    title: labels[lang]['documentTitleLoading'] ?? '',
    loading: labels[lang]['loading'] ?? '',
    noscript: labels[lang]['noscript'] ?? '',
  });
  return { en: texts('en'), es: texts('es') };
}

/**
 * Bundles the dashboard with esbuild into DASHBOARD_BUILD_DIR/<stamp>, unless that build exists:
 * one script (its persisted operations defined into it) and one stylesheet, minified and
 * content-hashed, each also gzipped. Built into a scratch folder and renamed into place, so that
 * processes building at once never serve a half-written build; older builds are removed.
 */
export async function ensureDashboardBuilt(): Promise<BuiltDashboard> {
  const stamp = sourceStamp();
  const target = join(DASHBOARD_BUILD_DIR, stamp);
  const existing = readBuild(target);
  if (existing) return existing;
  const operations = readDashboardOperations(DASHBOARD_OPERATIONS_DIR);
  const { build } = await import('esbuild');
  mkdirSync(DASHBOARD_BUILD_DIR, { recursive: true });
  const scratch = join(DASHBOARD_BUILD_DIR, `.build-${process.pid}-${randomUUID()}`);
  try {
    const result = await build({
      absWorkingDir: DASHBOARD_DIR,
      entryPoints: { dashboard: ENTRY },
      bundle: true,
      minify: true,
      format: 'esm',
      target: ['es2022'],
      outdir: scratch,
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      metafile: true,
      logLevel: 'silent',
      legalComments: 'linked',
      define: {
        DASHBOARD_OPERATIONS: JSON.stringify(
          Object.fromEntries(operations.map(({ name, id, body }) => [name, { id, body }])),
        ),
      },
    });
    const outputs = Object.keys(result.metafile.outputs).map((path) => relative(scratch, join(DASHBOARD_DIR, path)));
    const script = outputs.find((file) => /^dashboard-[^/]+\.js$/.test(file));
    const stylesheet = outputs.find((file) => /^dashboard-[^/]+\.css$/.test(file));
    if (!script || !stylesheet) throw new Error(`esbuild wrote no script or stylesheet (${outputs.join(', ')})`);
    for (const file of filesUnder(scratch)) {
      if (statSync(file).size > 1024) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
    }
    const built: DashboardBuild = {
      stamp,
      script,
      stylesheet,
      operations: operations.map(({ name, id }) => ({ name, id })),
      shell: shellTexts(),
      builtAt: new Date().toISOString(),
    };
    writeFileSync(join(scratch, 'build.json'), `${JSON.stringify(built, null, 2)}\n`);
    try {
      renameSync(scratch, target);
    } catch (error) {
      // Another process finished the same build first: use its.
      const theirs = readBuild(target);
      if (!theirs) throw error;
      return theirs;
    }
    for (const entry of readdirSync(DASHBOARD_BUILD_DIR)) {
      if (entry !== stamp && !entry.startsWith('.build-'))
        rmSync(join(DASHBOARD_BUILD_DIR, entry), { recursive: true, force: true });
    }
    return { ...built, dir: target };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
