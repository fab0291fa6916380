// Distinguished names as people read them (RFC 4514 order), with the exact text @peculiar/x509's `Name#toString()`
// gives, but read with the TLV walk (core/asn1/tlv.ts): loading and initialising @peculiar/x509 and its schema packages
// costs 25–40 ms per process, more than a seal's whole certificate work (issue 15, "A fast CLI"). The text must not
// change: names are compared (sameName), shown and stored as that library wrote them. test/unit/asn1 checks the
// equivalence on thousands of real names. The same TSA names itself in every token: each distinct DER is read once.
import { bytesEqual } from './bytes.js';
import { TLV_LIMITS, TlvError, checkShape, childrenOf, content, rootOf, slice, type Tlv } from './tlv.js';

const cache = new Map<string, string>();
const CACHE_MAX = 256;

/** The Name's text; throws TlvError on bytes that are not a Name. */
export function nameToString(der: Uint8Array): string {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  let name = cache.get(key);
  if (name === undefined) {
    name = renderName(der, rootOf(der));
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, name);
  }
  return name;
}

/** Two encoded Names for the same entity: the same bytes, or (string types and case can differ) the same RFC 4514 text. */
export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  if (bytesEqual(a, b)) return true;
  try {
    return nameToString(a) === nameToString(b);
  } catch {
    return false;
  }
}

/** The short names @peculiar/x509 prints (its `names` table); any other type prints as its dotted OID. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
};

/** A SEQUENCE (or, as asn1-schema also takes, a constructed context-tagged value) / a SET likewise. */
const isSequenceLike = (t: Tlv) => t.tag === 0x30 || (t.tag & 0xe0) === 0xa0;
const isSetLike = (t: Tlv) => t.tag === 0x31 || (t.tag & 0xe0) === 0xa0;

/** RDNs joined ", " in encoded order, the values of a multi-valued RDN joined "+". */
export function renderName(der: Uint8Array, name: Tlv): string {
  if (!isSequenceLike(name)) throw new TlvError('a Name is not a SEQUENCE');
  return childrenOf(der, name)
    .map((rdn) => {
      if (!isSetLike(rdn)) throw new TlvError('a RelativeDistinguishedName is not a SET');
      return childrenOf(der, rdn)
        .map((atv) => attribute(der, atv))
        .join('+');
    })
    .join(', ');
}

function attribute(der: Uint8Array, atv: Tlv): string {
  if (!isSequenceLike(atv)) throw new TlvError('an AttributeTypeAndValue is not a SEQUENCE');
  const [type, value] = childrenOf(der, atv); // asn1-schema ignores fields past the two it knows
  if (type?.tag !== 0x06 || !value) throw new TlvError('an AttributeTypeAndValue lacks its type or value');
  const oid = asn1jsOid(content(der, type));
  return `${SHORT_NAMES[oid] ?? oid}=${valueText(der, value)}`;
}

/** The CHOICE of asn1-x509's AttributeValue, in its order; anything else is `#` and the hex of the whole value. */
function valueText(der: Uint8Array, t: Tlv): string {
  const c = content(der, t);
  switch (t.tag) {
    case 0x13: // PrintableString
    case 0x14: // TeletexString
    case 0x16: // IA5String: asn1js reads each of the three a byte per character
      return escape(Buffer.from(c).toString('latin1'));
    case 0x0c:
      return escape(utf8(c));
    case 0x1e:
      return escape(bmp(c));
    case 0x1c:
      return escape(universal(c));
    case 0x05: // asn1-schema turns a NULL "any" into null, which prints as nothing
      return '';
    default:
      if ((t.tag & 0x20) !== 0) checkShape(der, t, { maxNodes: TLV_LIMITS.children, maxDepth: TLV_LIMITS.depth });
      return `#${Buffer.from(slice(der, t)).toString('hex')}`;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** asn1js: decodeURIComponent(escape(bytes)), and on invalid UTF-8 the bytes one per character. */
function utf8(c: Uint8Array): string {
  try {
    return strictUtf8.decode(c);
  } catch {
    return Buffer.from(c).toString('latin1');
  }
}

/** UCS-2 big-endian code units; an odd length fails in asn1js too. */
function bmp(c: Uint8Array): string {
  if (c.length % 2 !== 0) throw new TlvError('a BMPString of an odd length');
  let s = '';
  for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
  return s;
}

/** UCS-4 big-endian, of which asn1js keeps the low 16 bits of each character; a length not a multiple of 4 fails. */
function universal(c: Uint8Array): string {
  if (c.length % 4 !== 0) throw new TlvError('a UniversalString of a length not a multiple of 4');
  let s = '';
  for (let i = 0; i < c.length; i += 4) s += String.fromCharCode((c[i + 2]! << 8) | c[i + 3]!);
  return s;
}

/** @peculiar/x509's `escape`: RFC 4514 specials, a leading space or #, a trailing space, the first CR/LF/TAB. */
function escape(s: string): string {
  return s
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (ch) => `\\${Buffer.from(ch, 'utf8').toString('hex').toUpperCase()}`);
}

/**
 * An OBJECT IDENTIFIER as asn1js writes it: each arc of up to 8 bytes as a number (summed as asn1js does), a longer
 * one as `{hex}` of its 7-bit groups; an empty OID is "". A last byte with its high bit set is refused.
 */
export function asn1jsOid(c: Uint8Array): string {
  if (c.length > 0 && (c[c.length - 1]! & 0x80) !== 0) throw new TlvError('a truncated OBJECT IDENTIFIER');
  let out = '';
  for (let pos = 0, first = true; pos < c.length; first = false) {
    let end = pos;
    while ((c[end]! & 0x80) !== 0) end++;
    const groups = Array.from(c.subarray(pos, end + 1), (b) => b & 0x7f);
    pos = end + 1;
    if (!first) out += '.';
    if (groups.length > 8) {
      const hex = `{${Buffer.from(groups).toString('hex')}}`;
      out = first ? `2.{${hex} - 80}` : out + hex;
      continue;
    }
    let v = groups.length === 1 ? groups[0]! : 0;
    if (groups.length > 1)
      for (let i = groups.length - 1; i >= 0; i--) v += groups[groups.length - 1 - i]! * 2 ** (7 * i);
    if (first) out += v <= 39 ? `0.${v}` : v <= 79 ? `1.${v - 40}` : `2.${v - 80}`;
    else out += String(v);
  }
  return out;
}
