// autocannon 8 ships no types: the part of its API the load generator (loadgen.ts) uses, as its
// README and lib/run.js define it.
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Called with every response of this request; the body is collected only when this (or verifyBody) is given. */
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds to wait for a response before counting a timeout. */
      timeout?: number;
      requests?: Request[];
    }

    interface Instance extends PromiseLike<unknown> {
      /** Every response: its status, its size in bytes (headers included) and its latency in ms. */
      on(
        event: 'response',
        listener: (client: unknown, status: number, bytes: number, latencyMs: number) => void,
      ): this;
      /** A connection error, or a timeout (`request timed out`). */
      on(event: 'reqError', listener: (error: Error) => void): this;
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
