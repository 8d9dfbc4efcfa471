import { Random } from './random';

/** Every synthetic record names this source (kind SYNTHETIC): never mistaken for an official figure. */
export const SYNTHETIC_SOURCE = {
  publisher: 'Bicentennial Graph synthetic data generator',
  kind: 'SYNTHETIC' as const,
  url: null,
  citedVia: null,
  publishedOn: null,
};

/** Mexico's 32 federal entities (ISO 3166-2), as shared/reference/ownership.md lists them. */
export const MX_STATES = [
  'MX-AGU',
  'MX-BCN',
  'MX-BCS',
  'MX-CAM',
  'MX-CHP',
  'MX-CHH',
  'MX-CMX',
  'MX-COA',
  'MX-COL',
  'MX-DUR',
  'MX-GUA',
  'MX-GRO',
  'MX-HID',
  'MX-JAL',
  'MX-MEX',
  'MX-MIC',
  'MX-MOR',
  'MX-NAY',
  'MX-NLE',
  'MX-OAX',
  'MX-PUE',
  'MX-QUE',
  'MX-ROO',
  'MX-SLP',
  'MX-SIN',
  'MX-SON',
  'MX-TAB',
  'MX-TAM',
  'MX-TLA',
  'MX-VER',
  'MX-YUC',
  'MX-ZAC',
] as const;

/** The 50 U.S. states and DC (ISO 3166-2: `US-` + the USPS abbreviation). */
export const US_STATES = [
  'US-AL',
  'US-AK',
  'US-AZ',
  'US-AR',
  'US-CA',
  'US-CO',
  'US-CT',
  'US-DE',
  'US-DC',
  'US-FL',
  'US-GA',
  'US-HI',
  'US-ID',
  'US-IL',
  'US-IN',
  'US-IA',
  'US-KS',
  'US-KY',
  'US-LA',
  'US-ME',
  'US-MD',
  'US-MA',
  'US-MI',
  'US-MN',
  'US-MS',
  'US-MO',
  'US-MT',
  'US-NE',
  'US-NV',
  'US-NH',
  'US-NJ',
  'US-NM',
  'US-NY',
  'US-NC',
  'US-ND',
  'US-OH',
  'US-OK',
  'US-OR',
  'US-PA',
  'US-RI',
  'US-SC',
  'US-SD',
  'US-TN',
  'US-TX',
  'US-UT',
  'US-VT',
  'US-VA',
  'US-WA',
  'US-WV',
  'US-WI',
  'US-WY',
] as const;

export const PROGRAMME_KINDS = [
  'TREATMENT',
  'HARM_REDUCTION',
  'PREVENTION',
  'VIOLENCE_PREVENTION',
  'COMMUNITY_POLICING',
  'VULNERABLE_POPULATIONS',
] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/**
 * The joint objective a programme counts toward, from its kind: prevention policy 1.1.1,
 * treatment and harm reduction 1.1.2, violence prevention and community policing 1.2.1,
 * vulnerable populations 1.2.2.
 */
export function programmeObjective(kind: ProgrammeKind): string {
  switch (kind) {
    case 'PREVENTION':
      return '1.1.1';
    case 'TREATMENT':
    case 'HARM_REDUCTION':
      return '1.1.2';
    case 'VIOLENCE_PREVENTION':
    case 'COMMUNITY_POLICING':
      return '1.2.1';
    case 'VULNERABLE_POPULATIONS':
      return '1.2.2';
  }
}

export const DRUG_CLASSES = ['ALL_DRUGS', 'OPIOIDS', 'SYNTHETIC_OPIOIDS', 'PSYCHOSTIMULANTS', 'COCAINE'] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];

/** The joint objective an overdose death count counts toward: opioids 1.1.2 (treatment, harm), else 1.1.1. */
export function overdoseObjective(drugClass: DrugClass): string {
  return drugClass === 'OPIOIDS' || drugClass === 'SYNTHETIC_OPIOIDS' ? '1.1.2' : '1.1.1';
}

