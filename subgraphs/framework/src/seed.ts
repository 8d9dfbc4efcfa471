import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Logger } from '@bicentennial/service';
import { seedDir } from '@bicentennial/seeds';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';

const OWNERS = ['PUBLIC_HEALTH', 'BORDER_TRADE', 'FIREARMS', 'FINANCE', 'EXTRADITION'] as const;
const status = z.enum(['OFFICIAL', 'UNOFFICIAL']);
const bilingual = z.strictObject({ en: z.string().min(1), es: z.string().min(1) });
const translated = bilingual.extend({ esStatus: status });

const catalogueSchema = z.strictObject({
  $comment: z.string().optional(),
  framework: z.strictObject({ title: translated, source: z.string().min(1), spanishGoalTitlesSource: z.string() }),
  goals: z.array(z.strictObject({ id: z.string().regex(/^[1-9]$/), title: translated, description: translated })),
  cooperationAreas: z.array(
    z.strictObject({ id: z.string().regex(/^[1-9]\.[1-9]$/), goalId: z.string(), title: translated }),
  ),
  objectives: z.array(
    z.strictObject({
      id: z.string().regex(/^[1-9]\.[1-9]\.[1-9]$/),
      areaId: z.string(),
      owner: z.enum(OWNERS),
      title: translated,
    }),
  ),
});

const regionsSchema = z.strictObject({
  $comment: z.string().optional(),
  regions: z.array(
    z.strictObject({
      code: z.string().regex(/^(US|MX)(-[A-Z]{2,3})?$/),
      country: z.enum(['US', 'MX']),
      kind: z.enum(['COUNTRY', 'STATE', 'CAPITAL_DISTRICT']),
      name: bilingual,
      border: z.boolean(),
    }),
  ),
});

const registrySchema = z.strictObject({
  $comment: z.string().optional(),
  indicators: z.array(
    z.strictObject({
      id: z.string().regex(/^[1-9]\.[1-9]\.[1-9]\/[a-z0-9]+(-[a-z0-9]+)*$/),
      objectiveId: z.string(),
      owner: z.enum(OWNERS),
      name: bilingual,
      unit: bilingual,
      description: bilingual,
      partOf: z.strictObject({ id: z.string(), note: bilingual }).optional(),
    }),
  ),
});

function read<T>(schema: z.ZodType<T>, file: string): T {
  const path = join(seedDir('framework'), file);
  const result = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    throw new Error(`${path}:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return result.data;
}

/** The catalogue, regions and indicator registry from seeds/framework, checked for consistency. */
export function readFrameworkSeed() {
  const catalogue = read(catalogueSchema, 'catalogue.json');
  const { regions } = read(regionsSchema, 'regions.json');
  const { indicators } = read(registrySchema, 'indicators.json');
  const problems: string[] = [];
  const goals = new Set(catalogue.goals.map((g) => g.id));
  const areas = new Set(catalogue.cooperationAreas.map((a) => a.id));
  for (const area of catalogue.cooperationAreas) {
    if (!goals.has(area.goalId) || !area.id.startsWith(`${area.goalId}.`))
      problems.push(`area ${area.id}: goal ${area.goalId}`);
  }
  const objectives = new Map(catalogue.objectives.map((o) => [o.id, o]));
  for (const objective of catalogue.objectives) {
    if (!areas.has(objective.areaId) || !objective.id.startsWith(`${objective.areaId}.`)) {
      problems.push(`objective ${objective.id}: area ${objective.areaId}`);
    }
  }
  const covered = new Set<string>();
  for (const indicator of indicators) {
    const objective = objectives.get(indicator.objectiveId);
    if (!objective || !indicator.id.startsWith(`${indicator.objectiveId}/`)) {
      problems.push(`indicator ${indicator.id}: objective ${indicator.objectiveId}`);
    } else if (objective.owner !== indicator.owner) {
      problems.push(
        `indicator ${indicator.id}: owner ${indicator.owner} differs from its objective's (${objective.owner})`,
      );
    }
    covered.add(indicator.objectiveId);
  }
  const ids = new Set(indicators.map((i) => i.id));
  for (const indicator of indicators) {
    if (indicator.partOf && (!ids.has(indicator.partOf.id) || indicator.partOf.id === indicator.id)) {
      problems.push(
        `indicator ${indicator.id}: partOf ${indicator.partOf.id} is not another indicator of the registry`,
      );
    }
  }
  for (const id of objectives.keys()) if (!covered.has(id)) problems.push(`objective ${id} has no indicator`);
  if (problems.length > 0) throw new Error(`seeds/framework is inconsistent:\n  ${problems.join('\n  ')}`);
  return { catalogue, regions, indicators };
}

/**
 * The indicator registry as the seed file has it, written over the database's in one
 * transaction: every indicator of the file is created or updated (names, units, descriptions,
 * order, nested totals). Run at every start, so a registry change in the file reaches a database
 * seeded before it; an indicator that is no longer in the file is left in place (its owner may
 * still hold values for it) and reported.
 */
