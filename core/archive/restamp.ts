// RFC 3161 §4 restamp (seed /tsa/restamp): a new time-stamp over the exact bytes of a chain's newest .tsr, by
// preference from another TSA than the one that made it; recorded with its parent, the .tsr written beside.
import { randomUUID } from 'node:crypto';
import { AllTsasFailedError, CoreError, type TsaFailure } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { insertStamp } from '../ledger/stamps.js';
import { anyRevocationKnown } from '../ledger/restamp-jobs.js';
import { listTsas, takeCursor } from '../ledger/tsa.js';
import type { Ledger } from '../ledger/open.js';
import type { StampRecord } from '../model/stamp.js';
import { planAttempts, requestTimestamp, type AttemptPlan, type StampResult } from '../tsp/dispatcher.js';
import type { TsaProvider } from '../tsp/registry.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { tokenFacts } from '../stamp/token-facts.js';
import { chainRecords } from './chain.js';
import { knownTsaRevocation } from './chain-revocation.js';
import type { RateLimiter } from './rate.js';
import type { TsaSlots } from './tsa-slots.js';

export type RestampOptions = {
  /** Per-TSA sliding-window rate limits (bulk runs). */
  readonly limiter?: RateLimiter;
  /** Per-TSA in-flight bounds (bulk runs). */
  readonly slots?: TsaSlots;
  /** What a bulk run reads from the ledger once rather than per chain (runSnapshot). */
  readonly snapshot?: RunSnapshot;
};

/** The TSAs, a round-robin cursor taken from the ledger once and advanced in memory, and whether any revocation is known. */
export type RunSnapshot = { readonly providers: readonly TsaProvider[]; readonly cursor: () => number; readonly revocationKnown: boolean };

export function runSnapshot(db: Ledger): RunSnapshot {
  let cursor = takeCursor(db);
  return { providers: listTsas(db), cursor: () => cursor++, revocationKnown: anyRevocationKnown(db) };
}

export type RestampOutcome = { readonly record: StampRecord; readonly parent: StampRecord; readonly tsrPath: string };

export async function restamp(ctx: StampContext, id: string, tsa: string, o: RestampOptions = {}): Promise<RestampOutcome> {
  const newest = chainRecords(ctx.db, id).at(-1)!;
  if (newest.status !== 'stamped' || !newest.tsr) throw new CoreError('TOKEN_MALFORMED', `record ${newest.id} has no token yet (it is queued): run \`sealdesk queue run\` first`);
  const run = o.snapshot;
  const revokedAt = (run?.revocationKnown ?? anyRevocationKnown(ctx.db)) ? await knownTsaRevocation(ctx.db, newest) : null;
  if (revokedAt) throw new CoreError('CERT_REVOKED', `the TSA certificate of record ${newest.id} was revoked on ${revokedAt.toISOString()}: a new link would not protect it; stamp the document itself again`);
  const plan = planAttempts(run?.providers ?? listTsas(ctx.db), tsa, tsa === 'auto' ? (run?.cursor() ?? takeCursor(ctx.db)) : 0);
  // auto: another TSA than the previous link's first — it broadens the trust base of the chain.
  const order = tsa === 'auto' ? [...plan.order.filter((p) => p.slug !== newest.tsaSlug), ...plan.order.filter((p) => p.slug === newest.tsaSlug)] : plan.order;
  const imprint = hashBytes(plan.hashAlgorithm, newest.tsr);
  const newId = randomUUID();
  const result = await attempt(ctx, { ...plan, order }, imprint, newId, o);
  const record = insertStamp(ctx.db, {
    id: newId, fileSha512: newest.fileSha512, imprintAlgorithm: plan.hashAlgorithm, imprint, label: newest.label, filePath: newest.filePath,
    requestedTsa: tsa, tsrPath: null, createdAt: ctx.now().toISOString(), token: tokenFacts(result), parentId: newest.id,
  });
  const besides = newLinkBeside(newest);
  if (!besides) throw new CoreError('NOT_FOUND', `record ${newest.id} knows no file to write the new .tsr beside (the token is safe in the ledger as ${newId})`);
  const tsrPath = await writeToken(ctx, newId, besides, null, result.responseDer);
  return { record: { ...record, tsrPath }, parent: newest, tsrPath };
}

