import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../stack/stack';

const run = promisify(execFile);

interface Manifest {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  /** The folder `npm run build` writes what the workspace ships (default dist). */
  buildOutput?: string;
  [key: string]: unknown;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')) as Manifest;

/** Every workspace folder by package name. */
function workspaces(): Map<string, string> {
  const root = readManifest('.');
  return new Map((root.workspaces ?? []).map((dir) => [readManifest(dir).name, dir]));
}

/** The workspace folders a service needs at run time: itself and its production workspace dependencies. */
export function runtimeWorkspaces(serviceDir: string): string[] {
  const byName = workspaces();
  const needed = new Set<string>();
  const visit = (dir: string) => {
    if (needed.has(dir)) return;
    needed.add(dir);
    for (const dep of Object.keys(readManifest(dir).dependencies ?? {})) {
      const target = byName.get(dep);
      if (target) visit(target);
    }
  };
  visit(serviceDir);
  return [...needed].sort();
}

/**
 * What a workspace ships: its built output and the files it reads at run time (SDL, migrations,
 * seed data, the composed supergraph and the persisted operations the gateway's safelist reads),
 * never its TypeScript sources, tests or local state.
 */
export function shipped(dir: string, sub = ''): string[] {
  const here = join(REPO_ROOT, dir, sub);
  return readdirSync(here, { withFileTypes: true }).flatMap((entry) => {
    const path = join(sub, entry.name);
    if (entry.isDirectory()) {
      if (['node_modules', '.data', '.tmp', '__tests__', 'coverage'].includes(entry.name)) return [];
      // A workspace inside another (schema/service in schema) is shipped on its own, if needed.
      if (sub === '' && existsSync(join(here, entry.name, 'package.json'))) return [];
      return shipped(dir, path);
    }
    if (/\.(ts|tsbuildinfo)$/.test(entry.name)) return [];
    if (/^(tsconfig.*\.json|jest\.config\.js|codegen\.json)$/.test(entry.name)) return [];
    return [path];
  });
}

export interface Release {
  /** The folder holding the service, ready to run with `node <serviceDir>/dist/index.js`. */
  dir: string;
  workspaces: string[];
}

/**
 * Lays out one service of the graph in `outDir` as its container image holds it: the built
 * output of the service and of the workspace packages it depends on, a root manifest naming only
 * those workspaces, the repository's lockfile, and their production dependencies installed from
 * it (`npm install --omit=dev`, no install scripts). Run `npm run build` first.
 */
export async function deployService(
  serviceDir: string,
  outDir: string,
  options: { offline?: boolean } = {},
): Promise<Release> {
  const out = resolve(outDir);
  if (out === REPO_ROOT || REPO_ROOT.startsWith(`${out}${sep}`) || out === '/') {
    throw new Error(`refusing to lay a release out in ${out}: it would delete the repository`);
  }
  const needed = runtimeWorkspaces(serviceDir);
  for (const dir of needed) {
    // Compiled TypeScript in dist/, unless the workspace names another folder (the IDE's bundle: public/).
    const output = readManifest(dir).buildOutput ?? 'dist';
    if (!existsSync(join(REPO_ROOT, dir, output))) {
      throw new Error(`${dir} has no build output (${output}/): run \`npm run build\` first`);
    }
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const root = readManifest('.');
  const manifest: Manifest = {
    name: root.name,
    private: true,
    workspaces: needed,
    ...(root['overrides'] ? { overrides: root['overrides'] } : {}),
  };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  cpSync(join(REPO_ROOT, 'package-lock.json'), join(out, 'package-lock.json'));
  for (const dir of needed) {
    for (const file of shipped(dir)) {
      const target = join(out, dir, file);
      mkdirSync(dirname(target), { recursive: true });
      cpSync(join(REPO_ROOT, dir, file), target);
    }
    const { devDependencies: _dev, scripts: _scripts, ...production } = readManifest(dir);
    writeFileSync(join(out, dir, 'package.json'), `${JSON.stringify(production, null, 2)}\n`);
  }
  await run(
    'npm',
    [
      'install',
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...(options.offline ? ['--prefer-offline'] : []),
    ],
    { cwd: out, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 16 * 2 ** 20 },
  );
  return { dir: out, workspaces: needed.map((dir) => relative(out, join(out, dir))) };
}
