// RFC 3161 §4 restamp (seed /tsa/restamp): a new time-stamp over the exact bytes of a chain's newest .tsr, by
// preference from another TSA than the one that made it, and with auto only from a TSA whose certificate extends the
// chain's protection (extends-protection.ts); recorded with its parent, the .tsr written beside.
import { randomUUID } from 'node:crypto';
import { AllTsasFailedError, CoreError, type TsaFailure } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { insertStamp } from '../ledger/stamps.js';
import { anyRevocationKnown } from '../ledger/restamp-jobs.js';
import { listTsas, noteAcceptedToken, takeCursor } from '../ledger/tsa.js';
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
import {
  NoTsaExtendsError,
  extendingOrder,
  extendsProtection,
  judgeTsa,
  mustOutlast,
  verdictText,
  type TsaExtendVerdict,
} from './extends-protection.js';

export type RestampOptions = {
  /** Per-TSA sliding-window rate limits (bulk runs). */
  readonly limiter?: RateLimiter;
  /** Per-TSA in-flight bounds (bulk runs). */
  readonly slots?: TsaSlots;
  /** What a bulk run reads from the ledger once rather than per chain (runSnapshot). */
  readonly snapshot?: RunSnapshot;
  /** The end of a bulk run's window: with auto, the new link's TSA certificate must outlast it (default: now). */
  readonly windowEnd?: Date;
};

/** The TSAs, a round-robin cursor taken from the ledger once and advanced in memory, and whether any revocation is known. */
export type RunSnapshot = {
  readonly providers: readonly TsaProvider[];
  readonly cursor: () => number;
  readonly revocationKnown: boolean;
  /** notAfter of each TSA's certificate as seen in the tokens accepted since the run began (newer than `providers`). */
  readonly seen: Map<string, string>;
  /** TSAs never seen, with a first request under way: other chains wait for its certificate rather than spend theirs. */
  readonly probes: Map<string, Promise<void>>;
};

export function runSnapshot(db: Ledger): RunSnapshot {
  let cursor = takeCursor(db);
  return {
    providers: listTsas(db),
    cursor: () => cursor++,
    revocationKnown: anyRevocationKnown(db),
    seen: new Map(),
    probes: new Map(),
  };
}

/** `tsrPath` null: a chain pulled from the server, with no file here — the new link lives in the ledger (and is pushed
 *  at the next sync), as the chain's other links do. */
export type RestampOutcome = {
  readonly record: StampRecord;
  readonly parent: StampRecord;
  readonly tsrPath: string | null;
};