export interface SyntheticProgramme {
  recordId: string;
  objectiveId: string;
  name: string;
  kind: ProgrammeKind;
  countryCode: 'US' | 'MX';
  regionCode: string | null;
  startedOn: Date;
  endedOn: Date | null;
  fundingUsd: number | null;
  fundingQualifier: 'EXACT' | null;
  peopleReached: number | null;
  releasableTo: 'US' | 'MX' | 'BOTH';
}

/** The period programmes start in: January 2019 to June 2025. */
export const SYNTHETIC_FROM = new Date(Date.UTC(2019, 0, 1));
export const SYNTHETIC_TO = new Date(Date.UTC(2025, 5, 30));
/** No synthetic programme ends after this day (so that no end date lies in the future). */
const LAST_END = new Date(Date.UTC(2025, 8, 30));

/**
 * Per kind: share of programmes, and the median and spread of funding (USD) and of people
 * reached. This generator's own assumptions for plausible-looking volume, not published figures.
 */
const KINDS = [
  ['TREATMENT', 26, 400_000, 1.2, 600, 1.0],
  ['HARM_REDUCTION', 18, 150_000, 1.1, 1500, 1.1],
  ['PREVENTION', 22, 125_000, 1.0, 2500, 1.2],
  ['VIOLENCE_PREVENTION', 14, 300_000, 1.1, 900, 1.0],
  ['COMMUNITY_POLICING', 10, 500_000, 1.0, 5000, 1.2],
  ['VULNERABLE_POPULATIONS', 10, 200_000, 1.1, 700, 1.0],
] as const;

const LABELS: Record<ProgrammeKind, string> = {
  TREATMENT: 'substance use treatment',
  HARM_REDUCTION: 'harm reduction',
  PREVENTION: 'prevention',
  VIOLENCE_PREVENTION: 'community violence prevention',
  COMMUNITY_POLICING: 'community policing',
  VULNERABLE_POPULATIONS: 'vulnerable populations support',
};

/** `count` synthetic programmes, the same for the same seed, generated lazily (memory stays flat). */
export function* syntheticProgrammes(seed: number, count: number): Generator<SyntheticProgramme> {
  const random = new Random(seed + 2_000_003);
  const kindChoices = KINDS.map((k) => [k, k[1]] as const);
  for (let n = 1; n <= count; n++) {
    const [kind, , fundingMedian, fundingSigma, peopleMedian, peopleSigma] = random.weighted(kindChoices);
    const countryCode = random.int(1, 100) <= 55 ? 'US' : 'MX';
    const states = countryCode === 'US' ? US_STATES : MX_STATES;
    const regionCode = random.int(1, 100) <= 75 ? states[random.int(0, states.length - 1)]! : null;
    const startedOn = random.date(SYNTHETIC_FROM, SYNTHETIC_TO);
    const ends = random.int(1, 100) <= 40;
    const plannedEnd = new Date(startedOn.getTime() + random.int(180, 1460) * 86_400_000);
    const funded = random.int(1, 100) <= 80;
    const reported = random.int(1, 100) <= 65;
    const fundingUsd = Math.round(random.logNormal(fundingMedian, fundingSigma) / 1000) * 1000;
    const peopleReached = Math.max(1, Math.round(random.logNormal(peopleMedian, peopleSigma)));
    yield {
      recordId: `SYN-PG-${seed}-${n}`,
      objectiveId: programmeObjective(kind),
      name: `Synthetic ${LABELS[kind]} programme ${n} (${regionCode ?? countryCode})`,
      kind,
      countryCode,
      regionCode,
      startedOn,
      endedOn: ends ? new Date(Math.min(plannedEnd.getTime(), LAST_END.getTime())) : null,
      fundingUsd: funded ? Math.max(1000, fundingUsd) : null,
      fundingQualifier: funded ? 'EXACT' : null,
      peopleReached: reported ? peopleReached : null,
      releasableTo: random.weighted([
        ['BOTH', 80],
        [countryCode, 20],
      ] as const),
    };
  }
}
