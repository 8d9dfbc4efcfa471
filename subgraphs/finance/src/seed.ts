import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  periodBounds,
  readIndicatorSeed,
  SOURCE_KINDS,
  type SeedOptions,
  syncIndicatorSeed,
} from '@bicentennial/subgraph-kit';
import { type Logger } from '@bicentennial/service';
import { ORGANIZATION_SLUG, ORGANIZATIONS_FILE, seedDir } from '@bicentennial/seeds';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { AUTHORITIES, designationObjective } from './records/designations';
import { loadSynthetic } from './synthetic';

export const SEED_FILE = join(seedDir('finance'), 'indicators.json');
export const RECORDS_FILE = join(seedDir('finance'), 'records.json');
/** Synthetic records loaded at first start, so that organizations and objectives have seizures to show. */
export const SYNTHETIC_SAMPLE = { seed: 1, assetSeizures: 300, designations: 0 } as const;

const source = z.strictObject({
  id: z.string(),
  publisher: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  kind: z.enum(SOURCE_KINDS),
  publishedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  citedVia: z.string().nullable(),
});
const slug = z.string().regex(ORGANIZATION_SLUG);
const qualifier = z.enum(['EXACT', 'APPROXIMATE', 'AT_LEAST']);

const organizationsFile = z.strictObject({
  $comment: z.string(),
  sources: z.array(source),
  organizations: z.array(
    z.strictObject({
      slug,
      name: z.string().min(1),
      spanishName: z.string().min(1),
      aliases: z.array(z.string().min(1)),
      kind: z.enum(['CARTEL', 'GANG', 'FACTION', 'OTHER']),
      parent: slug.nullable(),
      predecessor: slug.nullable(),
      note: z.string().nullable(),
      source: z.string(),
    }),
  ),
});

const recordsFile = z.strictObject({
  $comment: z.string(),
  sources: z.array(source),
  designations: z.array(
    z.strictObject({
      recordId: z.string(),
      /** `YYYY-MM-DD`, or `YYYY-MM` when only the month is published. */
      designatedOn: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
      designatedBy: z.string().min(1),
      authorities: z.array(z.enum(AUTHORITIES)),
      targetKind: z.enum(['INDIVIDUAL', 'ENTITY', 'MIXED']),
      individuals: z.number().int().min(0).nullable(),
      entities: z.number().int().min(0).nullable(),
      countryCount: z.number().int().min(1).nullable(),
      namedTargets: z.array(z.string().min(1)),
      organization: slug.nullable(),
      note: z.string().nullable(),
      source: z.string(),
    }),
  ),
  advisories: z.array(
    z.strictObject({
      id: z.string(),
      number: z.string().nullable(),
      kind: z.enum(['ADVISORY', 'SUPPLEMENTAL_ADVISORY', 'ALERT', 'TREND_ANALYSIS', 'ORDER', 'NATIONAL_PRIORITIES']),
      title: z.string().min(1),
      issuedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      sarKeyTerm: z.string().nullable(),
      newRedFlagCount: z.number().int().min(0).nullable(),
      institutions: z.array(
        z.strictObject({
          name: z.string().min(1),
          country: z.enum(['US', 'MX']),
          assetsUsd: z.number().positive().nullable(),
          assetsQualifier: qualifier.nullable(),
          assetsMeasure: z.enum(['TOTAL_ASSETS', 'ASSETS_UNDER_MANAGEMENT']).nullable(),
          sarKeyTerm: z.string().nullable(),
        }),
      ),
      effectiveDatesNote: z.string().nullable(),
      note: z.string().nullable(),
      objectiveId: z.string().regex(/^3\.[13]\.\d$/),
      source: z.string(),
    }),
  ),
  suspiciousActivity: z.array(
    z.strictObject({
      id: z.string(),
      period: z.string(),
      periodKind: z.enum(['CALENDAR_YEAR', 'FISCAL_YEAR', 'HALF_YEAR', 'MONTH']),
      subject: z.enum(['FENTANYL', 'SYNTHETIC_OPIOIDS', 'PRECURSOR_CHEMICALS', 'OTHER']),
      sarCount: z.number().int().min(0).nullable(),
      sarCountQualifier: qualifier,
      suspiciousAmountUsd: z.number().positive().nullable(),
      suspiciousAmountQualifier: qualifier,
      paymentMethodShares: z.array(
        z.strictObject({
          method: z.enum([
            'CASH',
            'PEER_TO_PEER',
            'WIRE_TRANSFER',
            'CHECK',
            'CRYPTOCURRENCY',
            'MONEY_SERVICES_BUSINESS',
            'OTHER',
          ]),
          percent: z.number().min(0).max(100),
          qualifier,
        }),
      ),
      objectiveIds: z.array(z.string().regex(/^3\.[13]\.\d$/)).min(1),
      advisory: z.string().nullable(),
      note: z.string().nullable(),
      source: z.string(),
    }),
  ),
});

