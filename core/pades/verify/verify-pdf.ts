// `verify <file.pdf>`: every signature and document time-stamp of a PDF, offline, with ETSI indications; the
// document's indication is its worst signature's, and a PDF without any signature is not passed.
import { certificateFacts } from '../../asn1/certificate.js';
import { CoreError, errorMessage } from '../../errors.js';
import {
  FileSource,
  PdfDocument,
  PdfString,
  ambiguities,
  readDss,
  revisionEnds,
  signatureFields,
  xrefEntriesInside,
  type PdfSignatureField,
} from '../../pdf/index.js';
import { validationTime, type VerifyContext, type VerifyOptions } from './context.js';
import type { RevocationItem } from '../../validation/revocation-check.js';
import { worst, type PdfReport, type SignatureReport } from './types.js';
import { verifySignature } from './verify-signature.js';

export async function verifyPdf(path: string, o: VerifyOptions): Promise<PdfReport> {
  const src = FileSource.open(path);
  const head = { file: path, validationTime: validationTime(o).toISOString(), trustAnchors: o.anchors.map(subjectOf) };
  try {
    return await verifyOpened(src, o, head);
  } catch (err) {
    // A file whose structure needs repair is reported, not repaired: repairs are how signature attacks get in.
    if (err instanceof CoreError && err.code === 'PDF_MALFORMED')
      return {
        ...head,
        indication: 'TOTAL-FAILED',
        subIndication: 'FORMAT_FAILURE',
        signatures: [],
        revisions: 0,
        problems: [err.message],
      };
    throw err;
  } finally {
    src.close();
  }
}

async function verifyOpened(
  src: FileSource,
  o: VerifyOptions,
  head: Pick<PdfReport, 'file' | 'validationTime' | 'trustAnchors'>,
): Promise<PdfReport> {
  const path = head.file;
  {
    const doc = PdfDocument.open(src, { tolerant: true, limits: o.pdfLimits });
    const dss = readDss(doc);
    const dssRevocation: RevocationItem[] = [
      ...dss.ocsps.map((der) => ({ kind: 'ocsp' as const, der, from: 'dss' as const })),
      ...dss.crls.map((der) => ({ kind: 'crl' as const, der, from: 'dss' as const })),
    ];
    const ctx: VerifyContext = {
      ...o,
      path,
      src,
      doc,
      revisionEnds: revisionEnds(src),
      dssCertificates: dss.certs,
      dssRevocation,
      documentTimestamps: [],
    };
    const fields = inFileOrder(signatureFields(doc));
    const spoofed = duplicateValues(fields);
    const ambiguous = twoReaderConflicts(doc, fields);
    const extra = (f: PdfSignatureField) => [...(spoofed.get(f) ?? []), ...ambiguous];
    const reports = new Map<PdfSignatureField, SignatureReport>();
    // Document time-stamps first: a valid one is the proof of existence for the signatures before it.
    for (const [i, f] of fields.entries()) {
      if (f.kind !== 'document-timestamp') continue;
      const r = await verifySignature(ctx, f, i + 1, extra(f));
      reports.set(f, r);
      // A proof of existence only if valid and its TSA chains to a trust anchor (issue 13); otherwise shown, not relied on.
      if (r.intact && r.byteRange && r.timestamp?.genTime && r.timestamp.valid && r.signer?.trust === 'chained')
        ctx.documentTimestamps.push({
          genTime: new Date(r.timestamp.genTime),
          signedEnd: r.byteRange[2]! + r.byteRange[3]!,
        });
    }
    for (const [i, f] of fields.entries())
      if (f.kind === 'signature') reports.set(f, await verifySignature(ctx, f, i + 1, extra(f)));
    const repaired = doc.recovered.map((r) => `read tolerantly: ${r}`);
    const signatures = fields
      .map((f) => reports.get(f)!)
      .map((r) => (repaired.length ? { ...r, warnings: [...r.warnings, ...repaired] } : r));
    const problems = signatures.length === 0 ? ['the PDF has no signature'] : [];
    const indication =
      signatures.length === 0
        ? 'INDETERMINATE'
        : signatures.reduce((acc, s) => worst(acc, s.indication), 'TOTAL-PASSED' as PdfReport['indication']);
    const subIndication =
      signatures.length === 0
        ? 'NO_SIGNATURE_FOUND'
        : (signatures.find((s) => s.indication === indication)?.subIndication ?? null);
    return { ...head, indication, subIndication, signatures, revisions: ctx.revisionEnds.length, problems };
  }
}

/** By where each signature's signed bytes end (revision order), then by field order. */
function inFileOrder(fields: PdfSignatureField[]): PdfSignatureField[] {
  const end = (f: PdfSignatureField) => {
    const br = f.value.get('ByteRange');
    return Array.isArray(br) && br.length === 4 && br.every((x) => typeof x === 'number')
      ? (br[2] as number) + (br[3] as number)
      : Number.MAX_SAFE_INTEGER;
  };
  return fields
    .map((f, i) => ({ f, i }))
    .sort((a, b) => end(a.f) - end(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * Structures two conforming readers resolve differently (one revision defining an object twice, a cross-reference
 * entry pointing into a signature's /Contents gap): what the signer saw is then not provably what a viewer shows.
 */
function twoReaderConflicts(doc: PdfDocument, fields: readonly PdfSignatureField[]): string[] {
  const gaps: [number, number][] = [];
  for (const f of fields) {
    const br = f.value.get('ByteRange');
    if (Array.isArray(br) && br.length === 4 && typeof br[1] === 'number' && typeof br[2] === 'number' && br[1] < br[2])
      gaps.push([br[1], br[2]]);
  }
  return [...ambiguities(doc), ...xrefEntriesInside(doc, gaps)].map(
    (a) => `the file's structure is ambiguous: ${a.detail}`,
  );
}

/** Two fields carrying the same /Contents: only the first can be what was signed (signature spoofing). */
function duplicateValues(fields: readonly PdfSignatureField[]): Map<PdfSignatureField, string[]> {
  const seen = new Map<string, PdfSignatureField>();
  const out = new Map<PdfSignatureField, string[]>();
  for (const f of fields) {
    const c = f.value.get('Contents');
    const key = c instanceof PdfString ? Buffer.from(c.bytes).toString('base64') : null;
    if (!key) continue;
    const first = seen.get(key);
    if (first) out.set(f, [`this field reuses the signature value of field "${first.fieldName}" (signature spoofing)`]);
    else seen.set(key, f);
  }
  return out;
}

function subjectOf(der: Uint8Array): string {
  try {
    return certificateFacts(der).subject;
  } catch (err) {
    return `unreadable certificate (${errorMessage(err)})`;
  }
}
