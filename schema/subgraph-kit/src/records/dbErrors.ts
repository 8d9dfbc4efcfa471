/**
 * Whether an error from Prisma (either driver adapter) is a unique-constraint violation:
 * `P2002` through @prisma/adapter-pg, a DriverAdapterError carrying PostgreSQL's `23505` through
 * the PGlite adapter.
 */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };
    if (e.code === 'P2002' || e.code === '23505') return true;
    const cause = e.cause as { kind?: unknown; originalCode?: unknown } | undefined;
    if (cause?.kind === 'UniqueConstraintViolation' || cause?.originalCode === '23505') return true;
    current = e.meta?.driverAdapterError ?? e.cause;
  }
  return false;
}
