// ECDSA signature formats: PKCS#11 returns raw r||s (PKCS#11 2.40 §2.3.1), CMS wants DER ECDSA-Sig-Value (RFC 5753).
import * as asn1js from 'asn1js';
import { exactBuffer } from './bytes.js';

export function rawEcdsaToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0)
    throw new RangeError(`an r||s ECDSA signature has an even, non-zero length, got ${raw.length}`);
  const half = raw.length / 2;
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return new asn1js.Integer({ valueHex: exactBuffer(v[0]! & 0x80 ? Uint8Array.from([0, ...v]) : v) });
  };
  return new Uint8Array(
    new asn1js.Sequence({ value: [int(raw.subarray(0, half)), int(raw.subarray(half))] }).toBER(false),
  );
}
