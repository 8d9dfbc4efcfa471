// docker-compose.yml against what it deploys: supergraph.yaml (names, ports), the environment the
// services read, the PostgreSQL init script and the Dockerfile. Docker is not needed: the file is
// read, not run, so a port, database or variable that says one thing here and another elsewhere
// fails here instead of at `docker compose up`.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gatewayEnvSchema, SUBGRAPH_URL_PREFIX } from '@bicentennial/gateway';
import { envName, readSupergraphConfig, SCHEMA_DIR } from '@bicentennial/schema';
import { subgraphEnvSchema } from '@bicentennial/subgraph-kit';
import { parse } from 'yaml';

const REPO_ROOT = join(SCHEMA_DIR, '..');
const COMPOSE_PATH = join(REPO_ROOT, 'docker-compose.yml');
const DOCKERFILE = readFileSync(join(REPO_ROOT, 'schema', 'docker', 'Dockerfile'), 'utf8');
const GATEWAY_PORT = 4000;
const INIT_DIR = '/docker-entrypoint-initdb.d';

/** The gateway's own settings; SUBGRAPH_URL_<NAME> is read besides. */
const GATEWAY_ENV_NAMES = Object.keys(gatewayEnvSchema.shape);
/** Read by @apollo/gateway itself rather than by our schema. */
const APOLLO_ENV_NAMES = ['APOLLO_TELEMETRY_DISABLED'];

interface Build {
  context: string;
  dockerfile: string;
  args: Map<string, string>;
}

interface Service {
  name: string;
  image: string | undefined;
  build: Build | undefined;
  environment: Map<string, string>;
  /** `published:target` pairs (`4001:4001`). */
  ports: string[];
  /** Service → the condition this one waits for. */
  dependsOn: Map<string, string>;
  /** The healthcheck command, joined. */
  healthcheck: string | undefined;
  volumes: { source: string; target: string }[];
}

function mapping(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping`);
  }
  return value as Record<string, unknown>;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list`);
  return value;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${where}: expected a scalar`);
}

/** `environment` and `build.args` come as a mapping or as a list of `KEY=value`. */
function keyValues(value: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  if (Array.isArray(value)) {
    for (const entry of value) {
      const [key = '', ...rest] = scalar(entry, where).split('=');
      out.set(key, rest.join('='));
    }
    return out;
  }
  for (const [key, entry] of Object.entries(mapping(value, where))) {
    out.set(key, entry === null ? '' : scalar(entry, `${where}.${key}`));
  }
  return out;
}

function readBuild(value: unknown, where: string): Build | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { context: value, dockerfile: 'Dockerfile', args: new Map() };
  const build = mapping(value, where);
  return {
    context: build['context'] === undefined ? '.' : scalar(build['context'], `${where}.context`),
    dockerfile: build['dockerfile'] === undefined ? 'Dockerfile' : scalar(build['dockerfile'], `${where}.dockerfile`),
    args: keyValues(build['args'], `${where}.args`),
  };
}

/** Short syntax (`[ip:]published:target[/protocol]`) or long syntax (`{ target, published }`). */
function readPort(value: unknown, where: string): string {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const port = mapping(value, where);
    return `${scalar(port['published'], `${where}.published`)}:${scalar(port['target'], `${where}.target`)}`;
  }
  const parts = scalar(value, where)
    .replace(/\/(tcp|udp)$/, '')
    .split(':');
  const target = parts.at(-1) ?? '';
  return `${parts.length > 1 ? parts.at(-2) : target}:${target}`;
}

function readDependsOn(value: unknown, where: string): Map<string, string> {
  const out = new Map<string, string>();
  if (value === undefined) return out;
  if (Array.isArray(value)) {
    for (const name of value) out.set(scalar(name, where), 'service_started');
    return out;
  }
  for (const [name, entry] of Object.entries(mapping(value, where))) {
    const condition = mapping(entry, `${where}.${name}`)['condition'];
    out.set(name, condition === undefined ? 'service_started' : scalar(condition, `${where}.${name}.condition`));
  }
  return out;
}

function readHealthcheck(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  const test = mapping(value, where)['test'];
  if (Array.isArray(test)) return test.map((part) => scalar(part, `${where}.test`)).join(' ');
  return scalar(test, `${where}.test`);
}

function readVolume(value: unknown, where: string): { source: string; target: string } {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const volume = mapping(value, where);
    return { source: scalar(volume['source'], `${where}.source`), target: scalar(volume['target'], `${where}.target`) };
  }
  const [source = '', target = ''] = scalar(value, where).split(':');
  return { source, target };
}

function readCompose(path: string): Map<string, Service> {
  const document = mapping(parse(readFileSync(path, 'utf8'), { merge: true }), path);
  const services = new Map<string, Service>();
  for (const [name, value] of Object.entries(mapping(document['services'], 'services'))) {
    const where = `services.${name}`;
    const service = mapping(value, where);
    services.set(name, {
      name,
      image: service['image'] === undefined ? undefined : scalar(service['image'], `${where}.image`),
      build: readBuild(service['build'], `${where}.build`),
      environment: keyValues(service['environment'], `${where}.environment`),
      ports: list(service['ports'], `${where}.ports`).map((port) => readPort(port, `${where}.ports`)),
      dependsOn: readDependsOn(service['depends_on'], `${where}.depends_on`),
      healthcheck: readHealthcheck(service['healthcheck'], `${where}.healthcheck`),
      volumes: list(service['volumes'], `${where}.volumes`).map((volume) => readVolume(volume, `${where}.volumes`)),
    });
  }
  return services;
}

/** The http(s) URLs a healthcheck command mentions. */
function probedUrls(healthcheck: string | undefined): URL[] {
  return [...(healthcheck ?? '').matchAll(/https?:\/\/[^\s'"`)]+/g)].map((match) => new URL(match[0]));
}

