import { Random } from './random';

/** Every synthetic record names this source (kind SYNTHETIC): never mistaken for an official figure. */
export const SYNTHETIC_SOURCE = {
  publisher: 'Bicentennial Graph synthetic data generator',
  kind: 'SYNTHETIC' as const,
  url: null,
  citedVia: null,
  publishedOn: null,
};

export interface SyntheticDrugSeizure {
  recordId: string;
  objectiveId: string;
  location: 'AT_PORT' | 'BETWEEN_PORTS';
  portCode: string | null;
  stateCode: string;
  seizedOn: Date;
  drug: 'FENTANYL' | 'METHAMPHETAMINE' | 'COCAINE' | 'HEROIN' | 'MARIJUANA' | 'PRECURSOR_CHEMICALS' | 'OTHER';
  quantity: number;
  unit: 'KILOGRAMS' | 'POUNDS';
  quantityKg: number;
  mode: 'PASSENGER_VEHICLE' | 'CARGO' | 'PEDESTRIAN' | 'PARCEL' | 'MAIL' | 'OTHER';
  releasableTo: 'US' | 'MX' | 'BOTH';
}

export interface SyntheticInterdiction {
  recordId: string;
  objectiveId: string;
  kind: 'MIGRANT_SMUGGLING' | 'HUMAN_TRAFFICKING';
  occurredOn: Date;
  portCode: string | null;
  stateCode: string;
  personsRescued: number;
  suspectsArrested: number;
  releasableTo: 'US' | 'MX' | 'BOTH';
}

export interface PortWeight {
  code: string;
  stateCode: string;
  /** Relative share of seizure events (busier ports see more). */
  weight: number;
}

/**
 * Relative traffic of the land ports (this generator's own assumption, not a published figure):
 * the large commercial and passenger crossings take most events.
 */
export const PORT_WEIGHTS: Record<string, number> = {
  '2504': 14,
  '2506': 10,
  '2304': 12,
  '2305': 9,
  '2402': 11,
  '2604': 10,
  '2503': 5,
  '2507': 4,
  '2303': 4,
  '2302': 3,
  '2301': 4,
  '2608': 3,
  '2601': 2,
  '2408': 2,
  '2505': 1,
  '2403': 1,
  '2602': 1,
  '2603': 1,
  '2406': 1,
  '2307': 1,
  '2310': 1,
  '2309': 1,
  '2502': 1,
  '2606': 1,
  '2404': 1,
};

const BORDER_STATES = [
  ['US-TX', 45],
  ['US-AZ', 30],
  ['US-CA', 20],
  ['US-NM', 5],
] as const;
const LB_PER_KG = 2.20462262185;

/**
 * Per drug: share of events and the median and spread of one seizure's weight in kilograms.
 * Chosen so that a million events over seven fiscal years give yearly fentanyl totals of the
 * order of the published CBP totals (10^4 pounds), not to reproduce them.
 */
const DRUGS = [
  ['METHAMPHETAMINE', 30, 4, 1.4],
  ['MARIJUANA', 25, 6, 1.5],
  ['COCAINE', 14, 3, 1.3],
  ['FENTANYL', 16, 0.25, 1.6],
  ['HEROIN', 6, 0.8, 1.3],
  ['PRECURSOR_CHEMICALS', 4, 20, 1.2],
  ['OTHER', 5, 1, 1.5],
] as const;

/** The period the generator spreads events over: fiscal years 2019 to 2025. */
export const SYNTHETIC_FROM = new Date(Date.UTC(2018, 9, 1));
export const SYNTHETIC_TO = new Date(Date.UTC(2025, 8, 30));

const RELEASABILITY = [
  ['BOTH', 80],
  ['US', 15],
  ['MX', 5],
] as const;

/** Which joint objective a seizure counts toward (parcels: 2.1.5; synthetic drugs: 2.3.3; else 2.1.2). */
export function seizureObjective(drug: string, mode: string): string {
  if (mode === 'PARCEL' || mode === 'MAIL') return '2.1.5';
  if (drug === 'FENTANYL' || drug === 'METHAMPHETAMINE' || drug === 'PRECURSOR_CHEMICALS') return '2.3.3';
  return '2.1.2';
}

/** `count` synthetic drug seizures, the same for the same seed, generated lazily (memory stays flat). */
export function* syntheticDrugSeizures(
  seed: number,
  count: number,
  ports: readonly PortWeight[],
): Generator<SyntheticDrugSeizure> {
  const random = new Random(seed);
  const portChoices = ports.map((p) => [p, p.weight] as const);
  const drugChoices = DRUGS.map((d) => [d, d[1]] as const);
  for (let n = 1; n <= count; n++) {
    const atPort = random.int(1, 100) <= 85;
    const port = atPort ? random.weighted(portChoices) : null;
    const [drug, , median, sigma] = random.weighted(drugChoices);
    const mode = atPort
      ? random.weighted([
          ['PASSENGER_VEHICLE', 55],
          ['CARGO', 22],
          ['PEDESTRIAN', 15],
          ['PARCEL', 5],
          ['MAIL', 3],
        ] as const)
      : 'OTHER';
    const kg = Math.max(0.001, random.logNormal(median, sigma));
    const unit = random.int(1, 100) <= 70 ? 'POUNDS' : 'KILOGRAMS';
    const quantity = unit === 'POUNDS' ? Math.round(kg * LB_PER_KG * 1000) / 1000 : Math.round(kg * 1000) / 1000;
    yield {
      recordId: `SYN-DS-${seed}-${n}`,
      objectiveId: seizureObjective(drug, mode),
      location: atPort ? 'AT_PORT' : 'BETWEEN_PORTS',
      portCode: port?.code ?? null,
      stateCode: port?.stateCode ?? random.weighted(BORDER_STATES),
      seizedOn: random.date(SYNTHETIC_FROM, SYNTHETIC_TO),
      drug,
      quantity,
      unit,
      quantityKg: unit === 'POUNDS' ? quantity / LB_PER_KG : quantity,
      mode,
      releasableTo: random.weighted(RELEASABILITY),
    };
  }
}

/** `count` synthetic smuggling and trafficking interdictions, the same for the same seed. */
export function* syntheticInterdictions(
  seed: number,
  count: number,
  ports: readonly PortWeight[],
): Generator<SyntheticInterdiction> {
  const random = new Random(seed + 1_000_003);
  const portChoices = ports.map((p) => [p, p.weight] as const);
  for (let n = 1; n <= count; n++) {
    const atPort = random.int(1, 100) <= 40;
    const port = atPort ? random.weighted(portChoices) : null;
    const kind = random.int(1, 100) <= 85 ? 'MIGRANT_SMUGGLING' : 'HUMAN_TRAFFICKING';
    yield {
      recordId: `SYN-SI-${seed}-${n}`,
      objectiveId: '2.4.1',
      kind,
      occurredOn: random.date(SYNTHETIC_FROM, SYNTHETIC_TO),
      portCode: port?.code ?? null,
      stateCode: port?.stateCode ?? random.weighted(BORDER_STATES),
      personsRescued: Math.max(1, Math.round(random.logNormal(kind === 'MIGRANT_SMUGGLING' ? 6 : 2, 0.9))),
      suspectsArrested: random.int(0, 4),
      releasableTo: random.weighted(RELEASABILITY),
    };
  }
}
