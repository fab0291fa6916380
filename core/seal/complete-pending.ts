// `queue run` for seals made offline: adds the signature time-stamp to the same .p7s (B-B → B-T), atomically,
// and only while the file is byte-identical to what the ledger recorded.
import { createHash } from 'node:crypto';
import { addSignatureTimeStamp } from '../cms/cades-build.js';
import { parseSignedData } from '../cms/parse.js';
import { CoreError, errorMessage, type TsaFailure } from '../errors.js';
import { replaceOwnFile } from '../fs/atomic.js';
import { readFile } from 'node:fs/promises';
import { completeOperation, pendingOperations, type OperationRecord } from '../ledger/operations.js';
import { clearIntent, getIntent, recordIntent } from '../ledger/seal-archive.js';
import type { StampContext } from '../stamp/context.js';
import { timestampOver } from '../stamp/seal-timestamp.js';
import { completePadesOperation } from '../pades/complete-pending.js';

export type PendingSealOutcome =
  | {
      readonly kind: 'timestamped';
      readonly operation: OperationRecord;
      readonly tsaName: string;
      readonly level?: string;
      readonly done?: boolean;
    }
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
      return {
        kind: 'timestamped',
        operation: op,
        tsaName: p.tsaName ?? op.tsaName ?? '',
        level: p.reached,
        done: p.done,
      };
    }
    if (!op.signature || !op.outputPath || !op.outputSha256)
      throw new CoreError('NOT_FOUND', `operation ${op.id} has no recorded signature file`);
    const adopted = await adoptInterruptedP7s(ctx, op);
    if (adopted) return adopted;
    const si = parseSignedData(op.signature).signedData.signerInfos[0]!;
    const ts = await timestampOver(ctx, new Uint8Array(si.signature.valueBlock.valueHexView), op.requestedTsa, op.id);
    if (!ts.token || !ts.provider) return { kind: 'still-queued', operation: op, failures: ts.failures };
    const der = addSignatureTimeStamp(op.signature, ts.token);
    const sha256 = createHash('sha256').update(der).digest('hex');
    // Write-ahead intent: a kill after the replacement leaves a .p7s the next run adopts (see adoptInterruptedP7s).
    recordIntent(ctx.db, {
      operationId: op.id,
      sha256,
      size: der.length,
      level: 'B-T',
      tsaName: ts.provider.name,
      at: ctx.now().toISOString(),
    });
    await replaceOwnFile(op.outputPath, der, op.outputSha256);
    settleP7s(ctx, op, der, sha256, ts.provider.name);
    return { kind: 'timestamped', operation: op, tsaName: ts.provider.name };
  } catch (err) {
    return {
      kind: 'failed',
      operation: op,
      error: err instanceof CoreError ? err : new CoreError('TSA_FAILED', errorMessage(err)),
    };
  }
}

/** A queued .p7s time-stamp whose file was replaced before the process died: the file holds it; record it. */
async function adoptInterruptedP7s(ctx: StampContext, op: OperationRecord): Promise<PendingSealOutcome | null> {
  const intent = getIntent(ctx.db, op.id);
  if (!intent || !op.outputPath) return null;
  const der = await readFile(op.outputPath)
    .then((b) => new Uint8Array(b))
    .catch(() => null);
  const sha256 = der ? createHash('sha256').update(der).digest('hex') : null;
  if (!der || sha256 !== intent.sha256) {
    if (sha256 === op.outputSha256) clearIntent(ctx.db, op.id); // the replacement never happened
    return null;
  }
  settleP7s(ctx, op, der, sha256, intent.tsaName ?? '');
  return { kind: 'timestamped', operation: op, tsaName: intent.tsaName ?? '' };
}

function settleP7s(ctx: StampContext, op: OperationRecord, der: Uint8Array, sha256: string, tsaName: string): void {
  ctx.db.transaction(() => {
    completeOperation(ctx.db, op.id, der, sha256, tsaName);
    clearIntent(ctx.db, op.id);
  })();
}
