import { Random } from './random';

/** Every synthetic record names this source (kind SYNTHETIC): never mistaken for an official figure. */
export const SYNTHETIC_SOURCE = {
  publisher: 'Bicentennial Graph synthetic data generator',
  kind: 'SYNTHETIC' as const,
  url: null,
  citedVia: null,
  publishedOn: null,
};

type Releasability = 'US' | 'MX' | 'BOTH';

export interface SyntheticFirearmSeizure {
  recordId: string;
  objectiveId: string;
  seizedOn: Date;
  country: 'US' | 'MX';
  stateCode: string;
  portCode: string | null;
  firearmType: 'HANDGUN' | 'RIFLE' | 'SHOTGUN' | 'MACHINE_GUN' | 'OTHER';
  firearms: number;
  ammunitionRounds: number;
  seizingAgency: 'CBP' | 'ATF' | 'HSI' | 'FBI' | 'SEDENA' | 'SEMAR' | 'FGR' | 'SSPC' | 'GUARDIA_NACIONAL' | 'OTHER';
  organizationSlug: string | null;
  releasableTo: Releasability;
}

export interface SyntheticTraffickingCase {
  recordId: string;
  objectiveId: string;
  country: 'US' | 'MX';
  office: string;
  openedOn: Date;
  chargedOn: Date | null;
  caseStatus: 'UNDER_INVESTIGATION' | 'CHARGED' | 'CONVICTED' | 'ACQUITTED' | 'DISMISSED';
  defendants: number;
  firearmsInvolved: number;
  highLevel: boolean;
  organizationSlug: string | null;
  releasableTo: Releasability;
}

/** A land port as the generator needs it: its code, its U.S. state and the Mexican state across. */
export interface LandPortWeight {
  code: string;
  stateCode: string;
  counterpartState: string | null;
  /** Relative share of seizure events at ports (busier southbound crossings see more). */
  weight: number;
}

/**
 * Relative share of firearm seizures among the land ports (this generator's own assumption, not
 * a published figure): the large crossings into Tijuana, Nuevo Laredo, Ciudad Juárez, Nogales and
 * Reynosa take most events.
 */
export const PORT_WEIGHTS: Record<string, number> = {
  '2504': 16,
  '2304': 15,
  '2402': 14,
  '2604': 12,
  '2305': 11,
  '2506': 6,
  '2303': 5,
  '2301': 5,
  '2503': 4,
  '2302': 3,
  '2608': 3,
  '2507': 2,
  '2601': 2,
  '2408': 2,
};

/**
 * Organizations synthetic records are attributed to, with relative weights (this generator's own
 * assumption): slugs of the catalogue in seeds/finance/organizations.json (finance owns
 * `CriminalOrganization`). Most records name none.
 */
export const ORGANIZATIONS = [
  ['CJNG', 30],
  ['SINALOA', 25],
  ['CARTEL_DEL_NORESTE', 12],
  ['LOS_CHAPITOS', 10],
  ['CARTEL_DEL_GOLFO', 10],
  ['CARTELES_UNIDOS', 7],
  ['LA_NUEVA_FAMILIA_MICHOACANA', 6],
] as const;

const FIREARM_TYPES = [
  ['HANDGUN', 45],
  ['RIFLE', 35],
  ['SHOTGUN', 7],
  ['MACHINE_GUN', 3],
  ['OTHER', 10],
] as const;

/** U.S. states for seizures away from the ports: the border states and a few source states. */
const US_STATES = [
  ['US-TX', 40],
  ['US-AZ', 25],
  ['US-CA', 15],
  ['US-NM', 6],
  ['US-FL', 4],
  ['US-GA', 3],
  ['US-IL', 3],
  ['US-NV', 2],
  ['US-OK', 2],
] as const;

/** Mexican states for seizures away from the ports. */
const MX_STATES = [
  ['MX-TAM', 14],
  ['MX-CHH', 12],
  ['MX-SON', 10],
  ['MX-BCN', 9],
  ['MX-SIN', 9],
  ['MX-JAL', 9],
  ['MX-MIC', 8],
  ['MX-GUA', 8],
  ['MX-GRO', 6],
  ['MX-ZAC', 5],
  ['MX-NLE', 5],
  ['MX-MEX', 3],
  ['MX-CMX', 2],
] as const;

const US_AGENCIES = [
  ['ATF', 50],
  ['HSI', 30],
  ['FBI', 10],
  ['OTHER', 10],
] as const;
const MX_AGENCIES = [
  ['SEDENA', 40],
  ['GUARDIA_NACIONAL', 25],
  ['FGR', 15],
  ['SEMAR', 10],
  ['SSPC', 5],
  ['OTHER', 5],
] as const;
/** Mexican side of a crossing: customs and the National Guard inspect northbound and southbound. */
const MX_PORT_AGENCIES = [
  ['GUARDIA_NACIONAL', 45],
  ['SEDENA', 25],
  ['FGR', 10],
  ['OTHER', 20],
] as const;

