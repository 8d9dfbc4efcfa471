import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request } from 'express';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';

/** The encodings a stored answer is sent in, the client's choice first, brotli preferred on a tie. */
export type ContentEncoding = 'br' | 'gzip';

/** The smallest body worth compressing (what `compression` is given in app.ts). */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The encoding to send a body of `size` bytes in, as the request's Accept-Encoding prefers
 * (brotli over gzip on equal weight, as `compression` chooses); null for identity: nothing
 * accepted, or a body under COMPRESSION_THRESHOLD_BYTES.
 */
export function negotiateEncoding(req: Pick<Request, 'headers'>, size: number): ContentEncoding | null {
  if (size < COMPRESSION_THRESHOLD_BYTES || !req.headers['accept-encoding']) return null;
  const negotiator = new Negotiator(req) as Negotiator & {
    encoding(available: readonly string[], options: { preferred: readonly string[] }): string | undefined;
  };
  const chosen = negotiator.encoding(['br', 'gzip', 'identity'], { preferred: ['br', 'gzip'] });
  return chosen === 'br' || chosen === 'gzip' ? chosen : null;
}

/**
 * Stored answers' bodies compressed once per process, not on every hit: compressing the 175 KiB
 * reference dashboard on each cached read made it five times slower. Keyed by encoding and ETag (an
 * ETag names the bytes: Apollo Server's, of the body), bounded by the bytes kept, least recently
 * used dropped first; one compression at a time per body however many hits ask for it at once.
 * The same compression `compression` applies to the answers it compresses (brotli at quality 4,
 * gzip at zlib's default level), so a client cannot tell a hit from a miss by its bytes' encoding.
 */
export class EncodedBodies {
  private readonly done: LRUCache<string, Buffer>;
  private readonly pending = new Map<string, Promise<Buffer>>();

  constructor(maxBytes = 32 * 2 ** 20) {
    this.done = new LRUCache<string, Buffer>({
      maxSize: maxBytes,
      sizeCalculation: (body) => Math.max(1, body.length),
    });
  }

  get(encoding: ContentEncoding, etag: string, body: Buffer): Promise<Buffer> {
    const key = `${encoding} ${etag}`;
    const stored = this.done.get(key);
    if (stored) return Promise.resolve(stored);
    let compressing = this.pending.get(key);
    if (!compressing) {
      compressing =
        encoding === 'br'
          ? brotli(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: 4,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            })
          : gzipAsync(body);
      this.pending.set(key, compressing);
      compressing.then(
        (encoded) => {
          this.pending.delete(key);
          this.done.set(key, encoded);
        },
        () => this.pending.delete(key),
      );
    }
    return compressing;
  }

  /** Bytes held (for tests and metrics). */
  get size(): number {
    return this.done.calculatedSize;
  }
}
