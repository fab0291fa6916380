// Caps before asn1js/pkijs see a CMS (issue 14): a hostile SignedData is refused as RESOURCE_LIMIT, quickly, while
// real signatures (the corpus) read as before.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { oidTlv, tlv } from '../../../core/asn1/tlv.js';
import { CMS_LIMITS, parseSignedData } from '../../../core/cms/parse.js';
import { CoreError } from '../../../core/errors.js';

const corpus = fileURLToPath(new URL('../../../../shared/corpus/cms', import.meta.url));

/** ContentInfo(SignedData) with the given certificates and one SignerInfo-shaped value around `signerInfo`. */
function signedData(o: { certificates?: Uint8Array[]; eContent?: Uint8Array; signerInfo?: Uint8Array }): Uint8Array {
  const encap = tlv(0x30, oidTlv('1.2.840.113549.1.7.1'), ...(o.eContent ? [tlv(0xa0, tlv(0x04, o.eContent))] : []));
  const certificates = o.certificates ? [tlv(0xa0, ...o.certificates)] : [];
  const signerInfos = tlv(0x31, ...(o.signerInfo ? [o.signerInfo] : []));
  const sd = tlv(0x30, tlv(0x02, Uint8Array.of(1)), tlv(0x31), encap, ...certificates, signerInfos);
  return tlv(0x30, oidTlv('1.2.840.113549.1.7.2'), tlv(0xa0, sd));
}

const nulls = (n: number) =>
  tlv(
    0x30,
    new Uint8Array(n * 2).map((_, i) => (i % 2 === 0 ? 0x05 : 0x00)),
  );
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return 'parsed';
  } catch (err) {
    if (err instanceof CoreError) return err.code;
    throw err;
  }
};

describe('parseSignedData caps', () => {
  it('a small hand-made SignedData parses (the shape below is right)', () => {
    expect(parseSignedData(signedData({ eContent: Uint8Array.of(1, 2) })).signedData.version).toBe(1);
  });

  it(`more than ${CMS_LIMITS.pkijsNodes} values outside the certificates: RESOURCE_LIMIT before asn1js`, () => {
    expect(codeOf(() => parseSignedData(signedData({ signerInfo: nulls(CMS_LIMITS.pkijsNodes + 1) })))).toBe(
      'RESOURCE_LIMIT',
    );
  });

  it('values inside a primitive OCTET STRING are not parsed as ASN.1 (asn1js would by default): the content is read', () => {
    const eContent = nulls(CMS_LIMITS.pkijsNodes + 1);
    const p = parseSignedData(signedData({ eContent }));
    expect(Buffer.from(p.signedData.encapContentInfo.eContent!.valueBlock.valueHexView).equals(eContent)).toBe(true);
  });

  it(`more than ${CMS_LIMITS.certificates} certificates: RESOURCE_LIMIT`, () => {
    const junk = Array.from({ length: CMS_LIMITS.certificates + 1 }, () => tlv(0x30, tlv(0x30)));
    expect(codeOf(() => parseSignedData(signedData({ certificates: junk })))).toBe('RESOURCE_LIMIT');
  });

  it('malformed certificates and revocation sets are CMS_MALFORMED, never an internal error', () => {
    const broken = signedData({ certificates: [Uint8Array.of(0x30, 0x05, 0x01)] }); // a length past its container
    expect(codeOf(() => parseSignedData(broken))).toBe('CMS_MALFORMED');
  });

  it.skipIf(!existsSync(corpus))('the corpus signatures still parse, with their certificates', () => {
    const p = parseSignedData(new Uint8Array(readFileSync(join(corpus, 'dss_cades-c_qes-detached.p7s'))));
    expect(p.certificateDers.length).toBeGreaterThan(0);
    expect(p.signedData.signerInfos).toHaveLength(1);
  });
});
