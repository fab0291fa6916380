// X.690 §10–11 DER re-encoding of a BER value, for RFC 5652 §5.4: the signature covers the DER of the signed attributes
// (SET OF sorted, definite minimal lengths, primitive strings, BOOLEAN TRUE as 0xFF), whatever encoding was stored.
// Hand-written because asn1js re-emits the BER forms it read (indefinite lengths, constructed strings, SET order) and
// has no DER mode; this walk over exact bytes is linear per level, depth-capped, and names what was not DER.
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
  const der = encode(ber, root, 0, deviations);
  return { der, deviations: [...deviations] };
}

function encode(bytes: Uint8Array, t: Tlv, depth: number, dev: Set<string>): Uint8Array {
  if (depth > MAX_DEPTH) throw new TlvError('nested too deeply');
  noteLength(bytes, t, dev);
  const constructed = (t.tag & 0x20) !== 0;
  const universal = (t.tag & 0xc0) === 0;
  const number = t.tag & 0x1f;
  if (!constructed) {
    if (universal && number === 1) {
      const c = content(bytes, t);
      if (c.length === 1 && c[0] !== 0 && c[0] !== 0xff) {
        dev.add('a BOOLEAN TRUE not encoded as 0xFF');
        return Uint8Array.of(0x01, 0x01, 0xff);
      }
    }
    return wrap(t.tag, [content(bytes, t)]);
  }
  if (universal && STRING_TAGS.has(number)) {
    dev.add('a constructed (segmented) string');
    return wrap(t.tag & ~0x20, [number === 3 ? bitStringContent(bytes, t, depth) : stringContent(bytes, t, depth)]);
  }
  const children = childrenOf(bytes, t).map((c) => encode(bytes, c, depth + 1, dev));
  if (universal && number === 17) {
    const sorted = [...children].sort(compareDer);
    if (sorted.some((c, i) => c !== children[i])) dev.add('a SET OF not sorted');
    return wrap(t.tag, sorted);
  }
  return wrap(t.tag, children);
}

/** Definite and minimal, or which BER form was used instead. */
function noteLength(bytes: Uint8Array, t: Tlv, dev: Set<string>): void {
  const first = bytes[t.start + 1]!;
  if (first === 0x80) dev.add('indefinite lengths');
  else if (first > 0x80) {
    const minimal = encodeLength(t.contentEnd - t.contentStart).length - 1;
    if (t.contentStart - t.start - 2 !== minimal || bytes[t.start + 2] === 0) dev.add('non-minimal lengths');
  }
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

function wrap(tag: number, parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return new Uint8Array(Buffer.concat([Uint8Array.of(tag), encodeLength(length), ...parts]));
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
