// X.690 DER re-encoding of BER signed attributes: what each BER form becomes, and that OpenSSL reads the same value.
import { describe, expect, it } from 'vitest';
import { TlvError, oidTlv, tlv } from '../../../core/asn1/tlv.js';
import { derReencode } from '../../../core/cms/der-reencode.js';
import { openssl } from '../../helpers/openssl.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const octet = (s: string) => tlv(0x04, Buffer.from(s));
const attr = (oid: string, ...values: Uint8Array[]) => tlv(0x30, oidTlv(oid), tlv(0x31, ...values));
const md = attr('1.2.840.113549.1.9.4', octet('digest'));
const ct = attr('1.2.840.113549.1.9.3', oidTlv('1.2.840.113549.1.7.1'));

describe('derReencode', () => {
  it('leaves DER as it is and reports nothing', () => {
    const der = tlv(0x31, md, ct); // 30 15 … before 30 18 …: the lengths are part of the encodings compared
    expect(derReencode(der)).toEqual({ der, deviations: [] });
  });

  it('sorts a SET OF by its encodings (X.690 §11.6), at every depth', () => {
    const inner = tlv(0x31, tlv(0x02, Uint8Array.of(5)), tlv(0x02, Uint8Array.of(1)));
    const r = derReencode(tlv(0x31, ct, attr('2.5.4.3', inner), md));
    const sortedInner = tlv(0x31, tlv(0x02, Uint8Array.of(1)), tlv(0x02, Uint8Array.of(5)));
    expect(hex(r.der)).toBe(hex(tlv(0x31, attr('2.5.4.3', sortedInner), md, ct)));
    expect(r.deviations).toEqual(['a SET OF not sorted']);
  });

  it('indefinite and non-minimal lengths, segmented strings and a BOOLEAN TRUE other than 0xFF become DER', () => {
    const indefinite = Uint8Array.of(0x31, 0x80, ...ct, 0x00, 0x00);
    expect(derReencode(indefinite)).toEqual({ der: tlv(0x31, ct), deviations: ['indefinite lengths'] });
    const long = Uint8Array.of(0x04, 0x81, 0x02, 0x61, 0x62);
    expect(derReencode(long)).toEqual({ der: octet('ab'), deviations: ['non-minimal lengths'] });
    const segmented = Uint8Array.of(0x24, 0x80, 0x04, 0x01, 0x61, 0x04, 0x01, 0x62, 0x00, 0x00);
    expect(derReencode(segmented)).toEqual({
      der: octet('ab'),
      deviations: ['indefinite lengths', 'a constructed (segmented) string'],
    });
    const bits = Uint8Array.of(0x23, 0x08, 0x03, 0x02, 0x00, 0xaa, 0x03, 0x02, 0x04, 0xf0);
    expect(hex(derReencode(bits).der)).toBe('030304aaf0');
    expect(derReencode(Uint8Array.of(0x01, 0x01, 0x01))).toEqual({
      der: Uint8Array.of(0x01, 0x01, 0xff),
      deviations: ['a BOOLEAN TRUE not encoded as 0xFF'],
    });
  });

  it('OpenSSL reads the BER input and the DER output as the same value', async () => {
    const ber = Uint8Array.of(
      0x31,
      0x80,
      ...md,
      0x30,
      0x80,
      ...oidTlv('1.2.840.113549.1.9.3'),
      0x31,
      0x80,
      ...oidTlv('1.2.840.113549.1.7.1'),
      0,
      0,
      0,
      0,
      0,
      0,
    );
    const { der } = derReencode(ber);
    const parse = async (b: Uint8Array) =>
      (await openssl(['asn1parse', '-inform', 'DER', '-i'], { input: b })).stdout.replace(
        /^\s*\d+:d=\d+\s+hl=\d+ l=\s*(\d+|inf)\s+/gm,
        '',
      );
    expect(await parse(der)).toBe((await parse(ber)).replace(/\n.*EOC.*$/gm, ''));
  });

  it('refuses what is not one well-formed value (TlvError), and nesting past 64 levels', () => {
    expect(() => derReencode(Uint8Array.of(0x31, 0x05, 0x04))).toThrow(TlvError);
    expect(() => derReencode(Uint8Array.of(0x04, 0x00, 0x00))).toThrow(TlvError);
    let deep = octet('x');
    for (let i = 0; i < 70; i++) deep = tlv(0x30, deep);
    expect(() => derReencode(deep)).toThrow(/nested too deeply/);
  });
});