/** Where indicators no longer in the registry file are ordered: after every indicator of the file. */
const STALE_POSITION = 100_000;

export async function syncRegistry(
  prisma: PrismaClient,
  logger: Logger,
  indicators: ReturnType<typeof readFrameworkSeed>['indicators'],
): Promise<void> {
  const positions = new Map<string, number>();
  const rows = indicators.map((i) => {
    const position = positions.get(i.objectiveId) ?? 0;
    positions.set(i.objectiveId, position + 1);
    return {
      id: i.id,
      objectiveId: i.objectiveId,
      owner: i.owner,
      position,
      nameEn: i.name.en,
      nameEs: i.name.es,
      unitEn: i.unit.en,
      unitEs: i.unit.es,
      descriptionEn: i.description.en,
      descriptionEs: i.description.es,
      partOfNoteEn: i.partOf?.note.en ?? null,
      partOfNoteEs: i.partOf?.note.es ?? null,
    };
  });
  const stored = await prisma.indicator.findMany({ select: { id: true } });
  const known = new Set(rows.map((r) => r.id));
  const stale = stored.filter((r) => !known.has(r.id)).map((r) => r.id);
  await prisma.$transaction([
    // Positions move out of the way first: (objective, position) is unique while rows are rewritten.
    // Rows no longer in the file keep their order, after the file's and after those an earlier
    // start moved there (position + STALE_POSITION alone could land on one of them).
    prisma.$executeRaw`UPDATE "Indicator" SET "position" = -1 - "position" WHERE id = ANY(${[...known]})`,
    prisma.$executeRaw`UPDATE "Indicator" AS i SET "position" = i."position" + GREATEST(${STALE_POSITION},
        (SELECT max(o."position") + 1 FROM "Indicator" o WHERE o."objectiveId" = i."objectiveId"))
      WHERE NOT (i.id = ANY(${[...known]})) AND i."position" < ${STALE_POSITION}`,
    ...rows.map(({ id, ...data }) =>
      prisma.indicator.upsert({ where: { id }, create: { id, ...data }, update: { ...data, partOfId: null } }),
    ),
    ...indicators
      .filter((i) => i.partOf)
      .map((i) => prisma.indicator.update({ where: { id: i.id }, data: { partOfId: i.partOf!.id } })),
  ]);
  if (stale.length > 0) logger.warn({ indicators: stale }, 'indicators in the database are not in the registry file');
}

/**
 * Loads the catalogue into an empty database, all in one transaction, then the indicator
 * registry (`syncRegistry`, also on a database that already holds the catalogue: later changes to
 * the rest of the reference data ship as migrations).
 */
export async function seed(prisma: PrismaClient, logger: Logger): Promise<void> {
  if ((await prisma.goal.findFirst({ select: { id: true } })) !== null) {
    logger.debug('catalogue present: syncing the indicator registry only');
    await syncRegistry(prisma, logger, readFrameworkSeed().indicators);
    return;
  }
  const { catalogue, regions, indicators } = readFrameworkSeed();
  await prisma.$transaction([
    prisma.framework.create({
      data: {
        id: 'bicentennial',
        titleEn: catalogue.framework.title.en,
        titleEs: catalogue.framework.title.es,
        titleEsStatus: catalogue.framework.title.esStatus,
        source: catalogue.framework.source,
      },
    }),
    prisma.goal.createMany({
      data: catalogue.goals.map((g) => ({
        id: g.id,
        titleEn: g.title.en,
        titleEs: g.title.es,
        titleEsStatus: g.title.esStatus,
        descriptionEn: g.description.en,
        descriptionEs: g.description.es,
        descriptionEsStatus: g.description.esStatus,
      })),
    }),
    prisma.cooperationArea.createMany({
      data: catalogue.cooperationAreas.map((a) => ({
        id: a.id,
        goalId: a.goalId,
        titleEn: a.title.en,
        titleEs: a.title.es,
        titleEsStatus: a.title.esStatus,
      })),
    }),
    prisma.jointObjective.createMany({
      data: catalogue.objectives.map((o) => ({
        id: o.id,
        areaId: o.areaId,
        goalId: o.areaId.split('.')[0] ?? '',
        titleEn: o.title.en,
        titleEs: o.title.es,
        titleEsStatus: o.title.esStatus,
        owner: o.owner,
      })),
    }),
    prisma.region.createMany({
      data: regions.map((r) => ({
        code: r.code,
        countryCode: r.country,
        kind: r.kind,
        nameEn: r.name.en,
        nameEs: r.name.es,
        borderState: r.border,
      })),
    }),
  ]);
  logger.info(
    {
      goals: catalogue.goals.length,
      areas: catalogue.cooperationAreas.length,
      objectives: catalogue.objectives.length,
      regions: regions.length,
      indicators: indicators.length,
    },
    'seeded the catalogue',
  );
  await syncRegistry(prisma, logger, indicators);
}
