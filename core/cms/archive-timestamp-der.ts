// X.690 §8.1 TLV reading and writing over exact bytes, so an archive time-stamp re-encodes only the enclosing
// lengths and keeps every other byte of the SignedData (signed attributes, signature, certificates) as it was.
import { CoreError } from '../errors.js';

class CmsError extends CoreError {
  constructor(why: string) {
    super('CMS_MALFORMED', `the signature cannot be read or extended: ${why}`);
  }
}

/** One TLV inside `bytes`: [start, contentStart) is its header, [contentStart, end) its content. */
export type Tlv = { readonly tag: number; readonly start: number; readonly contentStart: number; readonly end: number };

export function readTlv(bytes: Uint8Array, pos: number, limit = bytes.length): Tlv {
  if (pos + 2 > limit) throw new CmsError('truncated DER');
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new CmsError('high tag numbers are not used in CMS SignedData');
  let len = bytes[pos + 1]!;
  let contentStart = pos + 2;
  if (len === 0x80) throw new CmsError('indefinite-length (BER) encoding: only DER signatures can be extended in place');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || contentStart + n > limit) throw new CmsError('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[contentStart + i]!;
    contentStart += n;
  }
  const end = contentStart + len;
  if (end > limit) throw new CmsError('DER value runs past its container');
  return { tag, start: pos, contentStart, end };
}

export function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new CmsError('expected a constructed value');
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const child = readTlv(bytes, pos, parent.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export const slice = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.start, t.end);
export const content = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.contentStart, t.end);

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

/** The exact root value of `der`: one TLV spanning all of it. */
export function rootOf(der: Uint8Array): Tlv {
  const root = readTlv(der, 0);
  if (root.end !== der.length) throw new CmsError(`${der.length - root.end} unexpected bytes after the end`);
  return root;
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

export function oidOf(bytes: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) throw new CmsError('expected an OBJECT IDENTIFIER');
  const c = content(bytes, t);
  const arcs: number[] = [];
  let v = 0;
  for (const b of c) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}
