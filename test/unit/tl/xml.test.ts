// Safe reading of trusted-list XML (core/tl/xml.ts): DOCTYPE and entity declarations (XXE, billion laughs) are refused
// before parsing, caps on bytes, depth and element count end in RESOURCE_LIMIT, and malformed XML in TL_MALFORMED.
import { describe, expect, it } from 'vitest';
import { CoreError } from '../../../core/errors.js';
import { NS, child, childrenNamed, parseXml, textOf, tslPath } from '../../../core/tl/xml.js';

const enc = (s: string) => Buffer.from(s, 'utf8');

/** The code of the CoreError `fn` throws (the test fails when it throws nothing or something else). */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError);
    return (err as CoreError).code;
  }
  throw new Error('expected a CoreError');
}

const LIST = `<?xml version="1.0" encoding="UTF-8"?>
<tsl:TrustServiceStatusList xmlns:tsl="${NS.tsl}" xmlns:other="urn:x">
  <tsl:SchemeInformation><tsl:SchemeTerritory> EE </tsl:SchemeTerritory>
  <other:SchemeTerritory>XX</other:SchemeTerritory>
  <NextUpdate xmlns="${NS.tsl}"><dateTime>2030-01-01T00:00:00Z</dateTime></NextUpdate></tsl:SchemeInformation>
</tsl:TrustServiceStatusList>`;

describe('parseXml', () => {
  it('reads a list by namespace URI, whatever the prefixes', () => {
    const root = parseXml(enc(LIST)).documentElement!;
    const info = child(root, NS.tsl, 'SchemeInformation');
    expect(childrenNamed(info!, NS.tsl, 'SchemeTerritory').map(textOf)).toEqual(['EE']);
    expect(textOf(tslPath(root, 'SchemeInformation', 'NextUpdate', 'dateTime'))).toBe('2030-01-01T00:00:00Z');
    expect(tslPath(root, 'SchemeInformation', 'Missing', 'dateTime')).toBeNull();
    expect(textOf(null)).toBe('');
  });

  it('refuses a billion-laughs entity bomb, an external entity (XXE) and any DOCTYPE before parsing', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">' +
      ']><lolz>&lol2;</lolz>';
    const xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>';
    const bare = '<!doctype TrustServiceStatusList SYSTEM "http://127.0.0.1:1/tsl.dtd"><TrustServiceStatusList/>';
    for (const xml of [laughs, xxe, bare]) expect(codeOf(() => parseXml(enc(xml)))).toBe('TL_MALFORMED');
    expect(() => parseXml(enc(xxe))).toThrow(/DOCTYPE or entities/);
  });

  it('refuses bytes that are not UTF-8 and XML that is not well-formed', () => {
    expect(codeOf(() => parseXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e])))).toBe(
      'TL_MALFORMED',
    );
    for (const bad of ['<a><b></a>', '<a', '', 'not xml', '<a></a><b></b>', '<a x="1" x="2"/>']) {
      expect(codeOf(() => parseXml(enc(bad)))).toBe('TL_MALFORMED');
    }
  });

  it('stops at the byte cap before decoding', () => {
    expect(codeOf(() => parseXml(enc(LIST), { maxBytes: 100 }))).toBe('RESOURCE_LIMIT');
    expect(() => parseXml(enc(LIST), { maxBytes: 100 })).toThrow(/more than the 100 read/);
  });

  it('stops at the depth cap, even for a nesting far deeper than any parser stack', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXml(enc(deep(64))).documentElement!.localName).toBe('a');
    expect(codeOf(() => parseXml(enc(deep(65))))).toBe('RESOURCE_LIMIT');
    expect(() => parseXml(enc(deep(200_000)))).toThrow(/deeper than 64 levels/);
    expect(codeOf(() => parseXml(enc(deep(5)), { maxDepth: 4 }))).toBe('RESOURCE_LIMIT');
  });

  it('stops at the element-count cap; self-closed elements count, comments, CDATA and attribute text do not', () => {
    const flat = (n: number) => `<r>${'<e/>'.repeat(n - 1)}</r>`;
    expect(parseXml(enc(flat(1000)), { maxElements: 1000 }).documentElement!.childNodes.length).toBe(999);
    expect(codeOf(() => parseXml(enc(flat(1001)), { maxElements: 1000 }))).toBe('RESOURCE_LIMIT');
    const tricky = `<r a="&lt;b>" b='/>>'><!-- <c><c><c> --><![CDATA[<d><d>]]><?pi <e>?></r>`;
    expect(parseXml(enc(tricky), { maxElements: 1, maxDepth: 1 }).documentElement!.getAttribute('b')).toBe('/>>');
    expect(() => parseXml(enc('<a><b></a>'))).toThrow(/^the list is not well-formed XML: .*b/);
  });
});
