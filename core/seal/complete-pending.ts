// `queue run` for seals made offline: adds the signature time-stamp to the same .p7s (B-B → B-T), atomically,
// and only while the file is byte-identical to what the ledger recorded.
import { createHash } from 'node:crypto';
import { addSignatureTimeStamp } from '../cms/cades-build.js';
import { parseSignedData } from '../cms/parse.js';
import { CoreError, errorMessage, type TsaFailure } from '../errors.js';
import { replaceOwnFile } from '../fs/atomic.js';
import { completeOperation, pendingOperations, type OperationRecord } from '../ledger/operations.js';
import type { StampContext } from '../stamp/context.js';
import { timestampOver } from './timestamp.js';
import { completePadesOperation } from '../pades/complete-pending.js';

export type PendingSealOutcome =
  | { readonly kind: 'timestamped'; readonly operation: OperationRecord; readonly tsaName: string; readonly level?: string; readonly done?: boolean }
  | { readonly kind: 'still-queued'; readonly operation: OperationRecord; readonly failures: readonly TsaFailure[] }
  | { readonly kind: 'failed'; readonly operation: OperationRecord; readonly error: CoreError };

export async function completePendingSeals(ctx: StampContext): Promise<PendingSealOutcome[]> {
  const out: PendingSealOutcome[] = [];
  for (const op of pendingOperations(ctx.db)) out.push(await completeOne(ctx, op));
  return out;
}

async function completeOne(ctx: StampContext, op: OperationRecord): Promise<PendingSealOutcome> {
  try {
    if (op.signatureType === 'pades') {
      const p = await completePadesOperation(ctx, op);
      if (!p.advanced) return { kind: 'still-queued', operation: op, failures: p.failures };
      return { kind: 'timestamped', operation: op, tsaName: p.tsaName ?? op.tsaName ?? '', level: p.reached, done: p.done };
    }
    if (!op.signature || !op.outputPath || !op.outputSha256) throw new CoreError('NOT_FOUND', `operation ${op.id} has no recorded signature file`);
    const si = parseSignedData(op.signature).signedData.signerInfos[0]!;
    const ts = await timestampOver(ctx, new Uint8Array(si.signature.valueBlock.valueHexView), op.requestedTsa, op.id);
    if (!ts.token || !ts.provider) return { kind: 'still-queued', operation: op, failures: ts.failures };
    const der = addSignatureTimeStamp(op.signature, ts.token);
    await replaceOwnFile(op.outputPath, der, op.outputSha256);
    completeOperation(ctx.db, op.id, der, createHash('sha256').update(der).digest('hex'), ts.provider.name);
    return { kind: 'timestamped', operation: op, tsaName: ts.provider.name };
  } catch (err) {
    return { kind: 'failed', operation: op, error: err instanceof CoreError ? err : new CoreError('TSA_FAILED', errorMessage(err)) };
  }
}
