// RFC 3161 §4 restamp (seed /tsa/restamp): a new time-stamp over the exact bytes of a chain's newest .tsr, by
// preference from another TSA than the one that made it; recorded with its parent, the .tsr written beside.
import { randomUUID } from 'node:crypto';
import { CoreError } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { insertStamp } from '../ledger/stamps.js';
import { listTsas, takeCursor } from '../ledger/tsa.js';
import type { StampRecord } from '../model/stamp.js';
import { planAttempts, requestTimestamp } from '../tsp/dispatcher.js';
import type { StampContext } from '../stamp/context.js';
import { writeToken } from '../stamp/stamp-file.js';
import { tokenFacts } from '../stamp/token-facts.js';
import { chainOf } from './chain.js';
import type { RateLimiter } from './rate.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type RestampOutcome = { readonly record: StampRecord; readonly parent: StampRecord; readonly tsrPath: string };

export async function restamp(ctx: StampContext, id: string, tsa: string, o: { limiter?: RateLimiter } = {}): Promise<RestampOutcome> {
  const newest = chainOf(ctx.db, id).links.at(-1)!.record;
  if (newest.status !== 'stamped' || !newest.tsr) throw new CoreError('TOKEN_MALFORMED', `record ${newest.id} has no token yet (it is queued): run \`sealdesk queue run\` first`);
  const plan = planAttempts(listTsas(ctx.db), tsa, tsa === 'auto' ? takeCursor(ctx.db) : 0);
  // auto: another TSA than the previous link's first — it broadens the trust base of the chain.
  const order = tsa === 'auto' ? [...plan.order.filter((p) => p.slug !== newest.tsaSlug), ...plan.order.filter((p) => p.slug === newest.tsaSlug)] : plan.order;
  const imprint = hashBytes(plan.hashAlgorithm, newest.tsr);
  const newId = randomUUID();
  const limiter = o.limiter;
  // Every TSA of the plan at its rate limit: wait for the first free slot rather than fail.
  while (limiter && order.length > 0 && !order.some((p) => limiter.allows(p.slug))) await sleep(Math.min(...order.map((p) => limiter.waitFor(p.slug))) + 5);
  const result = await requestTimestamp({ ...plan, order }, imprint, {
    transport: ctx.transport,
    timeoutMs: ctx.timeoutMs,
    onFailure: (f, p) => logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), newId),
    mayAttempt: limiter ? (p) => limiter.allows(p.slug) && (limiter.record(p.slug), true) : undefined,
  });
  const record = insertStamp(ctx.db, {
    id: newId, fileSha512: newest.fileSha512, imprintAlgorithm: plan.hashAlgorithm, imprint, label: newest.label, filePath: newest.filePath,
    requestedTsa: tsa, tsrPath: null, createdAt: ctx.now().toISOString(), token: tokenFacts(result), parentId: newest.id,
  });
  const besides = newest.filePath ?? newest.tsrPath;
  if (!besides) throw new CoreError('NOT_FOUND', `record ${newest.id} knows no file to write the new .tsr beside (the token is safe in the ledger as ${newId})`);
  const tsrPath = await writeToken(ctx, newId, besides.replace(/\.tsr$/i, ''), null, result.responseDer);
  return { record: { ...record, tsrPath }, parent: newest, tsrPath };
}
