// nameToString (a TLV walk) gives exactly @peculiar/x509's Name#toString() on awkward names: every string type of
// asn1-x509's AttributeValue CHOICE and those outside it (printed as #hex), RFC 4514 specials, leading and trailing
// spaces, line breaks, empty values, invalid UTF-8, UCS-2/UCS-4 text, unknown and odd OIDs, multi-valued RDNs, odd
// shapes, and random names. Bytes the library refuses are refused too (a TlvError), never another error.
import { describe, expect, it } from 'vitest';
import { nameToString } from '../../../core/asn1/names.js';
import { TlvError, oidTlv, tlv } from '../../../core/asn1/tlv.js';
import { referenceName } from './x509-reference.js';

const b = (...x: number[]) => Uint8Array.from(x);
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const ucs2 = (s: string) => new Uint8Array(Buffer.from(s, 'utf16le').swap16());
const ucs4 = (s: string) =>
  new Uint8Array([...s].flatMap((ch) => [...Buffer.from(ch.codePointAt(0)!.toString(16).padStart(8, '0'), 'hex')]));
const atv = (oid: string | Uint8Array, value: Uint8Array, tag = 0x30) =>
  tlv(tag, typeof oid === 'string' ? oidTlv(oid) : oid, value);
const rdn = (...atvs: Uint8Array[]) => tlv(0x31, ...atvs);
const name = (...rdns: Uint8Array[]) => tlv(0x30, ...rdns);
const cn = (value: Uint8Array) => name(rdn(atv('2.5.4.3', value)));

/** Ours and the library's answer: the text, or "refused" (ours must then be a TlvError). */
function both(der: Uint8Array): { ours: string; theirs: string } {
  let theirs: string;
  try {
    theirs = referenceName(der);
  } catch {
    theirs = 'refused';
  }
  let ours: string;
  try {
    ours = nameToString(der);
  } catch (err) {
    if (!(err instanceof TlvError)) throw err;
    ours = 'refused';
  }
  return { ours, theirs };
}

const VALUES: Record<string, Uint8Array> = {
  specials: tlv(0x0c, utf8('a,b+c"d\\e<f>g;h=i')),
  leadingHash: tlv(0x0c, utf8('#lead')),
  leadingSpace: tlv(0x13, utf8(' lead')),
  trailingSpace: tlv(0x0c, utf8('trail ')),
  oneSpace: tlv(0x0c, utf8(' ')),
  lineBreaks: tlv(0x0c, utf8('a\rb\tc\nd\ne')),
  empty: tlv(0x0c),
  emptyPrintable: tlv(0x13),
  emptyBmp: tlv(0x1e),
  emptyIa5: tlv(0x16),
  bom: tlv(0x0c, b(0xef, 0xbb, 0xbf, 0x41)),
  emoji: tlv(0x0c, utf8('Zürich 😀 Ελλάδα')),
  badUtf8: tlv(0x0c, b(0x41, 0xc3, 0x28)),
  surrogateUtf8: tlv(0x0c, b(0xed, 0xa0, 0x80)),
  overlongUtf8: tlv(0x0c, b(0xc0, 0x80)),
  beyondUnicode: tlv(0x0c, b(0xf4, 0x90, 0x80, 0x80)),
  teletexHigh: tlv(0x14, b(0x4d, 0xfc, 0x6e, 0x63, 0x68, 0x65, 0x6e, 0xa4)),
  printable: tlv(0x13, utf8("Acme (EU) Ltd. +-/:=?'")),
  ia5: tlv(0x16, utf8('x@example.eu')),
  bmp: tlv(0x1e, ucs2('Ærøskøbing ₿ 😀')),
  bmpOdd: tlv(0x1e, b(0x00, 0x41, 0x00)),
  universal: tlv(0x1c, ucs4('Aé€😀')),
  universalOdd: tlv(0x1c, b(0, 0, 0, 0x41, 0)),
  numeric: tlv(0x12, utf8('0123 456')),
  visible: tlv(0x1a, utf8('visible')),
  general: tlv(0x1b, utf8('general')),
  videotex: tlv(0x15, utf8('videotex')),
  graphic: tlv(0x19, utf8('graphic')),
  nullValue: b(0x05, 0x00),
  integer: b(0x02, 0x01, 0x05),
  octets: tlv(0x04, b(1, 2, 3)),
  sequence: tlv(0x30, tlv(0x0c, utf8('inner'))),
  context: tlv(0x80, utf8('ctx')),
  contextConstructed: tlv(0xa0, tlv(0x0c, utf8('ctx'))),
};

