import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';

/**
 * A deterministic random source: the same seed gives the same sequence on every machine and
 * Node version (pure-rand's xoroshiro128+; never Math.random).
 */
export class Random {
  private readonly generator: RandomGenerator;

  constructor(seed: number) {
    this.generator = xoroshiro128plus(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  /** A float in [0, 1) with 2^30 steps. */
  float(): number {
    return this.int(0, 2 ** 30 - 1) / 2 ** 30;
  }

  /** An item chosen with the given relative weights. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let point = this.float() * total;
    for (const [item, weight] of choices) {
      point -= weight;
      if (point < 0) return item;
    }
    return choices[choices.length - 1]![0];
  }

  /** Log-normally distributed: median `median`, spread `sigma` (skewed like seizure sizes). */
  logNormal(median: number, sigma: number): number {
    // Box–Muller from two uniform draws.
    const u = Math.max(this.float(), 1e-12);
    const v = this.float();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(sigma * normal);
  }

  /** A date between two dates (inclusive), as a UTC midnight. */
  date(from: Date, to: Date): Date {
    const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
    return new Date(from.getTime() + this.int(0, days) * 86_400_000);
  }
}
