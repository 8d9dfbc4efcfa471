import type { SqlDriverAdapter, SqlDriverAdapterFactory, Transaction } from '@prisma/driver-adapter-utils';

export interface StatementCounter {
  /** SQL statements sent since the last reset (BEGIN/COMMIT of transactions not included). */
  readonly count: number;
  /** The statements themselves, for a failing assertion's message. */
  readonly statements: readonly string[];
  /** The statements with their arguments, as sent (to EXPLAIN them: test/src/bench/lists.ts). */
  readonly queries: readonly { sql: string; args: readonly unknown[] }[];
  reset(): void;
}

/**
 * Wraps a driver adapter so every SQL statement Prisma sends through it is counted: the
 * measure of whether reads are batched (one statement per kind of row, whatever the number).
 */
export function countingAdapter(factory: SqlDriverAdapterFactory): {
  adapter: SqlDriverAdapterFactory;
  counter: StatementCounter;
} {
  const statements: string[] = [];
  const queries: { sql: string; args: readonly unknown[] }[] = [];
  const counter: StatementCounter = {
    get count() {
      return statements.length;
    },
    statements,
    queries,
    reset: () => {
      statements.length = 0;
      queries.length = 0;
    },
  };
  const record = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(object, property, receiver) {
        const value: unknown = Reflect.get(object, property, receiver);
        if (typeof value !== 'function') return value;
        if (property === 'queryRaw' || property === 'executeRaw') {
          return (query: { sql: string; args?: readonly unknown[] }) => {
            statements.push(query.sql);
            queries.push({ sql: query.sql, args: query.args ?? [] });
            return (value as (q: unknown) => unknown).call(object, query);
          };
        }
        if (property === 'startTransaction') {
          return async (...args: unknown[]) =>
            record(await (value as (...a: unknown[]) => Promise<Transaction>).apply(object, args));
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  const adapter: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => record<SqlDriverAdapter>(await factory.connect()),
  };
  return { adapter, counter };
}
