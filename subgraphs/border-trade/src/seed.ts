import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIndicatorSeed, SOURCE_KINDS, type SeedOptions, syncIndicatorSeed } from '@bicentennial/subgraph-kit';
import { type Logger } from '@bicentennial/service';
import { seedDir } from '@bicentennial/seeds';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { loadSynthetic } from './synthetic';

export const SEED_FILE = join(seedDir('border-trade'), 'indicators.json');
export const PORTS_FILE = join(seedDir('border-trade'), 'ports.json');
export const RECORDS_FILE = join(seedDir('border-trade'), 'records.json');
/** Synthetic records loaded at first start, so that ports and objectives have records to show. */
export const SYNTHETIC_SAMPLE = { seed: 1, drugSeizures: 2000, interdictions: 200 } as const;

const source = z.strictObject({
  id: z.string(),
  publisher: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  kind: z.enum(SOURCE_KINDS),
  publishedOn: z.string().nullable(),
  citedVia: z.string().nullable(),
});
const portsFile = z.strictObject({
  $comment: z.string(),
  sources: z.array(source),
  ports: z.array(
    z.strictObject({
      code: z.string().regex(/^\d{4}$/),
      name: z.string(),
      state: z.string().regex(/^US-[A-Z]{2}$/),
      kind: z.enum(['LAND', 'AIR', 'SEA']),
      counterpartCity: z.string().nullable(),
      counterpartState: z
        .string()
        .regex(/^MX-[A-Z]{3}$/)
        .nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      source: z.string(),
    }),
  ),
});
const drug = z.enum(['FENTANYL', 'METHAMPHETAMINE', 'COCAINE', 'HEROIN', 'MARIJUANA', 'PRECURSOR_CHEMICALS', 'OTHER']);
const recordsFile = z.strictObject({
  $comment: z.string(),
  seizureTotals: z.array(
    z.strictObject({
      fiscalYear: z.number().int(),
      drug,
      scope: z.enum(['NATIONWIDE', 'SOUTHWEST_BORDER', 'NORTHERN_BORDER', 'PORTS_OF_ENTRY', 'DHS_WIDE']),
      pounds: z.number().positive(),
      qualifier: z.enum(['EXACT', 'APPROXIMATE', 'AT_LEAST']),
      source: z.string(),
      note: z.string().nullable(),
    }),
  ),
  parcelInspections: z.array(
    z.strictObject({
      fiscalYear: z.number().int(),
      facility: z.enum(['EXPRESS_CONSIGNMENT', 'INTERNATIONAL_MAIL']),
      drug,
      poundsSeized: z.number().positive(),
      seizureIncidents: z.number().int().nullable(),
      source: z.string(),
    }),
  ),
});

export const readPorts = () => portsFile.parse(JSON.parse(readFileSync(PORTS_FILE, 'utf8')));
export const readRecords = () => recordsFile.parse(JSON.parse(readFileSync(RECORDS_FILE, 'utf8')));

/**
 * Loads an empty database, each part in one transaction when its tables are empty: the public
 * figures (indicator values, ports, CBP's published totals); and, when `options` asks, a small
 * synthetic sample.
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
  if ((await prisma.portOfEntry.findFirst({ select: { code: true } })) === null) {
    const { sources, ports } = readPorts();
    const { seizureTotals, parcelInspections } = readRecords();
    await prisma.$transaction([
      prisma.source.createMany({
        data: sources.map((s) => ({
          ...s,
          publishedOn: s.publishedOn ? new Date(`${s.publishedOn}T00:00:00Z`) : null,
        })),
        skipDuplicates: true,
      }),
      prisma.portOfEntry.createMany({
        data: ports.map(({ state, source: sourceId, ...port }) => ({
          ...port,
          stateCode: state,
          sourceId,
          recordedBy: 'seed',
        })),
      }),
      prisma.seizureTotal.createMany({
        data: seizureTotals.map(({ source: sourceId, ...total }) => ({ ...total, sourceId, recordedBy: 'seed' })),
      }),
      prisma.parcelInspection.createMany({
        data: parcelInspections.map(({ source: sourceId, ...stat }) => ({ ...stat, sourceId, recordedBy: 'seed' })),
      }),
    ]);
    logger.info(
      { ports: ports.length, seizureTotals: seizureTotals.length, parcelInspections: parcelInspections.length },
      'seeded ports and published totals',
    );
  }
  if (options.syntheticSample) {
    const loaded = await loadSynthetic(prisma, SYNTHETIC_SAMPLE);
    logger.info(loaded, 'seeded a synthetic sample (source synthetic-border-trade)');
  }
}
