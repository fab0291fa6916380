// The DER inside a signature's /Contents, which writers pad with zeros to the size they reserved.
import * as asn1js from 'asn1js';

/** /Contents is padded with zeros to its reserved size: the signature is the first BER element, then only zeros. */
export function unpadded(
  bytes: Uint8Array,
): { ok: true; bytes: Uint8Array } | { ok: false; bytes: Uint8Array; problem: string } {
  const end = berEnd(bytes);
  if (end === null) return { ok: true, bytes }; // unreadable: reported by the CMS check
  const rest = bytes.subarray(end);
  if (rest.some((b) => b !== 0))
    return {
      ok: false,
      bytes: bytes.subarray(0, end),
      problem: `/Contents holds ${rest.length} more bytes after the signature that are not padding`,
    };
  return { ok: true, bytes: bytes.subarray(0, end) };
}

/** Where the first BER element ends: from its definite length header, else (indefinite length) by parsing it. */
function berEnd(b: Uint8Array): number | null {
  if (b.length < 2) return null;
  const l = b[1]!;
  if (l < 0x80) return Math.min(b.length, 2 + l);
  const n = l & 0x7f;
  if (n === 0) {
    const parsed = asn1js.fromBER(b);
    return parsed.offset > 0 ? parsed.offset : null;
  }
  if (n > 4 || b.length < 2 + n) return null;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + b[2 + i]!;
  return Math.min(b.length, 2 + n + len);
}
