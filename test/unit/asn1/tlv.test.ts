// The TLV walk the token decoder and the signer match stand on: exact offsets, BER indefinite lengths, and a clear
// complaint (TlvError) for every malformed input rather than a wrong answer.
import { describe, expect, it } from 'vitest';
import {
  TLV_LIMITS,
  TlvError,
  TlvLimitError,
  bitSet,
  bitString,
  checkShape,
  childrenOf,
  content,
  generalizedTime,
  octets,
  oidOf,
  readTlv,
  rootOf,
  slice,
  smallInteger,
  tlv,
} from '../../../core/asn1/tlv.js';

const hex = (h: string) => new Uint8Array(Buffer.from(h.replace(/\s/g, ''), 'hex'));

describe('TLV reader', () => {
  it('reads definite lengths (short and long form) with exact offsets', () => {
    const long = new Uint8Array([0x04, 0x81, 0x80, ...new Uint8Array(128).fill(7)]);
    const t = rootOf(long);
    expect(t).toEqual({ tag: 0x04, start: 0, contentStart: 3, contentEnd: 131, end: 131 });
    const seq = hex('30 06 02 01 05 06 01 2a');
    const [n, oid] = childrenOf(seq, rootOf(seq));
    expect(smallInteger(seq, n!)).toBe(5);
    expect(oidOf(seq, oid!)).toBe('1.2');
    expect(slice(seq, oid!)).toEqual(hex('06 01 2a'));
  });

  it('reads BER indefinite lengths, nested, and constructed OCTET STRINGs', () => {
    // SEQUENCE (indefinite) { OCTET STRING constructed (indefinite) { 'ab', 'cd' }, INTEGER 1 }
    const ber = hex('30 80 24 80 04 01 ab 04 01 cd 00 00 02 01 01 00 00');
    const root = rootOf(ber);
    expect(root.end).toBe(ber.length);
    expect(root.contentEnd).toBe(ber.length - 2);
    const [str, int] = childrenOf(ber, root);
    expect(octets(ber, str!)).toEqual(hex('ab cd'));
    expect(smallInteger(ber, int!)).toBe(1);
  });

  it.each([
    ['truncated header', '30'],
    ['content past the end', '04 05 01 02'],
    ['bytes after the value', '05 00 00'],
    ['indefinite length without end-of-contents', '30 80 05 00'],
    ['indefinite length on a primitive', '04 80 00 00'],
    ['a high tag number', '1f 81 00 00'],
    ['a five-byte length', '04 85 00 00 00 00 01'],
  ])('refuses %s', (_why, bytes) => {
    expect(() => rootOf(hex(bytes))).toThrow(TlvError);
  });

  it('reads GeneralizedTime with fractions, and refuses impossible or local times', () => {
    const t = (s: string) => {
      const b = new Uint8Array([0x18, s.length, ...Buffer.from(s, 'latin1')]);
      return generalizedTime(b, readTlv(b, 0));
    };
    expect(t('20261201203015.25Z').toISOString()).toBe('2026-12-01T20:30:15.250Z');
    expect(t('20240229000000Z').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(() => t('20250229000000Z')).toThrow(TlvError);
    expect(() => t('20261201203015+0100')).toThrow(TlvError);
    expect(() => t('20261201246015Z')).toThrow(TlvError);
  });

  it('refuses an OCTET STRING nested deeper than any real one (no stack overflow)', () => {
    let v = Uint8Array.of(0x04, 0x01, 0xab);
    for (let i = 0; i < 100; i++)
      v = new Uint8Array([0x24, ...(v.length < 0x80 ? [v.length] : [0x81, v.length]), ...v]);
    expect(() => octets(v, rootOf(v))).toThrow(/nested too deeply/);
  });

  it('content() of a primitive is its value bytes', () => {
    const b = hex('04 03 01 02 03');
    expect(content(b, rootOf(b))).toEqual(hex('01 02 03'));
  });
});

describe('TLV reader caps (issue 14)', () => {
  it('refuses end-of-contents octets that lie past the container', () => {
    // SEQUENCE (4 bytes) { indefinite SEQUENCE { NULL } whose 00 00 are the bytes after the outer value }
    const b = hex('30 04 30 80 05 00 00 00');
    const outer = readTlv(b, 0);
    expect(outer.end).toBe(6);
    expect(() => childrenOf(b, outer)).toThrow(TlvError);
  });

  it('refuses indefinite lengths nested past 64 levels as a limit, quickly and without a stack overflow', () => {
    const deep = new Uint8Array([
      ...Array.from({ length: 10_000 }, () => [0x30, 0x80]).flat(),
      ...new Uint8Array(20_000),
    ]);
    expect(() => rootOf(deep)).toThrow(TlvLimitError);
  });

  it('childrenOf refuses more elements than its cap (default 65,536) as a limit', () => {
    const nulls = (n: number) => tlv(0x30, ...Array.from({ length: n }, () => Uint8Array.of(0x05, 0x00)));
    expect(childrenOf(nulls(4), rootOf(nulls(4)), 4)).toHaveLength(4);
    expect(() => childrenOf(nulls(5), rootOf(nulls(5)), 4)).toThrow(TlvLimitError);
    const many = nulls(TLV_LIMITS.children + 1);
    expect(() => childrenOf(many, rootOf(many))).toThrow(/more than 65536 elements/);
  });

  it('bitString reads short BIT STRINGs and refuses long or malformed ones before reading a bit', () => {
    const ku = hex('03 02 01 86'); // KeyUsage digitalSignature, keyCertSign, cRLSign (bits 0, 5, 6)
    const b = bitString(ku, rootOf(ku), 2);
    expect([0, 1, 5, 6, 7].map((n) => bitSet(b, n))).toEqual([true, false, true, true, false]);
    const long = tlv(0x03, new Uint8Array(1 << 20));
    expect(() => bitString(long, rootOf(long), 8)).toThrow(/1048575 bytes where at most 8/);
    expect(() => bitString(hex('03 02 08 00'), rootOf(hex('03 02 08 00')), 2)).toThrow(TlvError);
    expect(() => bitString(hex('03 00'), rootOf(hex('03 00')), 2)).toThrow(TlvError);
  });

  it('checkShape counts values and nesting without recursion, and refuses past its caps', () => {
    const seq = hex('30 09 30 03 02 01 01 05 00 05 00');
    expect(checkShape(seq, rootOf(seq), { maxNodes: 10, maxDepth: 4 })).toBe(5);
    expect(() => checkShape(seq, rootOf(seq), { maxNodes: 4, maxDepth: 4 })).toThrow(TlvLimitError);
    let deep: Uint8Array = hex('05 00');
    for (let i = 0; i < 2000; i++) deep = tlv(0x30, deep);
    expect(() => checkShape(deep, rootOf(deep), { maxNodes: 1e6, maxDepth: 100 })).toThrow(/nested too deeply/);
  });
});
