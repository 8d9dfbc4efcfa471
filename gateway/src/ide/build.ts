import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The IDE's workspace (gateway/ide): its browser sources, examples and built assets. */
export const IDE_DIR = join(__dirname, '..', '..', 'ide');
/** Where builds go, one folder per build stamp (gitignored; shipped by a release). */
export const IDE_PUBLIC_DIR = join(IDE_DIR, 'public');
const ENTRY = join(IDE_DIR, 'src', 'main.ts');

/** What a build wrote, as `build.json` in its folder. */
export interface IdeBuild {
  /** The hash of the sources and package versions the build was made from. */
  stamp: string;
  /** The page's script and stylesheet, file names in the build's folder. */
  script: string;
  stylesheet: string;
  builtAt: string;
}

export interface BuiltIde extends IdeBuild {
  dir: string;
}

/** The packages whose versions are part of the stamp: a reinstall with other versions rebuilds. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/plugin-explorer',
  '@graphiql/react',
  'monaco-editor',
  'monaco-graphql',
  'react',
  'react-dom',
  'esbuild',
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** The stamp of the IDE as its sources are now: sources, this file, and the bundled packages' versions. */
export function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(IDE_DIR, 'src')), join(IDE_DIR, 'package.json'), __filename]) {
    hash.update(relative(IDE_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const name of BUNDLED_PACKAGES) {
    let version = 'absent';
    try {
      version = (
        JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [IDE_DIR] }), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      // Not installed (a release): the stamp only matters where the sources are.
    }
    hash.update(`${name}@${version}\0`);
  }
  return hash.digest('hex').slice(0, 16);
}

function readBuild(dir: string): BuiltIde | null {
  try {
    const build = JSON.parse(readFileSync(join(dir, 'build.json'), 'utf8')) as IdeBuild;
    return existsSync(join(dir, build.script)) && existsSync(join(dir, build.stylesheet)) ? { ...build, dir } : null;
  } catch {
    return null;
  }
}

/** The newest complete build in IDE_PUBLIC_DIR, whatever its stamp (what a release runs). */
export function newestBuild(): BuiltIde | null {
  if (!existsSync(IDE_PUBLIC_DIR)) return null;
  const builds = readdirSync(IDE_PUBLIC_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => readBuild(join(IDE_PUBLIC_DIR, entry.name)))
    .filter((build): build is BuiltIde => build !== null);
  builds.sort((a, b) => b.builtAt.localeCompare(a.builtAt));
  return builds[0] ?? null;
}

/** Whether this is a checkout with the IDE's sources (a release ships only the built assets). */
export function hasSources(): boolean {
  return existsSync(ENTRY);
}

/**
 * Bundles the IDE with esbuild into IDE_PUBLIC_DIR/<stamp>, unless that build exists: GraphiQL,
 * its explorer, React and Monaco's three web workers, minified, each file also gzipped (served
 * when the browser accepts it). Built into a scratch folder and renamed into place, so processes
 * building at once never serve a half-written build; older builds are removed.
 */
export async function ensureIdeBuilt(): Promise<BuiltIde> {
  const stamp = sourceStamp();
  const target = join(IDE_PUBLIC_DIR, stamp);
  const existing = readBuild(target);
  if (existing) return existing;
  const { build } = await import('esbuild');
  mkdirSync(IDE_PUBLIC_DIR, { recursive: true });
  const scratch = join(IDE_PUBLIC_DIR, `.build-${process.pid}-${randomUUID()}`);
  try {
    const common = {
      absWorkingDir: IDE_DIR,
      bundle: true,
      minify: true,
      outdir: scratch,
      entryNames: '[name]-[hash]',
      assetNames: '[name]-[hash]',
      metafile: true,
      logLevel: 'silent' as const,
      legalComments: 'linked' as const,
      define: { 'process.env.NODE_ENV': '"production"' },
    };
    // Monaco's workers, as classic scripts the page starts with `new Worker(url)`.
    const workers = await build({
      ...common,
      format: 'iife',
      entryPoints: {
        'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
        'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
        'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
      },
    });
    const workerFile = (name: string) => {
      const output = Object.entries(workers.metafile?.outputs ?? {}).find(
        ([, meta]) => meta.entryPoint !== undefined && meta.entryPoint.endsWith(name),
      );
      if (!output) throw new Error(`esbuild wrote no output for ${name}`);
      return relative(scratch, join(IDE_DIR, output[0]));
    };
    const page = await build({
      ...common,
      format: 'esm',
      target: ['es2022'],
      entryPoints: { ide: ENTRY },
      loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
      define: {
        ...common.define,
        IDE_WORKERS: JSON.stringify({
          editor: workerFile('editor.worker.js'),
          json: workerFile('json.worker.js'),
          graphql: workerFile('graphql.worker.js'),
        }),
      },
    });
    const outputs = Object.keys(page.metafile?.outputs ?? {}).map((path) => relative(scratch, join(IDE_DIR, path)));
    const script = outputs.find((file) => /^ide-[^/]+\.js$/.test(file));
    const stylesheet = outputs.find((file) => /^ide-[^/]+\.css$/.test(file));
    if (!script || !stylesheet) throw new Error(`esbuild wrote no page script or stylesheet (${outputs.join(', ')})`);
    for (const file of filesUnder(scratch)) {
      if (statSync(file).size > 1024) writeFileSync(`${file}.gz`, gzipSync(readFileSync(file), { level: 9 }));
    }
    const built: IdeBuild = { stamp, script, stylesheet, builtAt: new Date().toISOString() };
    writeFileSync(join(scratch, 'build.json'), `${JSON.stringify(built, null, 2)}\n`);
    try {
      renameSync(scratch, target);
    } catch (error) {
      // Another process finished the same build first: use its.
      const theirs = readBuild(target);
      if (!theirs) throw error;
      return theirs;
    }
    for (const entry of readdirSync(IDE_PUBLIC_DIR)) {
      if (entry !== stamp && !entry.startsWith('.build-'))
        rmSync(join(IDE_PUBLIC_DIR, entry), { recursive: true, force: true });
    }
    return { ...built, dir: target };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
