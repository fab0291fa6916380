// Time-stamps for seals through the TSA dispatcher: over a signature value (ETSI EN 319 122-1 §5.3 signature
// time-stamp) or over any data whose digest the caller computes per algorithm (a PDF document time-stamp).
import type { RequestHash } from '../asn1/oids.js';
import { AllTsasFailedError, type TsaFailure } from '../errors.js';
import { hashBytes } from '../hash/hash-file.js';
import { logFailure } from '../ledger/failures.js';
import { listTsas, noteAcceptedToken, takeCursor } from '../ledger/tsa.js';
import { planAttempts, requestTimestamp } from '../tsp/dispatcher.js';
import type { TsaProvider } from '../tsp/registry.js';
import type { StampContext } from './context.js';

export type TimestampOutcome = {
  readonly token: Uint8Array | null;
  readonly provider: TsaProvider | null;
  readonly failures: readonly TsaFailure[];
};

/** The token (a TimeStampToken, not the TimeStampResp) or, when every TSA failed, null and the failures. */
export function timestampOver(
  ctx: StampContext,
  signatureValue: Uint8Array,
  tsa: string,
  operationId: string,
): Promise<TimestampOutcome> {
  return timestampDigest(ctx, (alg) => hashBytes(alg, signatureValue), tsa, operationId);
}

export async function timestampDigest(
  ctx: StampContext,
  digest: (alg: RequestHash) => Uint8Array | Promise<Uint8Array>,
  tsa: string,
  operationId: string,
): Promise<TimestampOutcome> {
  const plan = planAttempts(listTsas(ctx.db), tsa, tsa === 'auto' ? takeCursor(ctx.db) : 0);
  try {
    const result = await requestTimestamp(plan, await digest(plan.hashAlgorithm), {
      transport: ctx.transport,
      timeoutMs: ctx.timeoutMs,
      onFailure: (f, p) => logFailure(ctx.db, f, p.slug, ctx.now().toISOString(), operationId),
    });
    noteAcceptedToken(ctx.db, result); // the TSA's certificate, for restamp selection
    return { token: result.decoded.token!.der, provider: result.provider, failures: result.failures };
  } catch (err) {
    if (err instanceof AllTsasFailedError) return { token: null, provider: null, failures: err.failures };
    throw err;
  }
}
