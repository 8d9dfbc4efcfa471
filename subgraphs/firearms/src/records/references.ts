import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORGANIZATION_SLUG, organizationSlugs, seedDir } from '@bicentennial/seeds';
import { z } from 'zod';

/**
 * Shared reference lists this subgraph validates against: the U.S.–Mexico land ports by CBP code
 * (seeds/border-trade/ports.json), the ISO 3166 regions (seeds/framework/regions.json) and the
 * criminal organizations by slug (seeds/finance/organizations.json, read by `organizationSlugs`
 * of @bicentennial/seeds). They are read as files, never from another subgraph's database; fields
 * this subgraph does not use are ignored, so the owners can add to the files freely.
 */
export const PORTS_FILE = join(seedDir('border-trade'), 'ports.json');
export const REGIONS_FILE = join(seedDir('framework'), 'regions.json');

const portsFile = z.object({
  ports: z.array(
    z.object({
      code: z.string().regex(/^\d{4}$/),
      state: z.string().regex(/^US-[A-Z]{2}$/),
      kind: z.string(),
      counterpartState: z
        .string()
        .regex(/^MX-[A-Z]{3}$/)
        .nullable(),
    }),
  ),
});
const regionsFile = z.object({
  regions: z.array(z.object({ code: z.string().regex(/^(US|MX)(-[A-Z]{2,3})?$/), country: z.enum(['US', 'MX']) })),
});

export interface LandPort {
  code: string;
  /** ISO 3166-2 code of the U.S. state the port is in. */
  stateCode: string;
  /** ISO 3166-2 code of the Mexican state across the border, when the list gives it. */
  counterpartState: string | null;
}

let ports: ReadonlyMap<string, LandPort> | undefined;
let states: ReadonlySet<string> | undefined;

/** The U.S.–Mexico land ports by code (read once). */
export function landPorts(): ReadonlyMap<string, LandPort> {
  ports ??= new Map(
    portsFile
      .parse(JSON.parse(readFileSync(PORTS_FILE, 'utf8')))
      .ports.filter((p) => p.kind === 'LAND')
      .map((p) => [p.code, { code: p.code, stateCode: p.state, counterpartState: p.counterpartState }]),
  );
  return ports;
}

/** The ISO 3166-2 codes of the two countries' states (and Mexico City, DC) (read once). */
export function stateCodes(): ReadonlySet<string> {
  states ??= new Set(
    regionsFile
      .parse(JSON.parse(readFileSync(REGIONS_FILE, 'utf8')))
      .regions.map((r) => r.code)
      .filter((code) => code.includes('-')),
  );
  return states;
}

export const COUNTRIES = ['US', 'MX'] as const;
export type Country = (typeof COUNTRIES)[number];

/**
 * Why `state` is not a state of `country`, or null when it is one. The message names the code, so
 * that an import's per-row errors say which value is wrong.
 */
export function stateProblem(state: string, country: string): string | null {
  if (!state.startsWith(`${country}-`))
    return `${state} is not a state of ${country} (ISO 3166-2, e.g. ${country}-${country === 'US' ? 'TX' : 'CHH'})`;
  if (!stateCodes().has(state)) return `${state} is not an ISO 3166-2 code of a state of ${country}`;
  return null;
}

/** A criminal organization's slug, the finance subgraph's identifier (`CJNG`, `CARTEL_DEL_NORESTE`). */
export const organizationSlug = z
  .string()
  .trim()
  .max(60, 'must be at most 60 characters')
  .regex(ORGANIZATION_SLUG, 'must be an organization slug such as CJNG or LOS_CHAPITOS');

/** An organization a record is attributed to: a slug of the catalogue, or none. */
export const knownOrganization = organizationSlug
  .refine((slug) => organizationSlugs().has(slug), {
    error: (issue) =>
      `${String(issue.input)} is not a criminal organization of the graph's catalogue (seeds/finance/organizations.json)`,
  })
  .nullish()
  .transform((v) => v ?? null);
