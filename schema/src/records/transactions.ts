/** What a Prisma client offers for interactive transactions (Tx: its transaction client). */
export interface TransactionalClient<Tx> {
  $transaction<R>(work: (tx: Tx) => Promise<R>, options?: { maxWait?: number; timeout?: number }): Promise<R>;
}

/** Runs work in one interactive transaction; generous limits, since an import batch writes up to 1,000 rows. */
export function transactions<Tx>(client: TransactionalClient<Tx>) {
  return <R>(work: (tx: Tx) => Promise<R>): Promise<R> =>
    client.$transaction(work, { maxWait: 10_000, timeout: 60_000 });
}