export async function restamp(
  ctx: StampContext,
  id: string,
  tsa: string,
  o: RestampOptions = {},
): Promise<RestampOutcome> {
  const newest = chainRecords(ctx.db, id).at(-1)!;
  if (newest.status !== 'stamped' || !newest.tsr)
    throw new CoreError(
      'TOKEN_MALFORMED',
      `record ${newest.id} has no token yet (it is queued): run \`sealdesk queue run\` first`,
    );
  const run = o.snapshot;
  const revokedAt =
    (run?.revocationKnown ?? anyRevocationKnown(ctx.db)) ? await knownTsaRevocation(ctx.db, newest) : null;
  if (revokedAt)
    throw new CoreError(
      'CERT_REVOKED',
      `the TSA certificate of record ${newest.id} was revoked on ${revokedAt.toISOString()}: a new link would not protect it; stamp the document itself again`,
    );
  const plan = planAttempts(
    run?.providers ?? listTsas(ctx.db),
    tsa,
    tsa === 'auto' ? (run?.cursor() ?? takeCursor(ctx.db)) : 0,
  );
  // auto: another TSA than the previous link's first — it broadens the trust base of the chain.
  let order =
    tsa === 'auto'
      ? [...plan.order.filter((p) => p.slug !== newest.tsaSlug), ...plan.order.filter((p) => p.slug === newest.tsaSlug)]
      : plan.order;
  const windowEnd = o.windowEnd ?? ctx.now();
  const seen = (p: TsaProvider) => run?.seen.get(p.slug) ?? p.lastCertNotAfter ?? null;
  const chainEnd = { protectedUntil: newest.tsaCertNotAfter, tsaSlug: newest.tsaSlug };
  let selection: Selection | undefined;
  if (tsa === 'auto') {
    // Only TSAs whose certificate outlasts the window and the chain's protection; none: reported, nothing requested.
    const x = extendingOrder(order, windowEnd, chainEnd, seen);
    if (x.order.length === 0) throw noneExtends(newest.id, x.skipped, windowEnd);
    order = x.order;
    selection = {
      candidate: (p) => ['extends', 'unknown'].includes(judgeTsa(p, windowEnd, chainEnd, seen(p)).reason),
      unseen: (p) => seen(p) === null,
    };
  }
  const imprint = hashBytes(plan.hashAlgorithm, newest.tsr);
  const newId = randomUUID();
  const ask = async (among: readonly TsaProvider[]) => {
    try {
      return await attempt(ctx, { ...plan, order: among }, imprint, newId, { ...o, selection });
    } catch (err) {
      // Every TSA left was ruled out by what the run learnt meanwhile (a probed TSA's certificate), none failed.
      if (selection && err instanceof AllTsasFailedError && err.failures.length === 0) {
        throw noneExtends(newest.id, extendingOrder(order, windowEnd, chainEnd, seen).skipped, windowEnd);
      }
      throw err;
    }
  };
  const unseenBefore = new Set(order.filter((p) => seen(p) === null).map((p) => p.slug));
  const extendsChain = (r: StampResult) => {
    const signer = r.signature.signer;
    return !!signer && extendsProtection(r.provider.slug, signer.notAfter, windowEnd, chainEnd);
  };
  let result = await ask(order);
  if (selection && !extendsChain(result) && unseenBefore.has(result.provider.slug)) {
    // A TSA never seen answered with a certificate too short: a TSA known to extend may still take it (a sure request,
    // not a second gamble on another unknown one).
    const known = order.filter(
      (p) => p.slug !== result.provider.slug && !unseenBefore.has(p.slug) && selection.candidate(p),
    );
    if (known.length > 0) result = await ask(known);
  }
  if (selection && !extendsChain(result)) {
    // Its token would end the chain's protection sooner, or leave it due: not kept as a link. Its certificate is known
    // now, so this TSA is skipped without a request from here on; the chain stays due.
    const notAfter = result.signature.signer?.notAfter;
    const when = notAfter ? `a certificate expiring ${notAfter.toISOString().slice(0, 10)}` : 'no certificate';
    const must = mustOutlast(windowEnd, chainEnd).toISOString().slice(0, 10);
    const detail = `${result.provider.name} answered with ${when}, which does not outlast ${must}: its token was not kept as a link`;
    throw new NoTsaExtendsError(newest.id, [], detail, windowEnd);
  }
  const record = insertStamp(ctx.db, {
    id: newId,
    fileSha512: newest.fileSha512,
    imprintAlgorithm: plan.hashAlgorithm,
    imprint,
    label: newest.label,
    filePath: newest.filePath,
    requestedTsa: tsa,
    tsrPath: null,
    createdAt: ctx.now().toISOString(),
    token: tokenFacts(result),
    parentId: newest.id,
  });
  const besides = newLinkBeside(newest);
  if (!besides && newest.origin === 'remote') return { record, parent: newest, tsrPath: null };
  if (!besides)
    throw new CoreError(
      'NOT_FOUND',
      `record ${newest.id} knows no file to write the new .tsr beside (the token is safe in the ledger as ${newId})`,
    );
  const tsrPath = await writeToken(ctx, newId, besides, null, result.responseDer);
  return { record: { ...record, tsrPath }, parent: newest, tsrPath };
}

/** The file a new link's .tsr goes beside (`<it>.tsr`, or the first free `<it>.<n>.tsr`): the record's document, else
 * its own .tsr's name without the extension; null when it knows neither. */
export function newLinkBeside(record: StampRecord): string | null {
  const besides = record.filePath ?? record.tsrPath;
  return besides ? besides.replace(/\.tsr$/i, '') : null;
}

/** NO_TSA_EXTENDS_PROTECTION saying why each TSA was skipped. */
function noneExtends(id: string, skipped: readonly TsaExtendVerdict[], windowEnd: Date): NoTsaExtendsError {
  return new NoTsaExtendsError(id, skipped, skipped.map((v) => verdictText(v, windowEnd)).join('; '), windowEnd);
}

/** Auto selection for a restamp: which TSAs may still extend the chain (re-asked as the run learns certificates),
 * and which are never seen yet (one request at a time in a run until its certificate is known). */
type Selection = { readonly candidate: (p: TsaProvider) => boolean; readonly unseen: (p: TsaProvider) => boolean };
type AttemptOptions = RestampOptions & { readonly selection?: Selection };

/** The plan's TSAs in order; one at its rate limit or its in-flight bound is skipped while another can take the
 * request. None can: wait for the first free slot. A TSA skipped only for being busy is tried once it frees. The
 * accepted token's TSA certificate is recorded (ledger, and the run's snapshot) before the answer is returned. */