/** The file a new link's .tsr goes beside (`<it>.tsr`, or the first free `<it>.<n>.tsr`): the record's document, else
 * its own .tsr's name without the extension; null when it knows neither. */
export function newLinkBeside(record: StampRecord): string | null {
  const besides = record.filePath ?? record.tsrPath;
  return besides ? besides.replace(/\.tsr$/i, '') : null;
}

/** The plan's TSAs in order; one at its rate limit or its in-flight bound is skipped while another can take the
 * request. None can: wait for the first free slot. A TSA skipped only for being busy is tried once it frees. */
async function attempt(ctx: StampContext, plan: AttemptPlan, imprint: Uint8Array, newId: string, o: RestampOptions): Promise<StampResult> {
  const { limiter, slots } = o;
  const failures: TsaFailure[] = [];
  for (let untried = plan.order; untried.length > 0; ) {
    await waitForAny(untried, o);
    // Another chain may have taken the freed slot before this one resumed: wait again rather than make an attempt that
    // can only fail (checked and taken in one synchronous step: requestTimestamp asks mayAttempt before its first await).
    if (!untried.some((p) => ready(p, o))) continue;
    const tried = new Set<string>();
    const slot = { held: null as string | null };
    const free = () => {
      if (slot.held) slots?.release(slot.held);
      slot.held = null;
    };
    try {
      return await requestTimestamp({ ...plan, order: untried }, imprint, {
        // The slot covers the HTTP exchange only: once the reply is here the TSA is free, while the reply is checked.
        transport: { post: (url, der, t) => ctx.transport.post(url, der, t).finally(free) },
        timeoutMs: ctx.timeoutMs,
        onFailure: (f, p) => (free(), logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), newId)),
        mayAttempt: (p) => {
          if ((limiter && !limiter.allows(p.slug)) || (slots && !slots.tryAcquire(p.slug))) return false;
          limiter?.record(p.slug);
          tried.add(p.slug);
          slot.held = slots ? p.slug : null;
          return true;
        },
      });
    } catch (err) {
      if (!(err instanceof AllTsasFailedError)) throw err;
      failures.push(...err.failures);
      if (tried.size === 0) continue; // another chain took the free slot first: wait again
      untried = untried.filter((p) => !tried.has(p.slug) && (!limiter || limiter.allows(p.slug)));
    } finally {
      free();
    }
  }
  throw new AllTsasFailedError(failures);
}

/** Waits, without polling, until some TSA of `order` is within its rate limit and has a free slot. */
function ready(p: TsaProvider, { limiter, slots }: RestampOptions): boolean {
  return (!limiter || limiter.allows(p.slug)) && (!slots || slots.free(p.slug));
}

async function waitForAny(order: readonly TsaProvider[], o: RestampOptions): Promise<void> {
  const { limiter, slots } = o;
  while (order.length > 0 && !order.some((p) => ready(p, o))) {
    const limited = limiter ? order.filter((p) => !limiter.allows(p.slug)) : [];
    const wakes: Promise<void>[] = [];
    // Some TSA is within its rate limit but full: its next free slot. Some is at its limit: when its window frees.
    if (slots && limited.length < order.length) wakes.push(slots.nextRelease());
    let timer: NodeJS.Timeout | undefined;
    if (limited.length > 0) wakes.push(new Promise((r) => (timer = setTimeout(r, Math.min(...limited.map((p) => limiter!.waitFor(p.slug))) + 5))));
    await Promise.race(wakes);
    clearTimeout(timer);
  }
}
