import { createHash } from 'node:crypto';

/**
 * Remembers which natural keys a file has had and where, in 12 bytes per key (a 64-bit hash and a
 * row number in open-addressed typed arrays), so a million-row file costs ~24 MB, not the hundreds
 * a Map of strings would. Two different keys share a 64-bit hash with odds of about 1 in 10^8 for
 * a million keys.
 */
export class KeySet {
  private hashes = new BigUint64Array(1 << 16);
  private positions = new Uint32Array(1 << 16);
  private size = 0;

  /** Adds a key seen at `position` (> 0); returns the earlier position when it was already there. */
  add(key: string, position: number): number | undefined {
    if ((this.size + 1) * 2 > this.hashes.length) this.grow();
    const hash = createHash('sha1').update(key).digest().readBigUInt64BE(0) || 1n;
    const mask = this.hashes.length - 1;
    let slot = Number(hash & BigInt(mask));
    for (;;) {
      const stored = this.hashes[slot];
      if (stored === 0n) {
        this.hashes[slot] = hash;
        this.positions[slot] = position;
        this.size += 1;
        return undefined;
      }
      if (stored === hash) return this.positions[slot];
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { hashes, positions } = this;
    this.hashes = new BigUint64Array(hashes.length * 2);
    this.positions = new Uint32Array(hashes.length * 2);
    const mask = this.hashes.length - 1;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i]!;
      if (hash === 0n) continue;
      let slot = Number(hash & BigInt(mask));
      while (this.hashes[slot] !== 0n) slot = (slot + 1) & mask;
      this.hashes[slot] = hash;
      this.positions[slot] = positions[i]!;
    }
  }
}
