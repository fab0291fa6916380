// Per-TSA rate limits for bulk runs (`--rate <slug>=<N>/<M>m`): some public TSAs block a client for a day after,
// say, 20 requests in 20 minutes. A sliding window per TSA; a TSA at its limit is skipped until a slot frees.
import { UsageError } from '../errors.js';

export type RateLimits = ReadonlyMap<string, { readonly count: number; readonly windowMs: number }>;

export function parseRate(spec: string): [string, { count: number; windowMs: number }] {
  const m = /^([a-z0-9._-]+)=(\d{1,6})\/(\d{1,5})m$/.exec(spec.trim());
  if (!m) throw new UsageError(`--rate wants <slug>=<N>/<minutes>m, e.g. digicert=20/20m, not "${spec}"`);
  return [m[1]!, { count: Number(m[2]), windowMs: Number(m[3]) * 60_000 }];
}

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  constructor(
    private readonly limits: RateLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a request to `slug` now stays within its limit. */
  allows(slug: string): boolean {
    const limit = this.limits.get(slug);
    return !limit || this.recent(slug, limit.windowMs).length < limit.count;
  }

  /** Counts a request to `slug` (made or attempted: a TSA counts attempts too). */
  record(slug: string): void {
    const list = this.sent.get(slug) ?? [];
    list.push(this.clock());
    this.sent.set(slug, list);
  }

  /** Milliseconds until `slug` allows a request again (0 when it does now). */
  waitFor(slug: string): number {
    const limit = this.limits.get(slug);
    if (!limit) return 0;
    const recent = this.recent(slug, limit.windowMs);
    return recent.length < limit.count ? 0 : recent[recent.length - limit.count]! + limit.windowMs - this.clock();
  }

  private recent(slug: string, windowMs: number): number[] {
    const now = this.clock();
    const list = (this.sent.get(slug) ?? []).filter((t) => t > now - windowMs);
    this.sent.set(slug, list);
    return list;
  }
}
