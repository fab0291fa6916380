// `import` of seals made elsewhere: a signed PDF (PAdES / PDF signatures, ISO 32000-2 §12.8) or a detached .p7s
// (CAdES, ETSI EN 319 122-1) beside its content joins the ledger as a seal operation, so `restamp` and `chain` work
// on it. Only intact signatures are taken: keeping a broken seal alive would only hide that it is broken.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../asn1/bytes.js';
import { CoreError, InputError } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import { insertOperation, operationByOutput, recordOperationFile, type OperationRecord } from '../ledger/operations.js';
import type { Ledger } from '../ledger/open.js';
import { signatureContents } from '../pades/restamp-pdf.js';
import { verifyPdf } from '../pades/verify/verify-pdf.js';
import type { PdfReport } from '../pades/verify/types.js';
import { PdfDocument, readDss } from '../pdf/index.js';
import { verifyCades } from '../validation/cades-report.js';

export type ImportedSeal = {
  readonly path: string;
  readonly operation: OperationRecord;
  readonly already: boolean;
  readonly indication: string;
  readonly signatures: number;
};

type ImportOptions = { readonly anchors: readonly Uint8Array[]; readonly now: Date };

/** A signed PDF made elsewhere: every signature must be intact; the operation points at the file as it is now. */
export async function importSealedPdf(db: Ledger, pdfPath: string, o: ImportOptions): Promise<ImportedSeal> {
  const path = resolve(pdfPath);
  const sha256 = await sha256Of(path);
  const known = operationByOutput(db, sha256);
  if (known) return { path, operation: known, already: true, indication: 'known', signatures: 0 };
  const report = await verifyPdf(path, { anchors: o.anchors, now: o.now, online: null });
  if (report.signatures.length === 0)
    throw new InputError(
      'NO_SIGNATURE_FOUND',
      `${path} has no signature: stamp it (\`sealdesk stamp\`) or seal it (\`sealdesk seal\`) instead`,
    );
  const broken = report.signatures.filter((s) => !s.intact || s.indication === 'TOTAL-FAILED');
  if (broken.length || report.indication === 'TOTAL-FAILED') {
    const why =
      broken.map((s) => `${s.fieldName}: ${s.reasons[0] ?? s.subIndication ?? 'not intact'}`).join('; ') ||
      report.problems.join('; ');
    throw new InputError('SIGNATURE_BROKEN', `${path} is not imported: ${why}`);
  }
  const cms = signatureContents(path, 'signature');
  const newest = [...report.signatures].reverse();
  const lastSeal = newest.find((s) => s.kind === 'signature');
  const tsaName = newest.map((s) => s.timestamp?.tsaName).find((n) => n) ?? null;
  const level = padesLevel(path, report);
  const { digests, size } = await hashFile(path, ['sha512']);
  const operation = record(
    db,
    {
      id: randomUUID(),
      documentSha512: toHex(digests.sha512),
      label: null,
      status: 'success',
      signatureType: 'pades',
      certificateId: null,
      certLabel: lastSeal?.signer?.subject ?? null,
      filePath: null,
      outputPath: path,
      outputSha256: sha256,
      signature: cms.at(-1) ?? null,
      tsaName,
      requestedTsa: 'imported',
      createdAt: o.now.toISOString(),
      level,
      reachedLevel: level,
    },
    size,
  );
  return { path, operation, already: false, indication: report.indication, signatures: report.signatures.length };
}

/** A detached .p7s made elsewhere, with its content beside it (`report.xlsx.p7s` → `report.xlsx`). */
export async function importP7s(db: Ledger, p7sPath: string, o: ImportOptions): Promise<ImportedSeal> {
  const path = resolve(p7sPath);
  const content = path.replace(/\.p7s$/i, '');
  if (content === path || !existsSync(content))
    throw new CoreError('NOT_FOUND', `${path}: the file it signs is not beside it (expected ${content})`);
  const der = new Uint8Array(readFileSync(path));
  const sha256 = createHash('sha256').update(der).digest('hex');
  const report = await verifyCades(der, {
    anchors: o.anchors,
    now: o.now,
    digestContent: async (alg) => (await hashFile(content, [alg])).digests[alg],
  });
  if (!report.intact)
    throw new InputError(
      'SIGNATURE_BROKEN',
      `${path} is not imported: ${report.problems[0] ?? report.error ?? 'the signature does not match the file beside it'}`,
    );
  const { digests } = await hashFile(content, ['sha512']);
  const known = operationByOutput(db, sha256);
  if (known && known.documentSha512 === toHex(digests.sha512))
    return { path, operation: known, already: true, indication: 'known', signatures: 1 };
  const operation = record(
    db,
    {
      id: randomUUID(),
      documentSha512: toHex(digests.sha512),
      label: null,
      status: 'success',
      signatureType: 'cades',
      certificateId: null,
      certLabel: report.certificate?.subject ?? null,
      filePath: content,
      outputPath: path,
      outputSha256: sha256,
      signature: der,
      tsaName: report.timestamp?.tsaName ?? null,
      requestedTsa: 'imported',
      createdAt: o.now.toISOString(),
    },
    der.length,
  );
  return { path, operation, already: false, indication: report.indication, signatures: 1 };
}

function record(db: Ledger, op: OperationRecord, size: number): OperationRecord {
  return db.transaction(() => {
    insertOperation(db, op);
    recordOperationFile(db, {
      operationId: op.id,
      level: op.reachedLevel ?? null,
      path: op.outputPath!,
      sha256: op.outputSha256!,
      size,
      at: op.createdAt,
    });
    return op;
  })();
}

/** The PAdES baseline level the file shows: document time-stamp → B-LTA, DSS → B-LT, signature time-stamp → B-T. */
function padesLevel(path: string, report: PdfReport): string {
  if (report.signatures.some((s) => s.kind === 'document-timestamp')) return 'B-LTA';
  const doc = PdfDocument.openFile(path);
  try {
    const dss = readDss(doc);
    if (dss.certs.length || dss.ocsps.length || dss.crls.length) return 'B-LT';
  } finally {
    doc.close();
  }
  return report.signatures.some((s) => s.timestamp) ? 'B-T' : 'B-B';
}

async function sha256Of(path: string): Promise<string> {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile())
    throw new InputError('INPUT_UNREADABLE', `${path} is not a readable file`);
  return toHex((await hashFile(path, ['sha256'])).digests.sha256);
}
