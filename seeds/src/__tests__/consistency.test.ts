import { readdirSync, readFileSync } from 'node:fs';
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

/** A source as a seed file defines it (shared SDL `Source`; an absent optional field is null). */
interface SourceDefinition {
  id: string;
  publisher: string;
  title: string;
  url: string | null;
  kind: string;
  publishedOn: string | null;
  citedVia: string | null;
}
/** Where a source is defined: the subgraph's seed folder and the file in it. */
interface Defined {
  subgraph: string;
  file: string;
  source: SourceDefinition;
}

/**
 * Every source defined in any seed file (`sources` of each JSON file of each subgraph's folder):
 * each subgraph has its own database, so a source one subgraph's records or values use is defined
 * in that subgraph's folder, and a source two subgraphs use is defined in both.
 */
function sourceDefinitions(): Defined[] {
  return ['framework', ...Object.values(DOMAINS)].flatMap((subgraph) =>
    readdirSync(seedDir(subgraph))
      .filter((file) => file.endsWith('.json'))
      .sort()
      .flatMap((file) => {
        const { sources } = readJson(subgraph, file) as { sources?: Partial<SourceDefinition>[] };
        return (sources ?? []).map((s) => ({
          subgraph,
          file,
          source: {
            id: s.id ?? '',
            publisher: s.publisher ?? '',
            title: s.title ?? '',
            url: s.url ?? null,
            kind: s.kind ?? '',
            publishedOn: s.publishedOn ?? null,
            citedVia: s.citedVia ?? null,
          },
        }));
      }),
  );
}

/**
 * Whether a URL is on a government's own domain: U.S. federal and military (`.gov`, `.mil`, e.g.
 * www.cdc.gov, home.treasury.gov, data.bts.gov) or Mexico's (`.gob.mx`, `.gov.mx`).
 */
const onGovernmentDomain = (url: string) => /(^|\.)(gov|mil|gob\.mx|gov\.mx)$/.test(new URL(url).hostname);

/** Publisher text that stands in for an unknown publisher: never the publisher of an OFFICIAL source. */
const PLACEHOLDER_PUBLISHER = /not (named|known|stated)|unknown|official figure|agency not/i;

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

    it('seeds only published figures (no SYNTHETIC source in any seed file)', () => {
      const sources = sourceDefinitions().map(({ subgraph, file, source }) => [subgraph, file, source.id, source.kind]);
      expect(sources.length).toBeGreaterThan(0);
      expect(sources.filter(([, , , kind]) => kind !== 'OFFICIAL' && kind !== 'NON_OFFICIAL')).toEqual([]);
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

  describe('sources', () => {
    const definitions = sourceDefinitions();
    const where = ({ subgraph, file }: Defined) => `${subgraph}/${file}`;

    it('defines a source id with the same fields everywhere it is defined, in every file and subgraph', () => {
      expect(definitions.length).toBeGreaterThan(0);
      const byId = new Map<string, Defined[]>();
      for (const defined of definitions) byId.set(defined.source.id, [...(byId.get(defined.source.id) ?? []), defined]);
      const differing = [...byId]
        .filter(([, all]) => new Set(all.map((d) => JSON.stringify(d.source))).size > 1)
        .map(([id, all]) => ({ id, definitions: all.map((d) => ({ in: where(d), ...d.source })) }));
      expect(differing).toEqual([]);
    });

    it('defines a source at most once per subgraph (a second definition would be skipped when seeding)', () => {
      const seen = new Map<string, string>();
      const twice: string[][] = [];
      for (const defined of definitions) {
        const key = `${defined.subgraph}|${defined.source.id}`;
        const first = seen.get(key);
        if (first) twice.push([defined.source.id, first, where(defined)]);
        else seen.set(key, where(defined));
      }
      expect(twice).toEqual([]);
    });

    it('gives every OFFICIAL source on a non-government URL the outlet it was read in (citedVia)', () => {
      // url is "where the publication (or the outlet quoting it) can be read": an OFFICIAL source's
      // URL off a government domain is an outlet's page, and the outlet must be named.
      const missing = definitions
        .filter(({ source }) => source.kind === 'OFFICIAL' && source.url !== null && !onGovernmentDomain(source.url))
        .filter(({ source }) => source.citedVia === null)
        .map((d) => [where(d), d.source.id, d.source.url]);
      expect(missing).toEqual([]);
    });

    it('marks no stand-in publisher OFFICIAL, and every source read on a government domain OFFICIAL', () => {
      // OFFICIAL means the original publisher is an official body: a publisher that only says
      // who it is not ("agency not named") is not one, and a source read on a government's own
      // domain is the official body's publication.
      const placeholders = definitions
        .filter(({ source }) => source.kind === 'OFFICIAL' && PLACEHOLDER_PUBLISHER.test(source.publisher))
        .map((d) => [where(d), d.source.id, d.source.publisher]);
      expect(placeholders).toEqual([]);
      const governmentPages = definitions
        .filter(({ source }) => source.kind !== 'OFFICIAL' && source.url !== null && onGovernmentDomain(source.url))
        .map((d) => [where(d), d.source.id, d.source.url]);
      expect(governmentPages).toEqual([]);
    });

    it('recognises government domains', () => {
      expect(onGovernmentDomain('https://www.cdc.gov/nchs/products/databriefs/db522.htm')).toBe(true);
      expect(onGovernmentDomain('https://home.treasury.gov/news/press-releases/jy0535')).toBe(true);
      expect(onGovernmentDomain('https://www.gob.mx/sre/documentos/hoja-informativa-entendimiento-bicentenario')).toBe(
        true,
      );
      expect(onGovernmentDomain('https://www.cnn.com/2025/02/03/politics/x/index.html')).toBe(false);
      expect(onGovernmentDomain('https://binationalinstitutions.org/snapshots/x')).toBe(false);
      expect(onGovernmentDomain('https://notgov.com/')).toBe(false);
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
