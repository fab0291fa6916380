// X.690 §8.1 TLV reading and writing over exact bytes: where each value sits, never a re-encoding. asn1js/pkijs build an object
// per node (and re-check the schema per parse); on the hot paths — a TSA reply per chain in a bulk restamp — Sealdesk
// walks the few fields it needs with this instead. BER indefinite lengths are read (some TSAs send them).

export class TlvError extends Error {
  override readonly name: string = 'TlvError';
}

/** The input may well be valid, but it goes past a cap below (a count, a size, a depth): refused as a resource limit. */
export class TlvLimitError extends TlvError {
  override readonly name: string = 'TlvLimitError';
}

/**
 * Caps for hostile input. Every length is checked against its container (and so against the input) before anything is
 * read or allocated; these bound what a well-formed but hostile value could still cost. No structure Sealdesk walks with
 * childrenOf has more elements than `children` (the one large list, a CRL's revokedCertificates, is walked with readTlv
 * one entry at a time without a list).
 */
export const TLV_LIMITS = { depth: 64, children: 65_536 } as const;

/** One TLV inside `bytes`: [start, contentStart) its header, [contentStart, contentEnd) its content, ending at `end`
 * (after the end-of-contents octets when the length is indefinite). `tag` is the identifier octet (low tag numbers). */
export type Tlv = {
  readonly tag: number;
  readonly start: number;
  readonly contentStart: number;
  readonly contentEnd: number;
  readonly end: number;
};

const MAX_DEPTH = TLV_LIMITS.depth;

export function readTlv(bytes: Uint8Array, pos: number, limit = bytes.length, depth = 0): Tlv {
  if (pos + 2 > limit) throw new TlvError('truncated DER');
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) throw new TlvError('high tag numbers are not used here');
  let len = bytes[pos + 1]!;
  const contentStart = pos + 2 + (len > 0x80 ? len & 0x7f : 0);
  if (len === 0x80) return indefinite(bytes, tag, pos, limit, depth);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4 || contentStart > limit) throw new TlvError('bad DER length');
    len = 0;
    for (let i = pos + 2; i < contentStart; i++) len = len * 256 + bytes[i]!;
  }
  const end = contentStart + len;
  if (end > limit) throw new TlvError('a value runs past its container (truncated?)');
  return { tag, start: pos, contentStart, contentEnd: end, end };
}

function indefinite(bytes: Uint8Array, tag: number, pos: number, limit: number, depth: number): Tlv {
  if ((tag & 0x20) === 0) throw new TlvError('indefinite length on a primitive value');
  if (depth >= MAX_DEPTH) throw new TlvLimitError(`indefinite lengths nested too deeply (over ${MAX_DEPTH} levels)`);
  let at = pos + 2;
  for (;;) {
    // the end-of-contents octets must lie inside the container too
    if (at + 2 > limit) throw new TlvError('indefinite-length value without end-of-contents');
    if (bytes[at] === 0 && bytes[at + 1] === 0) break;
    at = readTlv(bytes, at, limit, depth + 1).end;
  }
  return { tag, start: pos, contentStart: pos + 2, contentEnd: at, end: at + 2 };
}

/** The exact root value of `der`: one TLV spanning all of it. */
export function rootOf(der: Uint8Array): Tlv {
  const root = readTlv(der, 0);
  if (root.end !== der.length)
    throw new TlvError(`${der.length - root.end} unexpected bytes after the end (truncated or concatenated?)`);
  return root;
}

/** A constructed value's elements; more than `max` (a SEQUENCE OF / SET OF walk's cap) is a TlvLimitError. */
export function childrenOf(bytes: Uint8Array, parent: Tlv, max: number = TLV_LIMITS.children): Tlv[] {
  if ((parent.tag & 0x20) === 0) throw new TlvError('expected a constructed value');
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.contentEnd;) {
    if (out.length >= max) throw new TlvLimitError(`more than ${max} elements in one list`);
    const child = readTlv(bytes, pos, parent.contentEnd);
    out.push(child);
    pos = child.end;
  }
  return out;
}

/** A constructed value's fields, each required to carry one of the given tags in order (`null` skips a check). */
export function fieldsOf(bytes: Uint8Array, parent: Tlv, what: string, ...tags: readonly (number | null)[]): Tlv[] {
  const fields = childrenOf(bytes, parent);
  tags.forEach((want, i) => {
    const got = fields[i];
    if (!got) throw new TlvError(`${what} lacks field ${i + 1}`);
    if (want !== null && got.tag !== want)
      throw new TlvError(`${what} field ${i + 1} has tag 0x${got.tag.toString(16)}, expected 0x${want.toString(16)}`);
  });
  return fields;
}

export const slice = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.start, t.end);
export const content = (bytes: Uint8Array, t: Tlv): Uint8Array => bytes.subarray(t.contentStart, t.contentEnd);

/** A string value's bytes (OCTET STRING, or an IMPLICIT-tagged one): primitive, or (BER) constructed of segments. */
export function octets(bytes: Uint8Array, t: Tlv, depth = 0): Uint8Array {
  if ((t.tag & 0x20) === 0) return content(bytes, t);
  if (depth >= MAX_DEPTH) throw new TlvLimitError(`a constructed string nested too deeply (over ${MAX_DEPTH} levels)`);
  return new Uint8Array(Buffer.concat(childrenOf(bytes, t).map((s) => octets(bytes, s, depth + 1))));
}

