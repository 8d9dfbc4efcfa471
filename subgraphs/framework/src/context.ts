import { snapshotOf, type Snapshot } from '@bicentennial/subgraph-kit';
import type { Caller } from '@bicentennial/schema';
import type {
  CooperationArea,
  Framework,
  Goal,
  Indicator,
  JointObjective,
  PrismaClient,
  Region,
} from './generated/prisma/client';

/** A row by its key; null when there is none (the resolvers decide what a missing row means). */
export interface ByKey<V> {
  load(key: string): Promise<V | null>;
}

/** The rows that belong to a parent, in the catalogue's order (empty when none). */
export interface ByParent<V> {
  load(key: string): Promise<V[]>;
}

export interface Loaders {
  goal: ByKey<Goal>;
  area: ByKey<CooperationArea>;
  objective: ByKey<JointObjective>;
  region: ByKey<Region>;
  indicator: ByKey<Indicator>;
  areasByGoal: ByParent<CooperationArea>;
  objectivesByArea: ByParent<JointObjective>;
  objectivesByGoal: ByParent<JointObjective>;
  indicatorsByObjective: ByParent<Indicator>;
  /** The indicators that are nested totals of an indicator (`partOf`), by its id. */
  partsOf: ByParent<Indicator>;
  statesByCountry: ByParent<Region>;
}

/**
 * The whole catalogue: a few hundred rows, public, read by every Dashboard, and changed only by a
 * migration (applied at start, before the subgraph serves): held in memory rather than read
 * through SQL per request. Lists keep the order the database gave them (each list's `orderBy`
 * below, in the database's collation), and each group the order of its list.
 */
export interface Catalogue {
  framework: Framework | null;
  goals: Goal[];
  areas: CooperationArea[];
  objectives: JointObjective[];
  regions: Region[];
  indicators: Indicator[];
  byKey: {
    goal: Map<string, Goal>;
    area: Map<string, CooperationArea>;
    objective: Map<string, JointObjective>;
    region: Map<string, Region>;
    indicator: Map<string, Indicator>;
  };
  byParent: {
    areasByGoal: Map<string, CooperationArea[]>;
    objectivesByArea: Map<string, JointObjective[]>;
    objectivesByGoal: Map<string, JointObjective[]>;
    indicatorsByObjective: Map<string, Indicator[]>;
    partsOf: Map<string, Indicator[]>;
    statesByCountry: Map<string, Region[]>;
  };
}

/** What every resolver receives: the process's catalogue and this request's loaders over it. */
export interface Context {
  /** The catalogue, loaded once per process (`catalogue`). */
  catalogue: () => Promise<Catalogue>;
  /** Who is asking, as the gateway's internal token says. */
  caller: Caller;
  loaders: Loaders;
}

const byId = { id: 'asc' } as const;

function groupBy<V>(rows: V[], keyOf: (row: V) => string): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/**
 * The process's snapshot of the catalogue (schema/subgraph-kit/src/records/snapshot.ts): six
 * statements on first use, whatever the number of rows, then none. Framework has no mutations;
 * its data changes with a migration, which runs before a process serves, so a process never holds
 * a catalogue older than its database. A change made otherwise (a test's own SQL) calls
 * `invalidateSnapshots(prisma)`.
 */
export function catalogueSnapshot(prisma: PrismaClient): Snapshot<Catalogue> {
  return snapshotOf(prisma, 'catalogue', async () => {
    const [framework, goals, areas, objectives, regions, indicators] = await Promise.all([
      prisma.framework.findFirst(),
      prisma.goal.findMany({ orderBy: byId }),
      prisma.cooperationArea.findMany({ orderBy: byId }),
      prisma.jointObjective.findMany({ orderBy: byId }),
      prisma.region.findMany({ orderBy: { code: 'asc' } }),
      prisma.indicator.findMany({ orderBy: [{ objectiveId: 'asc' }, { position: 'asc' }] }),
    ]);
    return {
      framework,
      goals,
      areas,
      objectives,
      regions,
      indicators,
      byKey: {
        goal: new Map(goals.map((r) => [r.id, r])),
        area: new Map(areas.map((r) => [r.id, r])),
        objective: new Map(objectives.map((r) => [r.id, r])),
        region: new Map(regions.map((r) => [r.code, r])),
        indicator: new Map(indicators.map((r) => [r.id, r])),
      },
      byParent: {
        areasByGoal: groupBy(areas, (r) => r.goalId),
        objectivesByArea: groupBy(objectives, (r) => r.areaId),
        objectivesByGoal: groupBy(objectives, (r) => r.goalId),
        // The indicators are in position order within each objective.
        indicatorsByObjective: groupBy(indicators, (r) => r.objectiveId),
        partsOf: groupBy(
          [...indicators].filter((r) => r.partOfId !== null).sort((a, b) => a.id.localeCompare(b.id)),
          (r) => r.partOfId!,
        ),
        statesByCountry: groupBy(
          regions.filter((r) => r.kind !== 'COUNTRY'),
          (r) => r.countryCode,
        ),
      },
    };
  });
}

/** Loaders over the catalogue: what used to be one query per kind of row is a lookup in memory. */
export function createLoaders(catalogue: () => Promise<Catalogue>): Loaders {
  const row = <V>(pick: (c: Catalogue) => Map<string, V>): ByKey<V> => ({
    load: (key) => catalogue().then((c) => pick(c).get(key) ?? null),
  });
  const rows = <V>(pick: (c: Catalogue) => Map<string, V[]>): ByParent<V> => ({
    load: (key) => catalogue().then((c) => pick(c).get(key) ?? []),
  });
  return {
    goal: row((c) => c.byKey.goal),
    area: row((c) => c.byKey.area),
    objective: row((c) => c.byKey.objective),
    region: row((c) => c.byKey.region),
    indicator: row((c) => c.byKey.indicator),
    areasByGoal: rows((c) => c.byParent.areasByGoal),
    objectivesByArea: rows((c) => c.byParent.objectivesByArea),
    objectivesByGoal: rows((c) => c.byParent.objectivesByGoal),
    indicatorsByObjective: rows((c) => c.byParent.indicatorsByObjective),
    partsOf: rows((c) => c.byParent.partsOf),
    statesByCountry: rows((c) => c.byParent.statesByCountry),
  };
}

/** A request's context. The catalogue is public: `caller` is kept for the directives' checks only. */
export function createContext(prisma: PrismaClient, caller: Caller): Context {
  const snapshot = catalogueSnapshot(prisma);
  const catalogue = () => snapshot.get();
  return { catalogue, caller, loaders: createLoaders(catalogue) };
}
