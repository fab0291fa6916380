// One restamp of a sealed file Sealdesk knows: PAdES-LTA for a PDF (a new document time-stamp), an
// archive-time-stamp-v3 for a .p7s — both in place, atomically, only while the file is what the ledger recorded.
import type { OperationRecord } from '../ledger/operations.js';
import { restampPdf } from '../pades/restamp-pdf.js';
import { adoptInterruptedExtension } from '../seal/extend-in-place.js';
import type { StampContext } from '../stamp/context.js';
import { restampP7s } from './restamp-p7s.js';

export type SealRestamp = { readonly operation: OperationRecord; readonly path: string; readonly tsaName: string; readonly format: 'pades' | 'cades' };

export async function restampSeal(ctx: StampContext, found: OperationRecord, tsa: string): Promise<SealRestamp> {
  // A restamp killed after its rename left the new file: take it as the ledger's version first.
  const op = (await adoptInterruptedExtension(ctx.db, found))?.operation ?? found;
  if (op.signatureType === 'cades') {
    const r = await restampP7s(ctx, op, tsa);
    return { operation: r.operation, path: r.path, tsaName: r.tsaName, format: 'cades' };
  }
  const r = await restampPdf(ctx, op, tsa);
  return { operation: r.operation, path: r.path, tsaName: r.tsaName, format: 'pades' };
}
