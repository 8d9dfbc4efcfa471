import { Random } from './random';

/** Every synthetic record names this source (kind SYNTHETIC): never mistaken for an official figure. */
export const SYNTHETIC_SOURCE = {
  publisher: 'Bicentennial Graph synthetic data generator',
  kind: 'SYNTHETIC' as const,
  url: null,
  citedVia: null,
  publishedOn: null,
};

/** How every synthetic person is named: a label, never a real-looking name. */
export const SYNTHETIC_PERSON_PREFIX = 'Synthetic person';

export type TreatyParty = 'US' | 'MX';
export type ExtraditionStatus = 'REQUESTED' | 'APPROVED' | 'EXTRADITED' | 'TRANSFERRED' | 'DENIED';
export type TransferMechanism = 'FORMAL_EXTRADITION' | 'NATIONAL_SECURITY_TRANSFER' | 'PRISONER_TRANSFER_TREATY';
export type ExtraditionCharge =
  | 'CRIMINAL_ASSOCIATION'
  | 'DRUG_OFFENSES'
  | 'FIREARMS'
  | 'MONEY_LAUNDERING'
  | 'MIGRANT_SMUGGLING'
  | 'HOMICIDE'
  | 'CHILD_SEXUAL_ABUSE'
  | 'ORGANIZED_CRIME'
  | 'OTHER';

export interface SyntheticExtraditionCase {
  recordId: string;
  objectiveId: string;
  person: string;
  requestingCountry: TreatyParty;
  requestedCountry: TreatyParty;
  status: ExtraditionStatus;
  /** The day the case reached `status`. */
  statusOn: Date;
  requestedOn: Date;
  approvedOn: Date | null;
  surrenderedOn: Date | null;
  deniedOn: Date | null;
  transferMechanism: TransferMechanism;
  charges: ExtraditionCharge[];
  destination: string | null;
  organizationSlug: string | null;
  releasableTo: 'US' | 'MX' | 'BOTH';
}

/** The period requests are spread over, and the last day any later step may fall on. */
export const SYNTHETIC_FROM = new Date(Date.UTC(2015, 0, 1));
export const SYNTHETIC_TO = new Date(Date.UTC(2025, 8, 30));

/**
 * Charge categories with their relative frequency (this generator's assumption): drug offenses
 * and criminal association dominate, as in the crimes FGR lists for its extraditions.
 */
const CHARGES = [
  ['DRUG_OFFENSES', 40],
  ['CRIMINAL_ASSOCIATION', 20],
  ['ORGANIZED_CRIME', 12],
  ['MONEY_LAUNDERING', 8],
  ['FIREARMS', 6],
  ['HOMICIDE', 5],
  ['MIGRANT_SMUGGLING', 4],
  ['CHILD_SEXUAL_ABUSE', 3],
  ['OTHER', 2],
] as const;

/** U.S. districts requests name (an assumption weighted toward the border and the large dockets). */
const DISTRICTS = [
  ['S.D. Tex.', 14],
  ['W.D. Tex.', 10],
  ['S.D. Cal.', 10],
  ['D. Ariz.', 9],
  ['N.D. Ill.', 6],
  ['S.D.N.Y.', 6],
  ['E.D.N.Y.', 6],
  ['D.D.C.', 6],
  ['S.D. Fla.', 5],
  ['C.D. Cal.', 5],
  ['N.D. Tex.', 4],
  ['D.N.M.', 3],
] as const;

const RELEASABILITY = [
  ['BOTH', 70],
  ['US', 20],
  ['MX', 10],
] as const;

const DAY = 86_400_000;
const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY);

/**
 * `count` synthetic extraditions cases, the same for the same seed, generated lazily (memory
 * stays flat). Most are U.S. requests of Mexico; each moves through the allowed steps
 * (requested → approved → extradited or transferred, or denied) as long as its dates fall before
 * `SYNTHETIC_TO`. `organizations` are the slugs cases may be attributed to (about half are not).
 */
export function* syntheticExtraditionCases(
  seed: number,
  count: number,
  organizations: readonly string[],
): Generator<SyntheticExtraditionCase> {
  const random = new Random(seed + 2_000_003);
  const width = Math.max(4, String(count).length);
  for (let n = 1; n <= count; n++) {
    const usRequest = random.int(1, 100) <= 90;
    const requestingCountry: TreatyParty = usRequest ? 'US' : 'MX';
    const prisonerTransfer = random.int(1, 100) <= 5;
    const requestedOn = random.date(SYNTHETIC_FROM, SYNTHETIC_TO);
    let status: ExtraditionStatus = 'REQUESTED';
    let statusOn = requestedOn;
    let approvedOn: Date | null = null;
    let surrenderedOn: Date | null = null;
    let deniedOn: Date | null = null;
    const decidedOn = addDays(requestedOn, Math.round(random.logNormal(300, 0.6)));
    const denied = random.int(1, 100) <= 12;
    if (decidedOn <= SYNTHETIC_TO) {
      if (denied) {
        status = 'DENIED';
        deniedOn = decidedOn;
      } else {
        status = 'APPROVED';
        approvedOn = decidedOn;
      }
      statusOn = decidedOn;
    }
    if (status === 'APPROVED') {
      const sentOn = addDays(decidedOn, Math.round(random.logNormal(60, 0.7)));
      if (sentOn <= SYNTHETIC_TO) {
        status = prisonerTransfer ? 'TRANSFERRED' : 'EXTRADITED';
        surrenderedOn = sentOn;
        statusOn = sentOn;
      }
    }
    const charges = new Set<ExtraditionCharge>();
    const chargeCount = random.weighted([
      [1, 55],
      [2, 35],
      [3, 10],
    ] as const);
    while (charges.size < chargeCount) charges.add(random.weighted(CHARGES));
    const attributed = organizations.length > 0 && random.int(1, 100) <= 55;
    yield {
      recordId: `SYN-EC-${seed}-${n}`,
      objectiveId: '3.4.1',
      person: `${SYNTHETIC_PERSON_PREFIX} ${seed}-${String(n).padStart(width, '0')}`,
      requestingCountry,
      requestedCountry: usRequest ? 'MX' : 'US',
      status,
      statusOn,
      requestedOn,
      approvedOn,
      surrenderedOn,
      deniedOn,
      transferMechanism: prisonerTransfer ? 'PRISONER_TRANSFER_TREATY' : 'FORMAL_EXTRADITION',
      charges: [...charges].sort(),
      destination: usRequest ? random.weighted(DISTRICTS) : null,
      organizationSlug: attributed ? organizations[random.int(0, organizations.length - 1)]! : null,
      releasableTo: random.weighted(RELEASABILITY),
    };
  }
}
