// Per-TSA request rates shared by every node through the database (table tsa_rate): a fixed window per TSA, one
// conditional upsert per request, so all nodes together never send a TSA more than `limit` requests a window.
import type { Sql } from '../db/sql.js';

export type RateLimit = { readonly perWindow: number; readonly windowMs: number };

/** The default: 10 requests a second per TSA, across all nodes. */
export const DEFAULT_RATE: RateLimit = { perWindow: 10, windowMs: 1_000 };

export const windowStart = (now: Date, windowMs: number): Date =>
  new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/** Takes one request of `slug`'s current window; false when the window is full. */
export async function takeRate(sql: Sql, slug: string, now: Date, rate: RateLimit): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO tsa_rate (tsa_slug, window_start, requests) VALUES ($1, $2, 1)
     ON CONFLICT (tsa_slug, window_start) DO UPDATE SET requests = tsa_rate.requests + 1
     WHERE tsa_rate.requests < $3 RETURNING requests`,
    [slug, windowStart(now, rate.windowMs), rate.perWindow],
  );
  return rows.length > 0;
}
