// X.690 §8.1 TLV reading and writing over exact bytes, so an archive time-stamp re-encodes only the enclosing
// lengths and keeps every other byte of the SignedData (signed attributes, signature, certificates) as it was.
import { CoreError } from '../errors.js';
import * as base from '../asn1/tlv.js';
import { TlvError, type Tlv } from '../asn1/tlv.js';

class CmsError extends CoreError {
  constructor(why: string) {
    super('CMS_MALFORMED', `the signature cannot be read or extended: ${why}`);
  }
}

export type { Tlv } from '../asn1/tlv.js';

/** The generic reader's errors as CMS_MALFORMED, and DER only: the bytes around a splice must stay exactly as they are. */
function cms<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TlvError) throw new CmsError(err.message);
    throw err;
  }
}

function definite(t: Tlv): Tlv {
  if (t.contentEnd !== t.end) throw new CmsError('indefinite-length (BER) encoding: only DER signatures can be extended in place');
  return t;
}

export const readTlv = (bytes: Uint8Array, pos: number, limit = bytes.length): Tlv => definite(cms(() => base.readTlv(bytes, pos, limit)));
export const childrenOf = (bytes: Uint8Array, parent: Tlv): Tlv[] => cms(() => base.childrenOf(bytes, parent)).map(definite);
export const rootOf = (der: Uint8Array): Tlv => definite(cms(() => base.rootOf(der)));
export const oidOf = (bytes: Uint8Array, t: Tlv): string => cms(() => base.oidOf(bytes, t));

export { content, slice } from '../asn1/tlv.js';

export function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

/** A TLV with the given tag around the concatenated parts. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  return new Uint8Array(Buffer.concat([Uint8Array.of(tag), encodeLength(body.length), body]));
}

/** Object identifier content bytes (X.690 §8.19) for a dotted string. */
export function oidTlv(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (v: number) => {
    const chunk = [v & 0x7f];
    for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    body.push(...chunk);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(body));
}
