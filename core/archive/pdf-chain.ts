// The archive chain of a sealed PDF: its seal's time-stamp, then each document time-stamp in file order — each
// checked by the verifier (its byte range, its imprint, its TSA chain), each made while the previous TSA
// certificate was valid; protected until the newest TSA certificate's notAfter.
import { CoreError } from '../errors.js';
import { getOperation } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import { verifyPdf } from '../pades/verify/verify-pdf.js';

export type PdfChainLink = { readonly fieldName: string; readonly kind: 'signature-timestamp' | 'document-timestamp'; readonly genTime: string | null; readonly tsaName: string | null; readonly tsaCertNotAfter: string | null; readonly intact: boolean; readonly madeInTime: boolean | null; readonly problems: readonly string[] };
export type PdfChain = { readonly id: string; readonly path: string; readonly links: readonly PdfChainLink[]; readonly protectedUntil: string | null; readonly intact: boolean };

export async function pdfChainOf(db: Ledger, id: string, anchors: readonly Uint8Array[]): Promise<PdfChain> {
  const op = getOperation(db, id);
  if (!op || op.signatureType !== 'pades' || !op.outputPath) throw new CoreError('NOT_FOUND', `no sealed PDF ${id}`);
  const report = await verifyPdf(op.outputPath, { anchors, now: new Date(), online: null });
  const raw = report.signatures.flatMap((s): Omit<PdfChainLink, 'madeInTime'>[] => {
    if (s.kind === 'document-timestamp') return [{ fieldName: s.fieldName, kind: 'document-timestamp', genTime: s.timestamp?.genTime ?? null, tsaName: s.timestamp?.tsaName ?? null, tsaCertNotAfter: s.signer?.notAfter ?? null, intact: s.intact, problems: s.indication === 'TOTAL-PASSED' ? [] : s.reasons }];
    if (s.timestamp) return [{ fieldName: s.fieldName, kind: 'signature-timestamp', genTime: s.timestamp.genTime, tsaName: s.timestamp.tsaName, tsaCertNotAfter: s.timestamp.tsa?.notAfter ?? null, intact: s.timestamp.valid, problems: s.timestamp.problems }];
    return [];
  });
  const links = raw.map((l, i): PdfChainLink => {
    const prev = raw[i - 1];
    const madeInTime = prev ? l.genTime !== null && prev.tsaCertNotAfter !== null && l.genTime <= prev.tsaCertNotAfter : null;
    return { ...l, madeInTime, problems: madeInTime === false ? [...l.problems, `made after the previous TSA certificate expired (${prev!.tsaCertNotAfter})`] : l.problems };
  });
  return { id, path: op.outputPath, links, protectedUntil: links.at(-1)?.tsaCertNotAfter ?? null, intact: links.length > 0 && links.every((l) => l.intact && l.madeInTime !== false) };
}