async function attempt(
  ctx: StampContext,
  plan: AttemptPlan,
  imprint: Uint8Array,
  newId: string,
  o: AttemptOptions,
): Promise<StampResult> {
  const { limiter, slots, selection } = o;
  const probes = o.snapshot?.probes;
  const failures: TsaFailure[] = [];
  for (let untried = plan.order; untried.length > 0;) {
    await waitForAny(untried, o);
    // What the run learnt while this chain waited (a probe's certificate) may rule a TSA out.
    if (selection) untried = untried.filter(selection.candidate);
    if (untried.length === 0) break;
    // Another chain may have taken the freed slot before this one resumed: wait again rather than make an attempt that
    // can only fail (checked and taken in one synchronous step: requestTimestamp asks mayAttempt before its first await).
    if (!untried.some((p) => ready(p, o))) continue;
    const tried = new Set<string>();
    const slot = { held: null as string | null };
    const probe = { slug: null as string | null, done: () => {} };
    const free = () => {
      if (slot.held) slots?.release(slot.held);
      slot.held = null;
    };
    const endProbe = () => {
      if (probe.slug) probes?.delete(probe.slug);
      probe.done();
      probe.slug = null;
    };
    try {
      const r = await requestTimestamp({ ...plan, order: untried }, imprint, {
        // The slot covers the HTTP exchange only: once the reply is here the TSA is free, while the reply is checked.
        transport: { post: (url, der, t) => ctx.transport.post(url, der, t).finally(free) },
        timeoutMs: ctx.timeoutMs,
        onFailure: (f, p) => (free(), endProbe(), logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), newId)),
        mayAttempt: (p) => {
          if (!ready(p, o) || (slots && !slots.tryAcquire(p.slug))) return false;
          limiter?.record(p.slug);
          tried.add(p.slug);
          slot.held = slots ? p.slug : null;
          if (probes && selection?.unseen(p)) {
            probe.slug = p.slug;
            probes.set(p.slug, new Promise<void>((resolve) => (probe.done = resolve)));
          }
          return true;
        },
      });
      remember(ctx, o, r);
      return r;
    } catch (err) {
      if (!(err instanceof AllTsasFailedError)) throw err;
      failures.push(...err.failures);
      if (tried.size === 0) continue; // another chain took the free slot first: wait again
      untried = untried.filter((p) => !tried.has(p.slug) && (!limiter || limiter.allows(p.slug)));
    } finally {
      free();
      endProbe();
    }
  }
  throw new AllTsasFailedError(failures);
}

/** The accepted token's TSA certificate: in the run's snapshot, and in the ledger when the run had not seen it yet. */
function remember(ctx: StampContext, o: RestampOptions, r: StampResult): void {
  const notAfter = r.signature.signer?.notAfter.toISOString();
  const run = o.snapshot;
  if (run && notAfter && run.seen.get(r.provider.slug) === notAfter) return; // one ledger write per TSA and certificate
  noteAcceptedToken(ctx.db, r);
  if (run && notAfter) run.seen.set(r.provider.slug, notAfter);
}

/** Whether `p` can take a request now: within its rate limit, a free slot, and not a never-seen TSA another chain is
 * probing (its answer decides whether it extends anything). */
function ready(p: TsaProvider, { limiter, slots, snapshot, selection }: AttemptOptions): boolean {
  return (
    (!limiter || limiter.allows(p.slug)) &&
    (!slots || slots.free(p.slug)) &&
    !(selection?.unseen(p) && snapshot?.probes.has(p.slug))
  );
}

/** Waits, without polling, until some TSA of `order` is ready(). */
async function waitForAny(order: readonly TsaProvider[], o: AttemptOptions): Promise<void> {
  const { limiter, slots } = o;
  while (order.length > 0 && !order.some((p) => ready(p, o))) {
    const limited = limiter ? order.filter((p) => !limiter.allows(p.slug)) : [];
    const wakes: Promise<void>[] = [];
    // Some TSA is within its rate limit but full: its next free slot. Some is at its limit: when its window frees.
    if (slots && limited.length < order.length) wakes.push(slots.nextRelease());
    // Some is being probed by another chain: when its answer is in.
    for (const p of order) if (o.selection?.unseen(p)) wakes.push(...[o.snapshot?.probes.get(p.slug) ?? []].flat());
    let timer: NodeJS.Timeout | undefined;
    if (limited.length > 0)
      wakes.push(
        new Promise((r) => (timer = setTimeout(r, Math.min(...limited.map((p) => limiter!.waitFor(p.slug))) + 5))),
      );
    await Promise.race(wakes);
    clearTimeout(timer);
  }
}