export const readOrganizations = () => organizationsFile.parse(JSON.parse(readFileSync(ORGANIZATIONS_FILE, 'utf8')));
export const readRecords = () => recordsFile.parse(JSON.parse(readFileSync(RECORDS_FILE, 'utf8')));

const utcDate = (text: string) => new Date(`${text}T00:00:00Z`);

/** A published date (`2023-05-09`, or `2024-09` when only the month is known) as a day and its precision. */
export function publishedDate(text: string): { date: Date; precision: 'DAY' | 'MONTH' } {
  return text.length === 7
    ? { date: utcDate(`${text}-01`), precision: 'MONTH' }
    : { date: utcDate(text), precision: 'DAY' };
}

function bounds(kind: Parameters<typeof periodBounds>[0], period: string) {
  const found = periodBounds(kind, period);
  if (!found) throw new Error(`records.json: period ${period} is not a ${kind}`);
  return found;
}

/**
 * Loads an empty database, each part in one transaction when its tables are empty: the indicator
 * values; the organizations with the published designations, FinCEN publications and
 * suspicious-activity figures; and, when `options` asks, a small synthetic sample of asset
 * seizures.
 *
 * The runtime passes what the profile decided (`seedDatabase`: only a development database's
 * first seed gets the sample); without options (tests, the synthetic-data command on a scratch
 * database) it is the development seed.
 */
export async function seed(
  prisma: PrismaClient,
  logger: Logger,
  options: SeedOptions = { syntheticSample: true },
): Promise<void> {
  {
    // Every start: the file's sources, indicator metadata and any value not yet stored.
    const rows = readIndicatorSeed(SEED_FILE);
    const added = await syncIndicatorSeed(prisma, rows);
    logger.info({ sources: rows.sources.length, indicators: rows.indicators.length, added }, 'synced indicator seed');
  }
  if ((await prisma.criminalOrganization.findFirst({ select: { slug: true } })) === null) {
    const { sources: organizationSources, organizations } = readOrganizations();
    const { sources: recordSources, designations, advisories, suspiciousActivity } = readRecords();
    await prisma.$transaction([
      prisma.source.createMany({
        data: [...organizationSources, ...recordSources].map((s) => ({
          ...s,
          publishedOn: s.publishedOn ? utcDate(s.publishedOn) : null,
        })),
        skipDuplicates: true,
      }),
      // One statement: PostgreSQL checks the parent and predecessor references at its end.
      prisma.criminalOrganization.createMany({
        data: organizations.map(({ parent, predecessor, source: sourceId, ...organization }) => ({
          ...organization,
          parentSlug: parent,
          predecessorSlug: predecessor,
          sourceId,
          recordedBy: 'seed',
        })),
      }),
      prisma.sanctionsDesignation.createMany({
        data: designations.map(({ designatedOn, organization, source: sourceId, ...designation }) => {
          const { date, precision } = publishedDate(designatedOn);
          return {
            ...designation,
            // In the SDL's order, as a submitted designation's are (records/designations.ts).
            authorities: AUTHORITIES.filter((a) => designation.authorities.includes(a)),
            objectiveId: designationObjective(designation.authorities),
            designatedOn: date,
            datePrecision: precision,
            organizationSlug: organization,
            sourceId,
            recordedBy: 'seed',
          };
        }),
      }),
      prisma.financialAdvisory.createMany({
        data: advisories.map(({ institutions: _institutions, issuedOn, source: sourceId, ...advisory }) => ({
          ...advisory,
          issuedOn: utcDate(issuedOn),
          sourceId,
          recordedBy: 'seed',
        })),
      }),
      prisma.namedInstitution.createMany({
        data: advisories.flatMap((advisory) =>
          advisory.institutions.map(({ country, ...institution }) => ({
            ...institution,
            countryCode: country,
            advisoryId: advisory.id,
          })),
        ),
      }),
      prisma.suspiciousActivityStatistic.createMany({
        data: suspiciousActivity.map(({ paymentMethodShares: _shares, advisory, source: sourceId, ...statistic }) => {
          const { start, end } = bounds(statistic.periodKind, statistic.period);
          return {
            ...statistic,
            periodStart: start,
            periodEnd: end,
            advisoryId: advisory,
            sourceId,
            recordedBy: 'seed',
          };
        }),
      }),
      prisma.paymentMethodShare.createMany({
        data: suspiciousActivity.flatMap((statistic) =>
          statistic.paymentMethodShares.map((share) => ({ ...share, statisticId: statistic.id })),
        ),
      }),
    ]);
    logger.info(
      {
        organizations: organizations.length,
        designations: designations.length,
        advisories: advisories.length,
        suspiciousActivity: suspiciousActivity.length,
      },
      'seeded organizations and published finance records',
    );
  }
  if (options.syntheticSample) {
    const loaded = await loadSynthetic(prisma, SYNTHETIC_SAMPLE);
    logger.info(loaded, 'seeded a synthetic sample (source synthetic-finance)');
  }
}
