// What an auditor needs to check a sealed PDF's archive chain with OpenSSL alone: each time-stamp token (RFC 3161
// TimeStampToken) and exactly the bytes it covers — the signature value for a signature time-stamp (ETSI EN 319
// 122-1 §5.3), the /ByteRange of the revision for a document time-stamp (ETSI EN 319 142-1 §5.4).
import * as pkijs from 'pkijs';
import { CMS_OID } from '../asn1/oids.js';
import { parseSignedData } from '../cms/parse.js';
import { CoreError } from '../errors.js';
import { StagedFile } from '../fs/staged.js';
import { PdfDocument, PdfString, signatureFields } from '../pdf/index.js';
import { feedRanges } from './verify/hash-ranges.js';
import { unpadded } from './verify/contents.js';

export type ChainEvidence = {
  readonly fieldName: string;
  readonly kind: 'signature-timestamp' | 'document-timestamp';
  /** The TimeStampToken (a CMS ContentInfo), as `openssl ts -verify -token_in` reads it. */
  readonly token: Uint8Array;
  /** Signature time-stamps: the signature value the token covers. */
  readonly signatureValue?: Uint8Array;
  /** Document time-stamps: the byte ranges the token covers. */
  readonly byteRange?: readonly number[];
};

/** Every time-stamp of the file with what it covers, keyed by the signature field that holds it. */
export function chainEvidence(path: string): Map<string, ChainEvidence> {
  const doc = PdfDocument.openFile(path);
  try {
    const out = new Map<string, ChainEvidence>();
    for (const f of signatureFields(doc)) {
      const c = f.value.get('Contents');
      const br = f.value.get('ByteRange');
      if (!(c instanceof PdfString)) continue;
      const cms = unpadded(c.bytes).bytes;
      if (f.kind === 'document-timestamp' && Array.isArray(br) && br.every((x) => typeof x === 'number'))
        out.set(f.fieldName, {
          fieldName: f.fieldName,
          kind: 'document-timestamp',
          token: cms,
          byteRange: br as number[],
        });
      const sts = f.kind === 'signature' ? signatureTimestamp(cms) : null;
      if (sts) out.set(f.fieldName, { fieldName: f.fieldName, kind: 'signature-timestamp', ...sts });
    }
    return out;
  } finally {
    doc.close();
  }
}

function signatureTimestamp(cms: Uint8Array): { token: Uint8Array; signatureValue: Uint8Array } | null {
  try {
    const si = parseSignedData(cms).signedData.signerInfos[0];
    const attr = si?.unsignedAttrs?.attributes.find((a: pkijs.Attribute) => a.type === CMS_OID.signatureTimeStampToken);
    const token = attr?.values[0] as { valueBeforeDecodeView: Uint8Array } | undefined;
    return si && token
      ? {
          token: new Uint8Array(token.valueBeforeDecodeView),
          signatureValue: new Uint8Array(si.signature.valueBlock.valueHexView),
        }
      : null;
  } catch {
    return null; // an unreadable signature has no evidence to export; the chain check reports why
  }
}

/** Writes the bytes a document time-stamp covers to a new file (streamed; never over an existing file). */
export async function writeCoveredBytes(pdfPath: string, byteRange: readonly number[], out: string): Promise<void> {
  const staged = await StagedFile.create(out);
  try {
    await feedRanges(pdfPath, byteRange, (chunk) => staged.append(chunk));
    const expected = byteRange.reduce((sum, v, i) => (i % 2 ? sum + v : sum), 0);
    if (staged.length !== expected)
      throw new CoreError('OUTPUT_CHANGED', `${pdfPath} is shorter than its signature's byte range`);
    await staged.publishNew(out);
  } finally {
    await staged.discard();
  }
}
