// The TLV walk the token decoder and the signer match stand on: exact offsets, BER indefinite lengths, and a clear
// complaint (TlvError) for every malformed input rather than a wrong answer.
import { describe, expect, it } from 'vitest';
import { TlvError, childrenOf, content, generalizedTime, octets, oidOf, readTlv, rootOf, slice, smallInteger } from '../../../core/asn1/tlv.js';

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
    for (let i = 0; i < 100; i++) v = new Uint8Array([0x24, ...(v.length < 0x80 ? [v.length] : [0x81, v.length]), ...v]);
    expect(() => octets(v, rootOf(v))).toThrow(/nested too deeply/);
  });

  it('content() of a primitive is its value bytes', () => {
    const b = hex('04 03 01 02 03');
    expect(content(b, rootOf(b))).toEqual(hex('01 02 03'));
  });
});
