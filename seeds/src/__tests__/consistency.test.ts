import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readIndicatorSeed, type IndicatorSeedRows } from '@bicentennial/subgraph-kit';
import { organizationSlugs, seedDir } from '@bicentennial/seeds';

type Owner = 'PUBLIC_HEALTH' | 'BORDER_TRADE' | 'FIREARMS' | 'FINANCE' | 'EXTRADITION';

/** The domain subgraph whose seed folder holds an owner's indicators. */
const DOMAINS: Record<Owner, string> = {
  PUBLIC_HEALTH: 'public-health',
  BORDER_TRADE: 'border-trade',
  FIREARMS: 'firearms',
  FINANCE: 'finance',
  EXTRADITION: 'extradition',
};
const OWNERS = Object.keys(DOMAINS) as Owner[];

/** Who owns which joint objective: shared/reference/ownership.md, copied by hand on purpose. */
const OWNERSHIP: Record<Owner, string[]> = {
  PUBLIC_HEALTH: ['1.1.1', '1.1.2', '1.2.1', '1.2.2', '1.3.1'],
  BORDER_TRADE: ['2.1.1', '2.1.2', '2.1.3', '2.1.4', '2.1.5', '2.3.1', '2.3.2', '2.3.3', '2.4.1', '2.4.2'],
  FIREARMS: ['2.2.1', '2.2.2', '2.2.3'],
  FINANCE: ['3.1.1', '3.1.2', '3.1.3', '3.1.4', '3.3.1'],
  EXTRADITION: ['1.3.2', '3.2.1', '3.4.1'],
};

interface Registry {
  indicators: { id: string; objectiveId: string; owner: string }[];
}

interface Catalogue {
  goals: { id: string }[];
  cooperationAreas: { id: string; goalId: string }[];
  objectives: { id: string; areaId: string; owner: string }[];
}

const readJson = (subgraph: string, file: string): unknown =>
  JSON.parse(readFileSync(join(seedDir(subgraph), file), 'utf8'));
const domainFile = (owner: Owner) => join(seedDir(DOMAINS[owner]), 'indicators.json');
const sorted = (values: Iterable<string>) => [...values].sort((a, b) => a.localeCompare(b));

describe('seed data', () => {
  const registry = readJson('framework', 'indicators.json') as Registry;
  const catalogue = readJson('framework', 'catalogue.json') as Catalogue;

  it.each(OWNERS)('the %s domain file is a valid indicator seed', (owner) => {
    expect(() => readIndicatorSeed(domainFile(owner))).not.toThrow();
  });

  describe('across files', () => {
    // Read in beforeAll, so that an invalid file fails these tests rather than the whole suite.
    const domains = new Map<Owner, IndicatorSeedRows>();
    /** Indicator id → the owners whose domain file holds it. */
    const holders = new Map<string, Owner[]>();
    beforeAll(() => {
      for (const owner of OWNERS) {
        const rows = readIndicatorSeed(domainFile(owner));
        domains.set(owner, rows);
        for (const { id } of rows.indicators) holders.set(id, [...(holders.get(id) ?? []), owner]);
      }
    });

    it('has each indicator in exactly one domain file, under its objective', () => {
      expect([...holders].filter(([, owners]) => owners.length !== 1)).toEqual([]);
      for (const rows of domains.values()) {
        for (const { id, objectiveId } of rows.indicators) expect(id.startsWith(`${objectiveId}/`)).toBe(true);
      }
    });

    it("lists in the registry exactly the domain files' indicators, each owned by the subgraph whose file holds it", () => {
      const ids = registry.indicators.map((i) => i.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(sorted(ids)).toEqual(sorted(holders.keys()));
      expect(registry.indicators.map((i) => [i.id, i.owner])).toEqual(
        registry.indicators.map((i) => [i.id, holders.get(i.id)?.[0]]),
      );
      for (const rows of domains.values()) {
        for (const indicator of rows.indicators) {
          expect(registry.indicators.find((i) => i.id === indicator.id)).toMatchObject({
            objectiveId: indicator.objectiveId,
          });
        }
      }
    });

    it('gives each registry indicator the owner of its objective in the catalogue', () => {
      const objectiveOwner = new Map(catalogue.objectives.map((o) => [o.id, o.owner]));
      expect(registry.indicators.map((i) => [i.id, i.owner])).toEqual(
        registry.indicators.map((i) => [i.id, objectiveOwner.get(i.objectiveId)]),
      );
    });

    it('has at least one indicator for every objective of the catalogue', () => {
      const covered = new Set(registry.indicators.map((i) => i.objectiveId));
      expect(catalogue.objectives.map((o) => o.id).filter((id) => !covered.has(id))).toEqual([]);
      expect(covered.size).toBe(26);
    });

    it('seeds only official figures (no SYNTHETIC source)', () => {
      const sources = [...domains].flatMap(([owner, rows]) => rows.sources.map((s) => [owner, s.id, s.kind]));
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.filter(([, , kind]) => kind !== 'OFFICIAL')).toEqual([]);
    });

    it('names the publisher of every official observation', () => {
      const unnamed = [...domains].flatMap(([owner, rows]) => {
        const publisher = new Map(rows.sources.filter((s) => s.kind === 'OFFICIAL').map((s) => [s.id, s.publisher]));
        return rows.observations
          .filter((o) => publisher.has(o.sourceId) && !publisher.get(o.sourceId)?.trim())
          .map((o) => [owner, o.indicatorId, o.period, o.sourceId]);
      });
      expect(unnamed).toEqual([]);
    });
  });

  describe('catalogue', () => {
    it('has 3 goals, 11 cooperation areas and 26 joint objectives, each nested in its parent', () => {
      expect(catalogue.goals.map((g) => g.id)).toEqual(['1', '2', '3']);
      expect(catalogue.cooperationAreas.map((a) => a.id)).toEqual([
        '1.1',
        '1.2',
        '1.3',
        '2.1',
        '2.2',
        '2.3',
        '2.4',
        '3.1',
        '3.2',
        '3.3',
        '3.4',
      ]);
      expect(catalogue.objectives).toHaveLength(26);
      expect(new Set(catalogue.objectives.map((o) => o.id)).size).toBe(26);
      for (const area of catalogue.cooperationAreas) expect(area.id.startsWith(`${area.goalId}.`)).toBe(true);
      for (const objective of catalogue.objectives) expect(objective.id.startsWith(`${objective.areaId}.`)).toBe(true);
    });

    it('gives each objective the owner in ownership.md', () => {
      const expected = OWNERS.flatMap((owner) => OWNERSHIP[owner].map((id) => [id, owner]));
      expect(expected).toHaveLength(26);
      const got = catalogue.objectives.map((o) => [o.id, o.owner]);
      const byId = (a: string[], b: string[]) => a[0]!.localeCompare(b[0]!);
      expect(got.sort(byId)).toEqual(expected.sort(byId));
    });
  });

  it('gives each criminal organization of the catalogue its own well-formed slug', () => {
    const { organizations } = readJson('finance', 'organizations.json') as { organizations: { slug: string }[] };
    expect(organizations.length).toBeGreaterThan(0);
    expect(sorted(organizationSlugs())).toEqual(sorted(organizations.map((o) => o.slug)));
  });
});
