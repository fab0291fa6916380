// A certificate's policy identifiers (RFC 5280 §4.2.1.4), which the trusted-list assessment matches against the
// QCP / QNCP policies (core/tl). Read with the TLV walk, in the form @peculiar/x509 gave them (asn1js's OID text), so
// a trusted-list verification does not load that library either (issue 15).
import { extensionOf } from './cert-fields.js';
import { readCertificate, rootOfTag } from './certificate.js';
import { asn1jsOid } from './names.js';
import { TlvError, childrenOf, content } from './tlv.js';

const CERTIFICATE_POLICIES = '2.5.29.32';

/** certificatePolicies ::= SEQUENCE OF PolicyInformation { policyIdentifier OID, policyQualifiers OPTIONAL }. */
export function certificatePolicies(der: Uint8Array): string[] {
  return readCertificate(der, () => {
    const ext = extensionOf(der, CERTIFICATE_POLICIES);
    if (!ext) return [];
    const v = ext.value;
    return childrenOf(v, rootOfTag(v, 0x30)).map((info) => {
      const id = info.tag === 0x30 ? childrenOf(v, info)[0] : undefined;
      if (id?.tag !== 0x06) throw new TlvError('a PolicyInformation without its policy identifier');
      return asn1jsOid(content(v, id));
    });
  });
}
