// Lays out a signature revision: where /Contents' hex string sits in the final file, and /ByteRange written to match.
import type { Increment } from './increment.js';
import { BYTE_RANGE_PLACEHOLDER } from './signature-field.js';

export type SignedLayout = {
  /** The increment with /ByteRange filled in (the /Contents hex digits are still zeros). */
  readonly bytes: Buffer;
  /** [0, a, b, c]: the two signed spans of the whole file; the gap [a, b) is the hex string including < and >. */
  readonly byteRange: readonly [number, number, number, number];
  /** Offsets in the whole file of the first hex digit and of the closing '>'. */
  readonly hexStart: number;
  readonly hexEnd: number;
};

export function layoutSignature(inc: Increment, sigObjectNum: number, fileSize: number): SignedLayout {
  const bytes = Buffer.from(inc.bytes);
  const objStart = inc.objectOffsets.get(sigObjectNum);
  if (objStart === undefined) throw new RangeError('the signature object is not in this increment');
  const endobj = bytes.indexOf('endobj', objStart);
  const br = bytes.indexOf(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`, objStart);
  const contents = bytes.indexOf('/Contents <', objStart);
  if (br < 0 || contents < 0 || br > endobj || contents > endobj)
    throw new RangeError('signature placeholders not found');
  const lt = contents + '/Contents '.length;
  const gt = bytes.indexOf('>', lt);
  const a = fileSize + lt;
  const b = fileSize + gt + 1;
  const total = fileSize + bytes.length;
  const range = [0, a, b, total - b] as const;
  const text = `[${range.join(' ')}`;
  const slot = BYTE_RANGE_PLACEHOLDER.length;
  if (text.length + 1 > slot) throw new RangeError('the file is too large for the /ByteRange placeholder');
  bytes.write(`${text}${' '.repeat(slot - text.length - 1)}]`, br + '/ByteRange '.length, 'latin1');
  return { bytes, byteRange: range, hexStart: a + 1, hexEnd: b - 1 };
}

/** The hex digits for /Contents: the DER, then zeros to the reserved size. Throws when it does not fit. */
export function contentsHex(der: Uint8Array, reservedBytes: number): Buffer {
  if (der.length > reservedBytes)
    throw new RangeError(`signature of ${der.length} bytes does not fit in ${reservedBytes}`);
  const out = Buffer.alloc(reservedBytes * 2, '0');
  out.write(Buffer.from(der).toString('hex'), 0, 'latin1');
  return out;
}