const TYPES: Record<string, string | Uint8Array> = {
  known: '2.5.4.10',
  email: '1.2.840.113549.1.9.1',
  unknown: '1.2.3.4.5.6',
  serialNumber: '2.5.4.5',
  bigArc: '2.999.1234567890123',
  hugeArc: b(0x06, 10, 0x2a, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x01),
  hugeFirstArc: b(0x06, 9, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x01),
  paddedArc: b(0x06, 4, 0x2a, 0x80, 0x80, 0x03),
  emptyOid: b(0x06, 0x00),
  truncatedOid: b(0x06, 2, 0x2a, 0x83),
};

describe('nameToString and @peculiar/x509', () => {
  it.each(Object.entries(VALUES))('a CN value: %s', (_, value) => {
    const r = both(cn(value));
    expect(r.ours).toBe(r.theirs);
  });

  it.each(Object.entries(TYPES))('an attribute type: %s', (_, type) => {
    const r = both(name(rdn(atv(type instanceof Uint8Array ? type : oidTlv(type), tlv(0x0c, utf8('v'))))));
    expect(r.ours).toBe(r.theirs);
  });

  it('the shapes: multi-valued RDNs, empty RDNs and names, context-tagged RDNs, extra fields, bad structure', () => {
    const v = tlv(0x0c, utf8('v'));
    const shapes = [
      name(rdn(atv('2.5.4.3', v), atv('2.5.4.11', tlv(0x13, utf8('unit'))), atv('1.2.3', v)), rdn(atv('2.5.4.6', v))),
      name(),
      name(rdn()),
      name(rdn(), rdn(atv('2.5.4.3', v))),
      name(tlv(0xa0, atv('2.5.4.3', v))),
      name(rdn(atv('2.5.4.3', v, 0xa1))),
      name(rdn(tlv(0x30, oidTlv('2.5.4.3'), v, tlv(0x02, b(1))))),
      name(rdn(tlv(0x30, oidTlv('2.5.4.3')))),
      name(rdn(tlv(0x30, v, v))),
      name(tlv(0x30, atv('2.5.4.3', v))),
      tlv(0x31, rdn(atv('2.5.4.3', v))),
      b(0x30, 0x05, 0x31, 0x03, 0x30, 0x01),
      b(0x30),
    ];
    for (const der of shapes) {
      const r = both(der);
      expect(r.ours, Buffer.from(der).toString('hex')).toBe(r.theirs);
    }
  });

  it('random names of random values, types and tags read alike', () => {
    let seed = 15;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const values = Object.values(VALUES);
    const types = Object.values(TYPES).filter((t) => typeof t === 'string') as string[];
    const tags = [0x0c, 0x13, 0x14, 0x16, 0x1e, 0x1c, 0x12, 0x1a, 0x04, 0x80];
    const differ: string[] = [];
    let read = 0;
    for (let i = 0; i < 400; i++) {
      const rdns = Array.from({ length: 1 + rand(4) }, () =>
        rdn(
          ...Array.from({ length: 1 + rand(2) }, () => {
            const value =
              rand(2) === 0
                ? values[rand(values.length)]!
                : tlv(
                    tags[rand(tags.length)]!,
                    Uint8Array.from({ length: rand(9) }, () => rand(256)),
                  );
            return atv(types[rand(types.length)]!, value);
          }),
        ),
      );
      const der = name(...rdns);
      const r = both(der);
      if (r.ours !== r.theirs) differ.push(`${Buffer.from(der).toString('hex')}: ${r.ours} != ${r.theirs}`);
      if (r.theirs !== 'refused') read++;
    }
    expect(differ).toEqual([]);
    expect(read).toBeGreaterThan(100); // most are names the library reads, not only refusals
  });
});
