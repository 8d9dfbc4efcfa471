import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import {
  ErrorCode,
  isAnonymous,
  recordedByOf,
  releasableFor,
  type Caller,
  type Releasability,
} from '@bicentennial/schema';
import { PUBLISHED_SOURCE_KINDS } from '../indicators/sourceKinds';

/**
 * Binational releasability, applied in SQL. Every row of a model with a `releasableTo` column is
 * read only by callers it is released to (`releasableFor`: a U.S. caller US and BOTH, a Mexican
 * caller MX and BOTH, the public BOTH), whatever reads it: lists, single records, entities,
 * counts and totals. Prisma reads go through a client scoped to the caller (`scopedClient`); raw
 * SQL adds `releasableSql`. Anonymous callers also see only indicator values from published
 * sources (OFFICIAL and NON_OFFICIAL: never SYNTHETIC).
 */

/** The models of a Prisma schema file that have a `releasableTo` column. */
export function releasableModels(prismaSchemaPath: string): ReadonlySet<string> {
  const text = readFileSync(prismaSchemaPath, 'utf8');
  const models = new Set<string>();
  for (const match of text.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    if (/^\s*releasableTo\s/m.test(match[2]!)) models.add(match[1]!);
  }
  if (models.size === 0) throw new Error(`${prismaSchemaPath} has no model with a releasableTo column`);
  return models;
}

const READS = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'findUnique',
  'findUniqueOrThrow',
  'count',
  'aggregate',
  'groupBy',
]);

/** What a Prisma client offers for query extensions (structural: every generated client fits). */
export interface ExtensibleClient {
  $extends(extension: {
    query: {
      $allModels: {
        $allOperations(params: {
          model: string;
          operation: string;
          args: Record<string, unknown>;
          query: (args: Record<string, unknown>) => Promise<unknown>;
        }): Promise<unknown>;
      };
    };
  }): unknown;
}

/** The condition a caller's reads of `model` get (undefined: the model is not filtered). */
export function releasableWhere(
  model: string,
  caller: Caller,
  models: ReadonlySet<string>,
): Record<string, unknown> | undefined {
  if (!models.has(model)) return undefined;
  const where: Record<string, unknown> = { releasableTo: { in: releasableFor(caller) } };
  if (model === 'Observation' && isAnonymous(caller)) where['source'] = { kind: { in: [...PUBLISHED_SOURCE_KINDS] } };
  return where;
}

/**
 * `releasableWhere` as a test on rows held in memory (records/snapshot.ts): the very condition the
 * scoped client adds in SQL, evaluated on the row, so a snapshot shows a row to exactly the callers
 * SQL would. Undefined: the model is not filtered. The conditions are equalities, `{ in: [...] }`
 * and to-one relations (`source: { kind: { in: [...] } }`, on the row's loaded relation); a condition
 * of any other form, or a relation the row was loaded without, throws rather than guess: memory
 * must never show more than SQL.
 */
export function releasedFilter(
  model: string,
  caller: Caller,
  models: ReadonlySet<string>,
): ((row: object) => boolean) | undefined {
  const where = releasableWhere(model, caller, models);
  return where ? (row) => matchesWhere(row as Record<string, unknown>, where, model) : undefined;
}

function matchesWhere(row: Record<string, unknown>, where: Record<string, unknown>, path: string): boolean {
  for (const [field, condition] of Object.entries(where)) {
    const value = row[field];
    if (condition === null || typeof condition !== 'object') {
      if (value !== condition) return false;
    } else if (Object.keys(condition).length === 1 && Array.isArray((condition as { in?: unknown }).in)) {
      if (!(condition as { in: unknown[] }).in.includes(value)) return false;
    } else if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Array.isArray(condition)) {
      if (!matchesWhere(value as Record<string, unknown>, condition as Record<string, unknown>, `${path}.${field}`)) {
        return false;
      }
    } else {
      throw new Error(`releasability: ${path}.${field} ${JSON.stringify(condition)} cannot be checked in memory`);
    }
  }
  return true;
}

const scoped = new WeakMap<object, Map<string, unknown>>();

/**
 * `prisma` with every read of a releasable model narrowed to what `caller` may see: the where of
 * each findMany / findFirst / findUnique / count / aggregate / groupBy gets the caller's
 * condition. One extended client per country (and the public) per process, reused by every
 * request. Nested reads (`include` of a releasable relation) are not narrowed: load related
 * records through their own (scoped) delegate instead, as the subgraphs do.
 */
export function scopedClient<P extends object>(prisma: P, caller: Caller, models: ReadonlySet<string>): P {
  // What the condition depends on: the country and whether the caller is anonymous (anonymous
  // callers also see only published values). A client is built for the first caller of its key.
  const key = isAnonymous(caller) ? 'anonymous' : `verified:${caller.country ?? 'none'}`;
  let clients = scoped.get(prisma);
  if (!clients) scoped.set(prisma, (clients = new Map<string, unknown>()));
  const existing = clients.get(key);
  if (existing) return existing as P;
  const client = (prisma as unknown as ExtensibleClient).$extends({
    query: {
      $allModels: {
        $allOperations: ({ model, operation, args, query }) => {
          const condition = READS.has(operation) ? releasableWhere(model, caller, models) : undefined;
          if (!condition) return query(args);
          const where = args['where'] as Record<string, unknown> | undefined;
          // findUnique keeps its unique fields at the top of `where`; other conditions sit beside them.
          const narrowed = operation.startsWith('findUnique')
            ? { ...where, ...condition }
            : { AND: [where ?? {}, condition] };
          return query({ ...args, where: narrowed });
        },
      },
    },
  }) as P;
  clients.set(key, client);
  return client;
}

/** A raw SQL condition on `alias."releasableTo"` for `caller`, with its one bound value at `$index`. */
export function releasableSql(alias: string, index: number, caller: Caller): { sql: string; value: Releasability[] } {
  return { sql: `${alias}."releasableTo"::text = ANY($${index}::text[])`, value: releasableFor(caller) };
}

/** The writer's `recordedBy`, or FORBIDDEN for an anonymous caller (the directives should have refused it). */
export function writerOf(caller: Caller): string {
  if (isAnonymous(caller)) {
    throw new GraphQLError('writing needs a verified caller with the write scope of this subgraph', {
      extensions: { code: ErrorCode.FORBIDDEN },
    });
  }
  return recordedByOf(caller);
}

/**
 * A row must be released to its writer's own country: a U.S. writer writes US or BOTH, a
 * Mexican writer MX or BOTH (a writer could not read back what it wrote otherwise).
 */
export function releasabilityProblem(row: unknown, writer: Caller): string | undefined {
  const value = (row as { releasableTo?: unknown } | null)?.releasableTo;
  if (typeof value !== 'string') return undefined;
  const allowed = releasableFor(writer);
  return allowed.includes(value as Releasability)
    ? undefined
    : `a ${writer.country ?? 'public'} caller can only write records releasable to ${allowed.join(' or ')}`;
}

/** Whether a stored row (with or without a `releasableTo`) is released to `caller`. */
export function isReleasedTo(stored: unknown, caller: Caller): boolean {
  const value = (stored as { releasableTo?: unknown } | null)?.releasableTo;
  return typeof value !== 'string' || releasableFor(caller).includes(value as Releasability);
}