const US_OFFICES = [
  ["U.S. Attorney's Office, Southern District of Texas", 25],
  ["U.S. Attorney's Office, Western District of Texas", 22],
  ["U.S. Attorney's Office, District of Arizona", 22],
  ["U.S. Attorney's Office, Southern District of California", 15],
  ["U.S. Attorney's Office, District of New Mexico", 8],
  ["U.S. Attorney's Office, Northern District of Illinois", 4],
  ["U.S. Attorney's Office, Southern District of Florida", 4],
] as const;
const MX_OFFICES = [
  ['FGR, Fiscalía Especializada en Materia de Delincuencia Organizada (FEMDO)', 40],
  ['FGR, Delegación Chihuahua', 12],
  ['FGR, Delegación Tamaulipas', 12],
  ['FGR, Delegación Sonora', 12],
  ['FGR, Delegación Baja California', 12],
  ['FGR, Delegación Jalisco', 12],
] as const;

const CASE_STATUSES = [
  ['UNDER_INVESTIGATION', 30],
  ['CHARGED', 25],
  ['CONVICTED', 30],
  ['ACQUITTED', 5],
  ['DISMISSED', 10],
] as const;

/** The period the generator spreads events over: calendar years 2019 to mid-2025. */
export const SYNTHETIC_FROM = new Date(Date.UTC(2019, 0, 1));
export const SYNTHETIC_TO = new Date(Date.UTC(2025, 5, 30));

const DAY = 86_400_000;

function releasability(random: Random, country: 'US' | 'MX'): Releasability {
  return random.weighted([
    ['BOTH', 80],
    [country, 20],
  ] as const);
}

function organization(random: Random, percent: number): string | null {
  return random.int(1, 100) <= percent ? random.weighted(ORGANIZATIONS) : null;
}

/**
 * `count` synthetic firearm seizures, the same for the same seed, generated lazily (memory stays
 * flat): about 45% at a land port (three in four on the U.S. side, southbound), 25% elsewhere in
 * the U.S., 30% elsewhere in Mexico.
 */
export function* syntheticFirearmSeizures(
  seed: number,
  count: number,
  ports: readonly LandPortWeight[],
): Generator<SyntheticFirearmSeizure> {
  const random = new Random(seed);
  const portChoices = ports.map((p) => [p, p.weight] as const);
  for (let n = 1; n <= count; n++) {
    const where = random.int(1, 100);
    const port = where <= 45 && portChoices.length > 0 ? random.weighted(portChoices) : null;
    let country: 'US' | 'MX';
    let stateCode: string;
    let seizingAgency: SyntheticFirearmSeizure['seizingAgency'];
    if (port) {
      const usSide = random.int(1, 100) <= 75 || port.counterpartState === null;
      country = usSide ? 'US' : 'MX';
      stateCode = usSide ? port.stateCode : (port.counterpartState ?? port.stateCode);
      seizingAgency = usSide
        ? random.weighted([
            ['CBP', 80],
            ['HSI', 20],
          ] as const)
        : random.weighted(MX_PORT_AGENCIES);
    } else if (where <= 70) {
      country = 'US';
      stateCode = random.weighted(US_STATES);
      seizingAgency = random.weighted(US_AGENCIES);
    } else {
      country = 'MX';
      stateCode = random.weighted(MX_STATES);
      seizingAgency = random.weighted(MX_AGENCIES);
    }
    // Seizures inside Mexico (military operations, raids) tend to be larger than at a crossing.
    const median = country === 'MX' && !port ? 4 : 1.5;
    const firearms = Math.min(5_000, Math.max(1, Math.round(random.logNormal(median, 1.1))));
    const ammunitionRounds =
      random.int(1, 100) <= 60 ? Math.min(1_000_000, Math.round(random.logNormal(150 * firearms, 1.2))) : 0;
    yield {
      recordId: `SYN-FS-${seed}-${n}`,
      objectiveId: '2.2.1',
      seizedOn: random.date(SYNTHETIC_FROM, SYNTHETIC_TO),
      country,
      stateCode,
      portCode: port?.code ?? null,
      firearmType: random.weighted(FIREARM_TYPES),
      firearms,
      ammunitionRounds,
      seizingAgency,
      organizationSlug: organization(random, 35),
      releasableTo: releasability(random, country),
    };
  }
}

/** `count` synthetic firearms trafficking investigations and prosecutions, the same for the same seed. */
export function* syntheticTraffickingCases(seed: number, count: number): Generator<SyntheticTraffickingCase> {
  const random = new Random(seed + 1_000_003);
  for (let n = 1; n <= count; n++) {
    const country = random.int(1, 100) <= 60 ? 'US' : 'MX';
    const openedOn = random.date(SYNTHETIC_FROM, SYNTHETIC_TO);
    const caseStatus = random.weighted(CASE_STATUSES);
    const charged = caseStatus !== 'UNDER_INVESTIGATION' && (caseStatus !== 'DISMISSED' || random.int(1, 2) === 1);
    const chargedOn = charged
      ? new Date(Math.min(openedOn.getTime() + random.int(14, 540) * DAY, SYNTHETIC_TO.getTime()))
      : null;
    const highLevel = random.int(1, 100) <= 8;
    yield {
      recordId: `SYN-TC-${seed}-${n}`,
      objectiveId: '2.2.3',
      country,
      office: random.weighted(country === 'US' ? US_OFFICES : MX_OFFICES),
      openedOn,
      chargedOn,
      caseStatus,
      defendants: Math.min(500, Math.max(1, Math.round(random.logNormal(highLevel ? 6 : 2, 0.8)))),
      firearmsInvolved: Math.min(50_000, Math.round(random.logNormal(highLevel ? 80 : 12, 1.2))),
      highLevel,
      organizationSlug: organization(random, highLevel ? 85 : 40),
      releasableTo: releasability(random, country),
    };
  }
}
