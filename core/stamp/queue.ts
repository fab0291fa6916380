// `queue run`: completes stamps recorded while offline, writing each .tsr where `stamp` would have.
import { AllTsasFailedError, CoreError, errorMessage, type TsaFailure } from '../errors.js';
import { fromHex } from '../asn1/bytes.js';
import { logFailure } from '../ledger/failures.js';
import { completeStamp, getStamp, pendingStamps } from '../ledger/stamps.js';
import { listTsas, noteAcceptedToken, takeCursor } from '../ledger/tsa.js';
import type { StampRecord } from '../model/stamp.js';
import { planAttempts, requestTimestamp } from '../tsp/dispatcher.js';
import { isRequestHash } from '../asn1/oids.js';
import type { StampContext } from './context.js';
import { writeToken } from './stamp-file.js';
import { tokenFacts } from './token-facts.js';

export type QueueItemOutcome =
  | {
      readonly kind: 'stamped';
      readonly record: StampRecord;
      readonly tsrPath: string | null;
      readonly warning: string | null;
    }
  | { readonly kind: 'still-queued'; readonly record: StampRecord; readonly failures: readonly TsaFailure[] }
  | { readonly kind: 'failed'; readonly record: StampRecord; readonly error: CoreError };

export async function runQueue(ctx: StampContext): Promise<QueueItemOutcome[]> {
  const outcomes: QueueItemOutcome[] = [];
  for (const record of pendingStamps(ctx.db)) outcomes.push(await completePending(ctx, record));
  return outcomes;
}

async function completePending(ctx: StampContext, record: StampRecord): Promise<QueueItemOutcome> {
  try {
    const alg = record.imprintAlgorithm;
    if (!isRequestHash(alg))
      throw new CoreError('USAGE', `pending record ${record.id} uses ${alg}, which Sealdesk no longer requests`);
    const cursor = record.requestedTsa === 'auto' ? takeCursor(ctx.db) : 0;
    const plan = planAttempts(listTsas(ctx.db), record.requestedTsa, cursor, alg);
    const result = await requestTimestamp(plan, fromHex(record.imprintHex), {
      transport: ctx.transport,
      timeoutMs: ctx.timeoutMs,
      onFailure: (f, p) => logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), record.id),
    });
    noteAcceptedToken(ctx.db, result); // the TSA's certificate, for restamp selection
    if (!completeStamp(ctx.db, record.id, tokenFacts(result), null)) {
      return {
        kind: 'failed',
        record,
        error: new CoreError('NOT_FOUND', `record ${record.id} was completed by another run meanwhile`),
      };
    }
    let tsrPath: string | null = null;
    let warning: string | null = null;
    if (record.filePath || record.tsrPath) {
      try {
        tsrPath = await writeToken(ctx, record.id, record.filePath ?? '', record.tsrPath, result.responseDer);
      } catch (err) {
        warning = errorMessage(err);
      }
    }
    return { kind: 'stamped', record: getStamp(ctx.db, record.id)!, tsrPath, warning };
  } catch (err) {
    if (err instanceof AllTsasFailedError && err.offline)
      return { kind: 'still-queued', record, failures: err.failures };
    return {
      kind: 'failed',
      record,
      error: err instanceof CoreError ? err : new CoreError('TSA_FAILED', errorMessage(err)),
    };
  }
}
