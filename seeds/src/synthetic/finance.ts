import { Random } from './random';

/** Every synthetic record names this source (kind SYNTHETIC): never mistaken for an official figure. */
export const SYNTHETIC_SOURCE = {
  publisher: 'Bicentennial Graph synthetic data generator',
  kind: 'SYNTHETIC' as const,
  url: null,
  citedVia: null,
  publishedOn: null,
};

export type AssetType = 'CASH' | 'BANK_ACCOUNT' | 'REAL_ESTATE' | 'VEHICLE' | 'CRYPTOCURRENCY' | 'OTHER';
export type Releasability = 'US' | 'MX' | 'BOTH';

export interface SyntheticAssetSeizure {
  recordId: string;
  objectiveId: string;
  seizedOn: Date;
  countryCode: 'US' | 'MX';
  seizingAuthority: string;
  organizationSlug: string | null;
  assetType: AssetType;
  amountUsd: number;
  cyberEnabled: boolean;
  releasableTo: Releasability;
}

export interface SyntheticDesignation {
  recordId: string;
  objectiveId: string;
  designatedOn: Date;
  designatedBy: string;
  authorities: ('EO_14059' | 'EO_13224')[];
  targetKind: 'INDIVIDUAL' | 'ENTITY' | 'MIXED';
  individuals: number;
  entities: number;
  organizationSlug: string | null;
  releasableTo: Releasability;
}

export interface OrganizationWeight {
  slug: string;
  /** Relative share of the records attributed to an organization. */
  weight: number;
}

/**
 * Relative share of attributed records per organization (this generator's own assumption, not a
 * published figure): the two largest Mexican cartels take most. Organizations not listed weigh 1.
 */
export const ORGANIZATION_WEIGHTS: Record<string, number> = {
  SINALOA: 10,
  CJNG: 10,
  LOS_CHAPITOS: 5,
  CARTEL_DEL_NORESTE: 3,
  CARTEL_DEL_GOLFO: 3,
  LA_NUEVA_FAMILIA_MICHOACANA: 2,
  CARTELES_UNIDOS: 2,
  LOS_CUINIS: 2,
  TREN_DE_ARAGUA: 2,
  MS_13: 2,
  LOS_ZETAS: 1,
};

/** The period the generator spreads events over: 2019 to September 2025. */
export const SYNTHETIC_FROM = new Date(Date.UTC(2019, 0, 1));
export const SYNTHETIC_TO = new Date(Date.UTC(2025, 8, 30));

const AUTHORITIES = {
  US: [
    ['U.S. Drug Enforcement Administration (DEA)', 30],
    ['Homeland Security Investigations (HSI)', 30],
    ['IRS Criminal Investigation', 15],
    ['Federal Bureau of Investigation (FBI)', 15],
    ['U.S. Customs and Border Protection (CBP)', 10],
  ],
  MX: [
    ['Fiscalía General de la República (FGR)', 60],
    ['Secretaría de la Defensa Nacional (SEDENA)', 20],
    ['Guardia Nacional', 20],
  ],
} as const;

/** Per asset type: share of events, and the median and spread of one seizure's value in U.S. dollars. */
const ASSETS = [
  ['CASH', 35, 50_000, 1.3],
  ['BANK_ACCOUNT', 25, 120_000, 1.4],
  ['VEHICLE', 15, 30_000, 0.8],
  ['REAL_ESTATE', 8, 400_000, 1.0],
  ['CRYPTOCURRENCY', 10, 80_000, 1.6],
  ['OTHER', 7, 20_000, 1.2],
] as const;

/** Besides cryptocurrency (always), the share of each asset type seized in an online scheme. */
const CYBER_PERCENT: Record<AssetType, number> = {
  CASH: 0,
  BANK_ACCOUNT: 15,
  VEHICLE: 0,
  REAL_ESTATE: 0,
  CRYPTOCURRENCY: 100,
  OTHER: 5,
};

const RELEASABILITY = [
  ['BOTH', 70],
  ['US', 20],
  ['MX', 10],
] as const;

/** Which joint objective an asset seizure counts toward: 3.3.1 when cyber-enabled, else 3.1.4. */
export function assetSeizureObjective(cyberEnabled: boolean): string {
  return cyberEnabled ? '3.3.1' : '3.1.4';
}

/** `count` synthetic asset seizures, the same for the same seed, generated lazily (memory stays flat). */
export function* syntheticAssetSeizures(
  seed: number,
  count: number,
  organizations: readonly OrganizationWeight[],
): Generator<SyntheticAssetSeizure> {
  const random = new Random(seed);
  const organizationChoices = organizations.map((o) => [o.slug, o.weight] as const);
  const assetChoices = ASSETS.map((a) => [a, a[1]] as const);
  for (let n = 1; n <= count; n++) {
    const countryCode = random.int(1, 100) <= 60 ? 'US' : 'MX';
    const [assetType, , median, sigma] = random.weighted(assetChoices);
    const cyberEnabled = random.int(1, 100) <= CYBER_PERCENT[assetType];
    const attributed = organizationChoices.length > 0 && random.int(1, 100) <= 60;
    yield {
      recordId: `SYN-AS-${seed}-${n}`,
      objectiveId: assetSeizureObjective(cyberEnabled),
      seizedOn: random.date(SYNTHETIC_FROM, SYNTHETIC_TO),
      countryCode,
      seizingAuthority: random.weighted(AUTHORITIES[countryCode]),
      organizationSlug: attributed ? random.weighted(organizationChoices) : null,
      assetType,
      amountUsd: Math.max(100, Math.round(random.logNormal(median, sigma) * 100) / 100),
      cyberEnabled,
      releasableTo: random.weighted(RELEASABILITY),
    };
  }
}

/**
 * `count` synthetic sanctions designations (for load tests only; the default seed holds none):
 * counts of targets but never a name, since a generated name could be a real person's.
 */
export function* syntheticDesignations(
  seed: number,
  count: number,
  organizations: readonly OrganizationWeight[],
): Generator<SyntheticDesignation> {
  const random = new Random(seed + 2_000_003);
  const organizationChoices = organizations.map((o) => [o.slug, o.weight] as const);
  for (let n = 1; n <= count; n++) {
    const targetKind = random.weighted([
      ['INDIVIDUAL', 50],
      ['ENTITY', 15],
      ['MIXED', 35],
    ] as const);
    const individuals = targetKind === 'ENTITY' ? 0 : random.int(1, 12);
    const entities = targetKind === 'INDIVIDUAL' ? 0 : random.int(1, 20);
    yield {
      recordId: `SYN-SD-${seed}-${n}`,
      objectiveId: '3.1.1',
      designatedOn: random.date(SYNTHETIC_FROM, SYNTHETIC_TO),
      designatedBy: 'U.S. Department of the Treasury, Office of Foreign Assets Control (OFAC)',
      authorities: random.int(1, 100) <= 70 ? ['EO_14059'] : ['EO_14059', 'EO_13224'],
      targetKind,
      individuals,
      entities,
      organizationSlug: organizationChoices.length > 0 ? random.weighted(organizationChoices) : null,
      releasableTo: random.weighted(RELEASABILITY),
    };
  }
}
