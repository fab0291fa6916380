// One signed revision appended to a staged PDF: field + value dictionary laid out with a /Contents slot, the
// signed byte ranges digested from the running hash (no second pass over the file), the DER written into the slot.
import type { HashAlgorithm } from '../asn1/oids.js';
import type { StagedFile } from '../fs/staged.js';
import {
  IncrementBuilder,
  addSignatureField,
  contentsHex,
  layoutSignature,
  type PdfDocument,
  type SignatureFieldOptions,
} from '../pdf/index.js';

export type SignedRevision = { readonly der: Uint8Array; readonly byteRange: readonly number[] };

/**
 * Appends the revision. `sign` gets a digest function over the signed ranges and returns the DER for /Contents.
 * When the DER outgrows the reserved slot, the revision is laid out again with room for it and signed again
 * (never truncated). `sign` returning null appends nothing.
 */
export async function appendSignedRevision(
  staged: StagedFile,
  doc: PdfDocument,
  field: Omit<SignatureFieldOptions, 'contentsBytes'>,
  reserve: number,
  sign: (digest: (alg: HashAlgorithm) => Promise<Uint8Array>) => Promise<Uint8Array | null>,
): Promise<SignedRevision | null> {
  for (let attempt = 0; ; attempt++) {
    const b = new IncrementBuilder(doc);
    const sigRef = addSignatureField(doc, b, { ...field, contentsBytes: reserve });
    const fileSize = staged.length;
    const layout = layoutSignature(b.build(fileSize, endsWithEol(doc)), sigRef.num, fileSize);
    const signed = [
      layout.bytes.subarray(0, layout.byteRange[1] - fileSize),
      layout.bytes.subarray(layout.byteRange[2] - fileSize),
    ];
    const digest = (alg: HashAlgorithm) => staged.digestWith(alg, signed);
    const der = await sign(digest);
    if (der === null) return null; // nothing to write (no TSA answered): the staged file is unchanged
    if (der.length <= reserve) {
      layout.bytes.write(contentsHex(der, reserve).toString('latin1'), layout.hexStart - fileSize, 'latin1');
      await staged.append(layout.bytes);
      return { der, byteRange: layout.byteRange };
    }
    if (attempt >= 2) throw new RangeError(`the signature keeps growing (${der.length} bytes)`);
    reserve = der.length + 2048;
  }
}

function endsWithEol(doc: PdfDocument): boolean {
  const last = doc.src.read(doc.src.size - 1, 1)[0];
  return last === 10 || last === 13;
}