/** The databases `CREATE DATABASE` statements create (comments ignored). */
function createdDatabases(sql: string): string[] {
  const code = sql.replace(/--.*$/gm, '');
  return [...code.matchAll(/\bcreate\s+database\s+"?([A-Za-z0-9_]+)"?/gi)].map((match) => match[1] ?? '');
}

/** The `ARG` names a Dockerfile declares. */
function dockerfileArgs(text: string): string[] {
  return [...text.matchAll(/^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/gim)].map((match) => match[1] ?? '');
}

const subgraphs = readSupergraphConfig();
const services = readCompose(COMPOSE_PATH);
const SUBGRAPH_ENV_NAMES = Object.keys(subgraphEnvSchema({ port: 0, pgliteDir: '.data' }).shape);

function service(name: string): Service {
  const found = services.get(name);
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** The service running PostgreSQL (the image `postgres`), found by image rather than by name. */
function postgresService(): Service {
  const found = [...services.values()].filter((s) => /^postgres(:|$)/.test(s.image ?? ''));
  expect(found).toHaveLength(1);
  return found[0] ?? service('postgres');
}

/** The service folder an image is built from: schema/docker/Dockerfile's `SERVICE_DIR`. */
function serviceDir(build: Build | undefined): string {
  return join(REPO_ROOT, build?.args.get('SERVICE_DIR') ?? '(no SERVICE_DIR)');
}

/** What the image runs: the compiled entry point of the service (`<SERVICE_DIR>/dist/index.js`). */
function imageEntry(build: Build | undefined): string {
  expect(DOCKERFILE).toMatch(/ENV SERVICE_ENTRY=\$\{SERVICE_DIR\}\/dist\/index\.js/);
  return join(serviceDir(build), 'src', 'index.ts');
}

function databaseUrl(subgraph: string): URL {
  return new URL(service(subgraph).environment.get('DATABASE_URL') ?? '');
}

describe('docker-compose.yml', () => {
  it('has a service for every subgraph of supergraph.yaml, the gateway, PostgreSQL and Redis, and nothing else', () => {
    const expected = [...subgraphs.map((s) => s.name), 'gateway', 'postgres', 'redis'];
    expect([...services.keys()].sort()).toEqual(expected.sort());
  });

  it('runs PostgreSQL 17 and Redis 7, each with a healthcheck', () => {
    const postgres = postgresService();
    expect(postgres.image).toBe('postgres:17');
    expect(postgres.healthcheck).toMatch(/\bpg_isready\b/);
    expect(service('redis').image).toBe('redis:7');
    expect(service('redis').healthcheck).toBe('CMD redis-cli ping');
  });

  describe.each(subgraphs.map((subgraph) => [subgraph.name, subgraph] as const))('subgraph %s', (name, subgraph) => {
    it("listens on supergraph.yaml's port, on every interface of the compose network, and publishes none", () => {
      const { environment, ports } = service(name);
      expect(environment.get('PORT')).toBe(String(subgraph.port));
      expect(environment.get('HOST')).toBe('0.0.0.0');
      expect(ports).toEqual([]);
    });

    it('runs the production profile', () => {
      expect(service(name).environment.get('PROFILE')).toBe('production');
    });

    it('uses a database of its own on the postgres service', () => {
      const url = databaseUrl(name);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe(postgresService().name);
      expect(url.port).toBe('5432');
      const database = url.pathname.slice(1);
      expect(database).toMatch(/^[a-z0-9_]+$/);
      const others = subgraphs.filter((s) => s.name !== name).map((s) => databaseUrl(s.name).pathname.slice(1));
      expect(others).not.toContain(database);
    });

    it('is healthy only when its own /ready answers', () => {
      const probes = probedUrls(service(name).healthcheck);
      expect(probes.map((url) => `${url.hostname}:${url.port}${url.pathname}`)).toEqual([
        `127.0.0.1:${subgraph.port}/ready`,
      ]);
    });

    it('starts once PostgreSQL is healthy', () => {
      expect(service(name).dependsOn.get(postgresService().name)).toBe('service_healthy');
    });

    it('is built to run its own entry point', () => {
      const { build } = service(name);
      expect(build?.args.get('SERVICE_DIR')).toBe(`subgraphs/${name}`);
      expect(imageEntry(build)).toBe(join(subgraph.packageDir, 'src', 'index.ts'));
      expect(existsSync(imageEntry(build))).toBe(true);
    });

    it('sets only variables the subgraph reads', () => {
      const unknown = [...service(name).environment.keys()].filter((key) => !SUBGRAPH_ENV_NAMES.includes(key));
      expect(unknown).toEqual([]);
    });
  });

  describe('gateway', () => {
    const gateway = () => service('gateway');

    it('routes to exactly the subgraphs of supergraph.yaml, at their services and ports', () => {
      const overrides = [...gateway().environment].filter(([key]) => key.startsWith(SUBGRAPH_URL_PREFIX));
      expect(overrides.map(([key]) => key).sort()).toEqual(
        subgraphs.map((s) => `${SUBGRAPH_URL_PREFIX}${envName(s.name)}`).sort(),
      );
      for (const subgraph of subgraphs) {
        const url = gateway().environment.get(`${SUBGRAPH_URL_PREFIX}${envName(subgraph.name)}`);
        expect(url).toBe(`http://${subgraph.name}:${subgraph.port}/graphql`);
        expect(services.has(subgraph.name)).toBe(true);
      }
    });

    it('listens on 4000 on every interface, publishes it, and keeps telemetry off', () => {
      const { environment, ports } = gateway();
      expect(environment.get('PORT')).toBe(String(GATEWAY_PORT));
      expect(environment.get('HOST')).toBe('0.0.0.0');
      expect(environment.get('APOLLO_TELEMETRY_DISABLED')).toBe('true');
      expect(environment.get('PROFILE')).toBe('production');
      expect(ports).toEqual([`${GATEWAY_PORT}:${GATEWAY_PORT}`]);
    });

    it('starts once every subgraph is healthy, and is healthy when its /ready answers', () => {
      const { dependsOn, healthcheck } = gateway();
      for (const subgraph of subgraphs) expect(dependsOn.get(subgraph.name)).toBe('service_healthy');
      expect(probedUrls(healthcheck).map((url) => `${url.hostname}:${url.port}${url.pathname}`)).toEqual([
        `127.0.0.1:${GATEWAY_PORT}/ready`,
      ]);
    });

    it('is built to run the gateway', () => {
      const { build } = gateway();
      expect(build?.args.get('SERVICE_DIR')).toBe('gateway');
      expect(imageEntry(build)).toBe(join(REPO_ROOT, 'gateway', 'src', 'index.ts'));
      expect(existsSync(imageEntry(build))).toBe(true);
    });

    it('sets only variables the gateway reads', () => {
      const known = (key: string) =>
        GATEWAY_ENV_NAMES.includes(key) || APOLLO_ENV_NAMES.includes(key) || key.startsWith(SUBGRAPH_URL_PREFIX);
      expect([...gateway().environment.keys()].filter((key) => !known(key))).toEqual([]);
    });
  });

  it('publishes only the gateway: subgraphs, PostgreSQL and Redis stay on the compose network', () => {
    const published = [...services.values()].filter((s) => s.ports.length > 0).map((s) => s.name);
    expect(published).toEqual(['gateway']);
  });

  it('builds a Node 24 image that runs the compiled service as a non-root user in production mode', () => {
    const stages = DOCKERFILE.split(/^FROM /m).slice(1);
    expect(stages[0]).toMatch(/^node:24[-.\w]* AS base/);
    const runtime = stages.at(-1) ?? '';
    expect(runtime).toMatch(/^base AS runtime/);
    expect(runtime).toMatch(/^ENV NODE_ENV=production PROFILE=production$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^COPY --from=build \/release \.\/$/m);
    expect(runtime).not.toMatch(/tsx/);
    expect(DOCKERFILE).toMatch(/npm run build/);
  });

  it('creates, in the PostgreSQL init script, exactly the databases the subgraphs use', () => {
    const mounts = postgresService().volumes.filter((v) => v.target.startsWith(`${INIT_DIR}/`));
    expect(mounts).toHaveLength(1);
    const script = resolve(dirname(COMPOSE_PATH), mounts[0]?.source ?? '');
    expect(existsSync(script)).toBe(true);
    const created = createdDatabases(readFileSync(script, 'utf8'));
    expect(created.sort()).toEqual(subgraphs.map((s) => databaseUrl(s.name).pathname.slice(1)).sort());
  });

  it('builds every image from a Dockerfile that exists and declares the build args passed to it', () => {
    const built = [...services.values()].filter((s) => s.build !== undefined);
    expect(built.map((s) => s.name).sort()).toEqual([...subgraphs.map((s) => s.name), 'gateway'].sort());
    for (const { name, build } of built) {
      const dockerfile = resolve(dirname(COMPOSE_PATH), build?.context ?? '', build?.dockerfile ?? '');
      expect({ name, exists: existsSync(dockerfile) }).toEqual({ name, exists: true });
      const declared = dockerfileArgs(readFileSync(dockerfile, 'utf8'));
      expect({ name, undeclared: [...(build?.args.keys() ?? [])].filter((arg) => !declared.includes(arg)) }).toEqual({
        name,
        undeclared: [],
      });
    }
  });
});

describe('docker-compose.yml keys', () => {
  // Read raw: the secrets are not part of the Service shape above.
  const raw = parse(readFileSync(COMPOSE_PATH, 'utf8'), { merge: true }) as {
    secrets: Record<string, { file: string }>;
    services: Record<string, { secrets?: string[]; environment: Record<string, string> }>;
  };
  const mounted = (name: string, path: string | undefined) => {
    const match = /^\/run\/secrets\/(\w+)$/.exec(path ?? '');
    return match !== null && (raw.services[name]?.secrets ?? []).includes(match[1]!) && match[1]! in raw.secrets;
  };

  it('gives every subgraph the gateway’s public JWKS as a mounted secret, as production requires', () => {
    for (const { name } of subgraphs) {
      expect([name, mounted(name, raw.services[name]?.environment['GATEWAY_JWKS_PATH'])]).toEqual([name, true]);
    }
  });

  it('gives the gateway the issuer’s JWKS and its signing key as mounted secrets, an issuer, an audience and Redis', () => {
    const env = raw.services['gateway']!.environment;
    expect(mounted('gateway', env['AUTH_JWKS_PATH'])).toBe(true);
    expect(mounted('gateway', env['INTERNAL_SIGNING_KEY_PATH'])).toBe(true);
    expect(env['AUTH_ISSUER']).toMatch(/^\$\{AUTH_ISSUER:\?/);
    expect(env['AUTH_AUDIENCE']).toBeTruthy();
    expect(env['REDIS_URL']).toBe(`redis://${'redis'}:6379`);
    // The files npm run keys writes, and what the signing key's public half is given to.
    expect(raw.secrets['internal_signing_key']?.file).toBe('./secrets/internal.private.json');
    expect(raw.secrets['internal_jwks']?.file).toBe('./secrets/internal.jwks.json');
  });
});
