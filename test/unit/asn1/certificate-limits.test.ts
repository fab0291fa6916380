// A "certificate" past MAX_CERTIFICATE_BYTES is refused before any parser sees it: RESOURCE_LIMIT from the
// certificate readers, TlvLimitError from the TLV one; small garbage stays CERT_MALFORMED (issue 14).
import { describe, expect, it } from 'vitest';
import { MAX_CERTIFICATE_BYTES, certificateParts } from '../../../core/asn1/cert-der.js';
import { certificateFacts, keyUsageNames } from '../../../core/asn1/certificate.js';
import { certificatePolicies } from '../../../core/asn1/policies.js';
import { qcStatements } from '../../../core/asn1/qc.js';
import { revocationSources } from '../../../core/revocation/sources.js';
import { parsedCertificate } from '../../../core/asn1/x509-certificate.js';
import { TlvLimitError, tlv } from '../../../core/asn1/tlv.js';
import { CoreError } from '../../../core/errors.js';

const huge = tlv(0x30, tlv(0x30, new Uint8Array(MAX_CERTIFICATE_BYTES)), tlv(0x30), tlv(0x03, Uint8Array.of(0)));
const codeOf = (f: () => unknown) => {
  try {
    f();
    return 'read';
  } catch (err) {
    return err instanceof CoreError ? err.code : (err as Error).name;
  }
};

describe('certificate size cap', () => {
  it('refuses an oversized certificate in every reader before parsing it', () => {
    expect(codeOf(() => certificateFacts(huge))).toBe('RESOURCE_LIMIT');
    expect(codeOf(() => parsedCertificate(huge))).toBe('RESOURCE_LIMIT');
    for (const read of [keyUsageNames, revocationSources, certificatePolicies])
      expect(codeOf(() => read(huge))).toBe('RESOURCE_LIMIT');
    expect(qcStatements(huge)).toBeNull(); // as always: QC statements that cannot be read claim nothing
    expect(() => certificateParts(huge)).toThrow(TlvLimitError);
  });

  it('a certificate within the size cap but with more extensions than a list may hold is RESOURCE_LIMIT', () => {
    const many = new Uint8Array(2 * 65_537).fill(0).map((_, i) => (i % 2 === 0 ? 0x30 : 0));
    const tbs = tlv(
      0x30,
      tlv(0xa0, tlv(0x02, Uint8Array.of(2))),
      tlv(0x02, Uint8Array.of(1)),
      tlv(0x30),
      tlv(0x30),
      tlv(
        0x30,
        tlv(0x17, new TextEncoder().encode('250101000000Z')),
        tlv(0x17, new TextEncoder().encode('350101000000Z')),
      ),
      tlv(0x30),
      tlv(0x30),
      tlv(0xa3, tlv(0x30, many)),
    );
    const cert = tlv(0x30, tbs, tlv(0x30), tlv(0x03, Uint8Array.of(0)));
    expect(codeOf(() => certificateFacts(cert))).toBe('RESOURCE_LIMIT');
    expect(codeOf(() => keyUsageNames(cert))).toBe('RESOURCE_LIMIT');
  });

  it('small bytes that are no certificate stay CERT_MALFORMED', () => {
    expect(codeOf(() => certificateFacts(tlv(0x30, tlv(0x30), tlv(0x30))))).toBe('CERT_MALFORMED');
  });
});
