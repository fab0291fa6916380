// Per-TSA in-flight bounds for bulk runs (`--per-tsa N`): at most N requests at once to any one TSA, so several TSAs
// are kept busy and none is flooded; a TSA at its bound is skipped like one at its rate limit (RFC 3161 §4 restamping).
import { UsageError } from '../errors.js';

export class TsaSlots {
  private readonly inFlight = new Map<string, number>();
  private waiters: (() => void)[] = [];

  constructor(readonly perTsa: number) {
    if (!Number.isInteger(perTsa) || perTsa < 1)
      throw new UsageError(`--per-tsa is a whole number of at least 1, not ${perTsa}`);
  }

  /** Whether `slug` has a free slot now. */
  free(slug: string): boolean {
    return this.busy(slug) < this.perTsa;
  }

  /** Requests to `slug` under way now. */
  busy(slug: string): number {
    return this.inFlight.get(slug) ?? 0;
  }

  /** Takes a slot of `slug` if one is free (synchronous, so a check and its take cannot be split by another caller). */
  tryAcquire(slug: string): boolean {
    if (!this.free(slug)) return false;
    this.inFlight.set(slug, this.busy(slug) + 1);
    return true;
  }

  /** Gives a slot back and wakes everyone waiting for one (each checks again what it wants). */
  release(slug: string): void {
    const n = this.busy(slug);
    if (n <= 1) this.inFlight.delete(slug);
    else this.inFlight.set(slug, n - 1);
    const woken = this.waiters;
    this.waiters = [];
    for (const w of woken) w();
  }

  /** Resolves at the next release of any slot: a wait without polling. */
  nextRelease(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
