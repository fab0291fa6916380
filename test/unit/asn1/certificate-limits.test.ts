// A "certificate" past MAX_CERTIFICATE_BYTES is refused before any parser sees it: RESOURCE_LIMIT from the
// @peculiar/x509 readers, TlvLimitError from the TLV one; small garbage stays CERT_MALFORMED (issue 14).
import { describe, expect, it } from 'vitest';
import { MAX_CERTIFICATE_BYTES, certificateParts } from '../../../core/asn1/cert-der.js';
import { certificateFacts } from '../../../core/asn1/certificate.js';
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
    expect(() => certificateParts(huge)).toThrow(TlvLimitError);
  });

  it('small bytes that are no certificate stay CERT_MALFORMED', () => {
    expect(codeOf(() => certificateFacts(tlv(0x30, tlv(0x30), tlv(0x30))))).toBe('CERT_MALFORMED');
  });
});
