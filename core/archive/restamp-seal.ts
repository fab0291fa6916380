// One restamp of a sealed file Sealdesk knows: PAdES-LTA for a PDF (a new document time-stamp), an
// archive-time-stamp-v3 for a .p7s — both in place, atomically, only while the file is what the ledger recorded.
import type { OperationRecord } from '../ledger/operations.js';
import { restampPdf } from '../pades/restamp-pdf.js';
import type { MissingValidationDataOptions } from '../revocation/gather.js';
import { adoptInterruptedExtension } from '../seal/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import { restampP7s } from './restamp-p7s.js';

export type SealRestamp = {
  readonly operation: OperationRecord;
  readonly path: string;
  readonly tsaName: string;
  readonly format: 'pades' | 'cades';
  /** Revocation data that could not be had (restamped all the same: allowMissingValidationData); empty: complete. */
  readonly missing: readonly string[];
};

/** Without `allowMissingValidationData`, a seal whose validation data cannot all be had is refused (REVOCATION_UNAVAILABLE). */
export async function restampSeal(ctx: StampContext, found: OperationRecord, tsa: string, o: MissingValidationDataOptions = {}): Promise<SealRestamp> {
  // A restamp killed after its rename left the new file: take it as the ledger's version first.
  const op = (await adoptInterruptedExtension(ctx.db, found))?.operation ?? found;
  const r = op.signatureType === 'cades' ? await restampP7s(ctx, op, tsa, o) : await restampPdf(ctx, op, tsa, o);
  return { operation: r.operation, path: r.path, tsaName: r.tsaName, format: op.signatureType === 'cades' ? 'cades' : 'pades', missing: r.missing };
}
