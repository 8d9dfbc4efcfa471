import { ANONYMOUS, type Caller } from '@bicentennial/schema';
import {
  isReleasedTo,
  releasabilityProblem,
  releasableWhere,
  scopedClient,
  writerOf,
  type ExtensibleClient,
} from '../records/releasability';

const US: Caller = { subject: 'jdoe', agency: 'CBP', country: 'US', scopes: [] };
const MX: Caller = { subject: 'mlopez', agency: 'FGR', country: 'MX', scopes: [] };
/** A verified caller without a country (tokens require one today; the type allows it). */
const NO_COUNTRY: Caller = { subject: 'svc', agency: 'OPS', country: null, scopes: [] };
const MODELS = new Set(['Observation', 'DrugSeizure']);

type Read = (model: string, operation: string, args: Record<string, unknown>) => Promise<unknown>;

/** A stand-in Prisma client: each scoped client answers a read with the arguments the query got. */
function fakePrisma(): ExtensibleClient & { extended: number } {
  const prisma = {
    extended: 0,
    $extends(extension: Parameters<ExtensibleClient['$extends']>[0]) {
      prisma.extended += 1;
      const read: Read = (model, operation, args) =>
        extension.query.$allModels.$allOperations({ model, operation, args, query: (a) => Promise.resolve(a) });
      return { read };
    },
  };
  return prisma;
}
const readWith = (prisma: ExtensibleClient, caller: Caller) =>
  (scopedClient(prisma, caller, MODELS) as unknown as { read: Read }).read;

describe('releasability in Prisma reads', () => {
  it('narrows every read of a releasable model to what the caller may see, and nothing else', async () => {
    const read = readWith(fakePrisma(), US);
    const us = { releasableTo: { in: ['US', 'BOTH'] } };
    expect(await read('DrugSeizure', 'findMany', { where: { portCode: '2504' } })).toEqual({
      where: { AND: [{ portCode: '2504' }, us] },
    });
    expect(await read('DrugSeizure', 'count', {})).toEqual({ where: { AND: [{}, us] } });
    // findUnique keeps its unique fields at the top of where.
    expect(await read('DrugSeizure', 'findUnique', { where: { recordId: 'X' } })).toEqual({
      where: { recordId: 'X', ...us },
    });
    expect(await read('Source', 'findMany', { where: { id: 'a' } })).toEqual({ where: { id: 'a' } });
    expect(await read('DrugSeizure', 'create', { data: { recordId: 'X' } })).toEqual({ data: { recordId: 'X' } });
  });

  it('gives anonymous callers only published (not SYNTHETIC) indicator values released to both, whoever asked before', async () => {
    const prisma = fakePrisma();
    // A verified caller without a country reads what is released to both, from any source ...
    expect(await readWith(prisma, NO_COUNTRY)('Observation', 'findMany', {})).toEqual({
      where: { AND: [{}, { releasableTo: { in: ['BOTH'] } }] },
    });
    // ... and the public, asking after it, still only the published values.
    expect(await readWith(prisma, ANONYMOUS)('Observation', 'findMany', {})).toEqual({
      where: { AND: [{}, { releasableTo: { in: ['BOTH'] }, source: { kind: { in: ['OFFICIAL', 'NON_OFFICIAL'] } } }] },
    });
    expect(await readWith(prisma, NO_COUNTRY)('Observation', 'findMany', {})).toEqual({
      where: { AND: [{}, { releasableTo: { in: ['BOTH'] } }] },
    });
  });

  it('extends the client once per kind of caller, not once per request', async () => {
    const prisma = fakePrisma();
    const other = { ...US, subject: 'asmith' };
    expect(scopedClient(prisma, US, MODELS)).toBe(scopedClient(prisma, other, MODELS));
    expect(scopedClient(prisma, MX, MODELS)).not.toBe(scopedClient(prisma, US, MODELS));
    scopedClient(prisma, ANONYMOUS, MODELS);
    expect(prisma.extended).toBe(3);
    expect(await readWith(prisma, MX)('DrugSeizure', 'findFirst', {})).toEqual({
      where: { AND: [{}, { releasableTo: { in: ['MX', 'BOTH'] } }] },
    });
  });

  it('answers undefined for a model without releasableTo', () => {
    expect(releasableWhere('Source', US, MODELS)).toBeUndefined();
  });
});

describe('releasability in writes', () => {
  it("takes the writer from the verified caller, and refuses a row outside the writer's country", () => {
    expect(writerOf(US)).toBe('jdoe@CBP');
    expect(() => writerOf(ANONYMOUS)).toThrow(/verified caller/);
    expect(releasabilityProblem({ releasableTo: 'BOTH' }, US)).toBeUndefined();
    expect(releasabilityProblem({ releasableTo: 'US' }, US)).toBeUndefined();
    expect(releasabilityProblem({ releasableTo: 'MX' }, US)).toBe(
      'a US caller can only write records releasable to US or BOTH',
    );
    expect(releasabilityProblem({ releasableTo: 'US' }, MX)).toBe(
      'a MX caller can only write records releasable to MX or BOTH',
    );
    expect(isReleasedTo({ releasableTo: 'US' }, MX)).toBe(false);
    expect(isReleasedTo({ releasableTo: 'BOTH' }, MX)).toBe(true);
    expect(isReleasedTo({ id: 'a source' }, ANONYMOUS)).toBe(true);
  });
});
