import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

export const SCHEMA_DIR = join(__dirname, '..');
export const SUPERGRAPH_CONFIG_PATH = join(SCHEMA_DIR, 'supergraph.yaml');
export const SUPERGRAPH_PATH = join(SCHEMA_DIR, 'supergraph.graphql');

const configSchema = z.strictObject({
  subgraphs: z.record(
    z.string().regex(/^[a-z]+(-[a-z]+)*$/, 'subgraph names are kebab-case'),
    z.strictObject({
      routing_url: z.url({ protocol: /^https?$/ }),
      schema: z.strictObject({ file: z.string().min(1) }),
    }),
  ),
});

export interface SubgraphConfig {
  /** kebab-case, as in the supergraph (`public-health`). */
  name: string;
  routingUrl: string;
  /** Default port of `npm start` and docker-compose.yml (from the routing URL). */
  port: number;
  /** Absolute path of the subgraph's own SDL file. */
  sdlPath: string;
  /** Absolute path of the subgraph's package. */
  packageDir: string;
}

/** The supergraph config (`schema/supergraph.yaml`), validated, in file order. */
export function readSupergraphConfig(path: string = SUPERGRAPH_CONFIG_PATH): SubgraphConfig[] {
  const config = configSchema.parse(parse(readFileSync(path, 'utf8')));
  return Object.entries(config.subgraphs).map(([name, entry]) => {
    const sdlPath = resolve(dirname(path), entry.schema.file);
    return {
      name,
      routingUrl: entry.routing_url,
      port: Number(new URL(entry.routing_url).port),
      sdlPath,
      packageDir: resolve(dirname(sdlPath), '..'),
    };
  });
}

/** `public-health` → `PUBLIC_HEALTH`, for environment variable names. */
export function envName(subgraph: string): string {
  return subgraph.toUpperCase().replace(/-/g, '_');
}
