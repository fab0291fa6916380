// X.690 §10–11 DER re-encoding of a BER value, for RFC 5652 §5.4: the signature covers the DER of the signed attributes
// (SET OF sorted, definite minimal lengths, primitive strings, BOOLEAN TRUE as 0xFF), whatever encoding was stored.
// Hand-written because asn1js re-emits the BER forms it read (indefinite lengths, constructed strings, SET order) and
// has no DER mode. This walk over exact bytes keeps DER parts as views of the input, builds the rest as a tree of parts
// written out once (so nesting does not copy a value once per level), sorts SET OF elements by comparing those trees,
// is depth-capped, and names what was not DER.
import { TlvError, childrenOf, content, encodeLength, readTlv, type Tlv } from '../asn1/tlv.js';

export type DerReencoding = {
  /** The DER encoding of the value. */
  readonly der: Uint8Array;
  /** What the input did that DER does not (empty: the input was already DER). */
  readonly deviations: readonly string[];
};

const MAX_DEPTH = 64;
/** Universal string types (X.690 §8.21, §8.6, §8.7, times) that BER may segment and DER keeps primitive. */
const STRING_TAGS = new Set([3, 4, 12, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30]);

/** The DER re-encoding of the one BER value `ber` holds. Throws TlvError when it is not one well-formed value. */
export function derReencode(ber: Uint8Array): DerReencoding {
  const root = readTlv(ber, 0);
  if (root.end !== ber.length) throw new TlvError('bytes after the value');
  const deviations = new Set<string>();
  const { der } = encode(ber, root, 0, deviations);
  return { der: flatten(der), deviations: [...deviations] };
}

/** An encoding as bytes, or as a header followed by the encodings of the parts (written out once, at the end). */
type Enc = Uint8Array | { readonly head: Uint8Array; readonly parts: readonly Enc[]; readonly length: number };

/** The DER of `t`: its own bytes (no copy) when already DER, else a new encoding; `kept` says which. */
function encode(bytes: Uint8Array, t: Tlv, depth: number, dev: Set<string>): { der: Enc; kept: boolean } {
  if (depth > MAX_DEPTH) throw new TlvError('nested too deeply');
  const lengthOk = minimalLength(bytes, t, dev);
  const own = { der: bytes.subarray(t.start, t.end), kept: true };
  const constructed = (t.tag & 0x20) !== 0;
  const universal = (t.tag & 0xc0) === 0;
  const number = t.tag & 0x1f;
  if (!constructed) {
    if (universal && number === 1) {
      const c = content(bytes, t);
      if (c.length === 1 && c[0] !== 0 && c[0] !== 0xff) {
        dev.add('a BOOLEAN TRUE not encoded as 0xFF');
        return { der: Uint8Array.of(0x01, 0x01, 0xff), kept: false };
      }
    }
    return lengthOk ? own : { der: wrap(t.tag, [content(bytes, t)]), kept: false };
  }
  if (universal && STRING_TAGS.has(number)) {
    dev.add('a constructed (segmented) string');
    return {
      der: wrap(t.tag & ~0x20, [number === 3 ? bitStringContent(bytes, t, depth) : stringContent(bytes, t, depth)]),
      kept: false,
    };
  }
  const children = childrenOf(bytes, t).map((c) => encode(bytes, c, depth + 1, dev));
  let kept = lengthOk && children.every((c) => c.kept);
  let parts = children.map((c) => c.der);
  if (universal && number === 17) {
    const sorted = [...parts].sort(compareEnc);
    if (sorted.some((c, i) => c !== parts[i])) {
      dev.add('a SET OF not sorted');
      kept = false;
    }
    parts = sorted;
  }
  return kept ? own : { der: wrap(t.tag, parts), kept: false };
}

/** Whether the length is definite and minimal; else notes which BER form was used instead. */
function minimalLength(bytes: Uint8Array, t: Tlv, dev: Set<string>): boolean {
  const first = bytes[t.start + 1]!;
  if (first === 0x80) {
    dev.add('indefinite lengths');
    return false;
  }
  if (first > 0x80 && t.contentStart - t.start - 2 !== encodeLength(t.contentEnd - t.contentStart).length - 1) {
    dev.add('non-minimal lengths');
    return false;
  }
  return true;
}

function stringContent(bytes: Uint8Array, t: Tlv, depth: number): Uint8Array {
  if (depth > MAX_DEPTH) throw new TlvError('nested too deeply');
  if ((t.tag & 0x20) === 0) return content(bytes, t);
  return new Uint8Array(Buffer.concat(childrenOf(bytes, t).map((s) => stringContent(bytes, s, depth + 1))));
}

/** X.690 §8.6.4: each segment carries its own unused-bits octet; only the last may be non-zero. */
function bitStringContent(bytes: Uint8Array, t: Tlv, depth: number): Uint8Array {
  const segments: Uint8Array[] = [];
  const walk = (s: Tlv, d: number) => {
    if (d > MAX_DEPTH) throw new TlvError('nested too deeply');
    if ((s.tag & 0x20) === 0) segments.push(content(bytes, s));
    else for (const c of childrenOf(bytes, s)) walk(c, d + 1);
  };
  walk(t, depth);
  const bad = segments.some((s, i) => s.length === 0 || (i < segments.length - 1 && s[0] !== 0));
  if (bad) throw new TlvError('malformed BIT STRING segments');
  const unused = segments.length ? segments[segments.length - 1]![0]! : 0;
  return new Uint8Array(Buffer.concat([Uint8Array.of(unused), ...segments.map((s) => s.subarray(1))]));
}

function wrap(tag: number, parts: readonly Enc[]): Enc {
  const inner = parts.reduce((n, p) => n + p.length, 0);
  const head = new Uint8Array([tag, ...encodeLength(inner)]);
  return { head, parts, length: head.length + inner };
}

function flatten(e: Enc): Uint8Array {
  if (e instanceof Uint8Array) return e;
  const out = new Uint8Array(e.length);
  let at = 0;
  for (const chunk of chunks(e)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function* chunks(e: Enc): Generator<Uint8Array> {
  if (e instanceof Uint8Array) {
    yield e;
    return;
  }
  yield e.head;
  for (const p of e.parts) yield* chunks(p);
}

/** compareDer over two encodings held as parts, reading only as far as they agree. */
function compareEnc(a: Enc, b: Enc): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareDer(a, b);
  const ia = chunks(a);
  const ib = chunks(b);
  let ca: Uint8Array = new Uint8Array();
  let cb: Uint8Array = new Uint8Array();
  let pa = 0;
  let pb = 0;
  for (;;) {
    while (pa === ca.length) {
      const n = ia.next();
      if (n.done) break;
      [ca, pa] = [n.value, 0];
    }
    while (pb === cb.length) {
      const n = ib.next();
      if (n.done) break;
      [cb, pb] = [n.value, 0];
    }
    const endA = pa === ca.length;
    const endB = pb === cb.length;
    if (endA && endB) return 0;
    const d = (endA ? 0 : ca[pa++]!) - (endB ? 0 : cb[pb++]!); // X.690 §11.6: the shorter padded with 0-octets
    if (d !== 0) return d;
  }
}

/** X.690 §11.6: encodings compared as octet strings, the shorter padded at its end with 0-octets. */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
