// PAdES-LTA restamp of a PDF Sealdesk sealed: refreshed validation data (DSS) for the seal and every document
// time-stamp already in the file, then a new document time-stamp over it all — appended atomically, and only
// while the file is byte-identical to what the ledger recorded.
import { stat } from 'node:fs/promises';
import { toHex } from '../asn1/bytes.js';
import { CoreError } from '../errors.js';
import { StagedFile } from '../fs/staged.js';
import type { OperationRecord } from '../ledger/operations.js';
import { publishExtension } from '../ledger/extend-in-place.js';
import { PdfDocument, PdfString, signatureFields } from '../pdf/index.js';
import { requireValidationData, type MissingValidationDataOptions } from '../revocation/gather.js';
import type { StampContext } from '../stamp/context.js';
import { appendDocTimestamp } from './doc-timestamp.js';
import { appendDss } from './dss.js';
import { unpadded } from './verify/contents.js';

export type PdfRestamp = {
  readonly operation: OperationRecord;
  readonly path: string;
  readonly tsaName: string;
  /** Revocation data that could not be had (restamped all the same: allowMissingValidationData). */
  readonly missing: readonly string[];
};

export async function restampPdf(
  ctx: StampContext,
  op: OperationRecord,
  tsa: string,
  o: MissingValidationDataOptions = {},
): Promise<PdfRestamp> {
  if (op.signatureType !== 'pades' || !op.outputPath || !op.outputSha256 || !op.signature)
    throw new CoreError('NOT_FOUND', `operation ${op.id} is not a sealed PDF Sealdesk knows the file of`);
  if (op.status !== 'success')
    throw new CoreError('USAGE', `operation ${op.id} has queued work: run \`sealdesk queue run\` first`);
  const path = op.outputPath;
  const before = await stat(path).catch(() => {
    throw new CoreError(
      'OUTPUT_CHANGED',
      `${path} is gone: it was moved or deleted since Sealdesk wrote it; nothing restamped`,
    );
  });
  const staged = await StagedFile.create(path);
  try {
    await staged.copyFrom(path);
    if (toHex(await staged.digestWith('sha256')) !== op.outputSha256)
      throw new CoreError('OUTPUT_CHANGED', `${path} changed since Sealdesk wrote it; left untouched`);
    // Every signature in the file — ours, co-signers', earlier document time-stamps — gets fresh validation data.
    const missing = await appendDss(ctx, staged, uniqueBytes([op.signature, ...signatureContents(staged.tempPath)]), {
      appendIncomplete: o.allowMissingValidationData,
      allowPrivateNetwork: o.allowPrivateNetwork === true,
    });
    requireValidationData(path, missing, o);
    const ts = await appendDocTimestamp(ctx, staged, tsa, op.id);
    if (!ts.token || !ts.provider)
      throw new CoreError(
        'ALL_TSAS_FAILED',
        `${path}: no TSA answered for the archive time-stamp (${ts.failures.map((f) => `${f.tsa}: ${f.message}`).join('; ')})`,
      );
    const { sha256 } = await publishExtension(
      ctx.db,
      op,
      staged,
      { size: before.size, mtimeMs: before.mtimeMs },
      { level: 'B-LTA', tsaName: ts.provider.name, at: ctx.now().toISOString() },
    );
    return {
      operation: { ...op, outputSha256: sha256, reachedLevel: 'B-LTA' },
      path,
      tsaName: ts.provider.name,
      missing,
    };
  } finally {
    await staged.discard();
  }
}

/** The CMS of every signature and document time-stamp in the file, in field order. */
export function signatureContents(path: string, kind?: 'signature' | 'document-timestamp'): Uint8Array[] {
  const doc = PdfDocument.openFile(path);
  try {
    return signatureFields(doc)
      .filter((f) => !kind || f.kind === kind)
      .flatMap((f) => {
        const c = f.value.get('Contents');
        return c instanceof PdfString ? [unpadded(c.bytes).bytes] : [];
      });
  } finally {
    doc.close();
  }
}

function uniqueBytes(list: readonly Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const key = Buffer.from(b).toString('base64');
    return !seen.has(key) && (seen.add(key), true);
  });
}