/**
 * A primitive BIT STRING (X.690 §8.6) of at most `maxBytes` bytes of bits: the bits and the count of unused trailing
 * bits. Read where only a few named bits matter (PKIFailureInfo, KeyUsage): a longer one is refused before any use.
 */
export function bitString(
  bytes: Uint8Array,
  t: Tlv,
  maxBytes: number,
): { readonly bits: Uint8Array; readonly unused: number } {
  if ((t.tag & 0x20) !== 0) throw new TlvError('a constructed BIT STRING where a short one is expected');
  const c = content(bytes, t);
  if (c.length === 0) throw new TlvError('a BIT STRING without its unused-bits octet');
  if (c.length - 1 > maxBytes)
    throw new TlvError(`a BIT STRING of ${c.length - 1} bytes where at most ${maxBytes} are defined`);
  const unused = c[0]!;
  if (unused > 7 || (c.length === 1 && unused !== 0)) throw new TlvError(`a BIT STRING with ${unused} unused bits`);
  return { bits: c.subarray(1), unused };
}

/** Whether bit `n` (0 = the first, most significant bit, as ASN.1 numbers named bits) is set. */
export function bitSet(b: { readonly bits: Uint8Array; readonly unused: number }, n: number): boolean {
  if (n < 0 || n >= b.bits.length * 8 - b.unused) return false;
  return (b.bits[n >> 3]! & (0x80 >> (n & 7))) !== 0;
}

/**
 * Walks every constructed value under `root` (iteratively: no recursion on input depth) and refuses more than
 * `maxNodes` values or constructed nesting deeper than `maxDepth`. Run before handing bytes to asn1js/pkijs, which
 * build an object per node and recurse per level.
 */
export function checkShape(
  bytes: Uint8Array,
  root: Tlv,
  limits: { readonly maxNodes: number; readonly maxDepth: number },
): number {
  let nodes = 1;
  const stack: { end: number; pos: number }[] = [];
  if ((root.tag & 0x20) !== 0) stack.push({ pos: root.contentStart, end: root.contentEnd });
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.pos >= top.end) {
      stack.pop();
      continue;
    }
    const t = readTlv(bytes, top.pos, top.end);
    top.pos = t.end;
    if (++nodes > limits.maxNodes) throw new TlvLimitError(`more than ${limits.maxNodes} ASN.1 values`);
    if ((t.tag & 0x20) !== 0 && t.contentEnd > t.contentStart) {
      if (stack.length >= limits.maxDepth)
        throw new TlvLimitError(`ASN.1 values nested too deeply (over ${limits.maxDepth} levels)`);
      stack.push({ pos: t.contentStart, end: t.contentEnd });
    }
  }
  return nodes;
}

export function oidOf(bytes: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) throw new TlvError('expected an OBJECT IDENTIFIER');
  const c = content(bytes, t);
  if (c.length === 0 || (c[c.length - 1]! & 0x80) !== 0) throw new TlvError('malformed OBJECT IDENTIFIER');
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

/** An INTEGER's content octets (two's complement, as encoded); `t` may carry an IMPLICIT tag. */
export function integerBytes(bytes: Uint8Array, t: Tlv): Uint8Array {
  if ((t.tag & 0x20) !== 0) throw new TlvError('expected an INTEGER');
  const c = content(bytes, t);
  if (c.length === 0) throw new TlvError('empty INTEGER');
  return c;
}

/** A small non-negative INTEGER (versions, status codes, accuracy parts). */
export function smallInteger(bytes: Uint8Array, t: Tlv): number {
  const c = integerBytes(bytes, t);
  if (c.length > 6 || (c[0]! & 0x80) !== 0) throw new TlvError('INTEGER out of range');
  return c.reduce((n, b) => n * 256 + b, 0);
}

/** GeneralizedTime (X.690 §11.7 / RFC 5280 §4.1.2.5.2): YYYYMMDDHHMMSS[.fff…]Z. */
export function generalizedTime(bytes: Uint8Array, t: Tlv): Date {
  if (t.tag !== 0x18) throw new TlvError('expected a GeneralizedTime');
  const s = Buffer.from(content(bytes, t)).toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
  if (!m) throw new TlvError(`malformed GeneralizedTime "${s}"`);
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se, ms));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59)
    throw new TlvError(`impossible GeneralizedTime "${s}"`);
  return date;
}

/** UTCTime (RFC 5280 §4.1.2.5.1): YYMMDDHHMMSSZ, years 50–99 in the 1900s, 00–49 in the 2000s. */
export function utcTime(bytes: Uint8Array, t: Tlv): Date {
  if (t.tag !== 0x17) throw new TlvError('expected a UTCTime');
  const s = Buffer.from(content(bytes, t)).toString('latin1');
  const m = /^(\d{2})(\d{10})Z$/.exec(s);
  if (!m) throw new TlvError(`malformed UTCTime "${s}"`);
  const yy = Number(m[1]);
  const full = `${yy >= 50 ? 19 : 20}${m[1]}${m[2]}Z`;
  return generalizedTime(Uint8Array.of(0x18, full.length, ...Buffer.from(full, 'latin1')), {
    tag: 0x18,
    start: 0,
    contentStart: 2,
    contentEnd: 2 + full.length,
    end: 2 + full.length,
  });
}

// Writing: a TLV around exact parts, so only the enclosing lengths are ever encoded anew.

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
