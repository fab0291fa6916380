// Login rate limit: failed logins are counted per account (email) and per client IP in one-minute buckets of the
// login_attempts table, over a sliding 15-minute window. At 10 failures for an email or 50 for an IP, further logins
// are refused with 429 and a Retry-After (the seconds until enough failures leave the window) before the password
// is even checked. Shared through the database, so every node of a deployment counts the same failures.
import type { Database } from '../db/sql.js';

export const LOGIN_LIMITS = { windowS: 15 * 60, perEmail: 10, perIp: 50 } as const;
const BUCKET_MS = 60_000;

type Bucket = { window_start: Date; failures: number };

const scopes = (email: string, ip: string) => [
  { scope: `email:${email}`, limit: LOGIN_LIMITS.perEmail },
  { scope: `ip:${ip}`, limit: LOGIN_LIMITS.perIp },
];

const windowStart = (now: Date) => new Date(now.getTime() - LOGIN_LIMITS.windowS * 1000);

/** Seconds until this scope may try again, or null when it is under its limit. */
async function retryAfter(db: Database, scope: string, limit: number, now: Date): Promise<number | null> {
  const buckets = await db.query<Bucket>(
    'SELECT window_start, failures FROM login_attempts WHERE scope = $1 AND window_start > $2 ORDER BY window_start',
    [scope, windowStart(now)],
  );
  let total = buckets.reduce((n, b) => n + b.failures, 0);
  if (total < limit) return null;
  for (const b of buckets) {
    total -= b.failures;
    if (total < limit) {
      const leaves = new Date(b.window_start).getTime() + LOGIN_LIMITS.windowS * 1000;
      return Math.max(1, Math.ceil((leaves - now.getTime()) / 1000));
    }
  }
  return 1;
}

/** The longest wait among the account's and the IP's limits, or null when a login may be tried. */
export async function loginRetryAfter(db: Database, email: string, ip: string, now: Date): Promise<number | null> {
  let wait: number | null = null;
  for (const s of scopes(email, ip)) {
    const w = await retryAfter(db, s.scope, s.limit, now);
    if (w !== null) wait = Math.max(wait ?? 0, w);
  }
  return wait;
}

/** Counts one failed login against the account and the IP (and drops buckets that left the window). */
export async function recordLoginFailure(db: Database, email: string, ip: string, now: Date): Promise<void> {
  const bucket = new Date(Math.floor(now.getTime() / BUCKET_MS) * BUCKET_MS);
  for (const { scope } of scopes(email, ip)) {
    await db.query('DELETE FROM login_attempts WHERE scope = $1 AND window_start <= $2', [scope, windowStart(now)]);
    await db.query(
      `INSERT INTO login_attempts (scope, window_start, failures) VALUES ($1, $2, 1)
       ON CONFLICT (scope, window_start) DO UPDATE SET failures = login_attempts.failures + 1`,
      [scope, bucket],
    );
  }
}

/** A successful login forgets the account's failures (the IP's stay counted). */
export async function clearLoginFailures(db: Database, email: string): Promise<void> {
  await db.query('DELETE FROM login_attempts WHERE scope = $1', [`email:${email}`]);
}
