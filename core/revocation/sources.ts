// Where a certificate says its revocation status is published (RFC 5280 §4.2.2.1 AIA id-ad-ocsp, §4.2.1.13 CRL DPs).
// Read with the TLV walk (core/asn1/cert-fields.ts): the verifier asks this of every certificate in a chain, and
// loading @peculiar/x509 for it costs more than the whole walk (issue 15).
import { extensionOf } from '../asn1/cert-fields.js';
import { readCertificate } from '../asn1/certificate.js';
import { TlvError, childrenOf, content, oidOf, rootOf, type Tlv } from '../asn1/tlv.js';

export type RevocationSources = { readonly ocsp: readonly string[]; readonly crl: readonly string[] };

const AIA = '1.3.6.1.5.5.7.1.1';
const CRL_DP = '2.5.29.31';
const AD_OCSP = '1.3.6.1.5.5.7.48.1';
/** GeneralName's uniformResourceIdentifier [6] IA5String (RFC 5280 §4.2.1.6), IMPLICIT: a primitive [6]. */
const URI = 0x86;

const httpOnly = (urls: string[]) => urls.filter((u) => /^https?:\/\//i.test(u));

/** The http(s) OCSP and CRL URLs the certificate names; CERT_MALFORMED / RESOURCE_LIMIT for bytes that are no certificate. */
export function revocationSources(der: Uint8Array): RevocationSources {
  return readCertificate(der, () => {
    const aia = extensionOf(der, AIA);
    const cdp = extensionOf(der, CRL_DP);
    return { ocsp: httpOnly(aia ? ocspUrls(aia.value) : []), crl: httpOnly(cdp ? crlUrls(cdp.value) : []) };
  });
}

const sequence = (v: Uint8Array, t: Tlv | undefined, what: string): Tlv => {
  if (t?.tag !== 0x30) throw new TlvError(`${what} is not a SEQUENCE`);
  return t;
};
const uri = (v: Uint8Array, t: Tlv): string => Buffer.from(content(v, t)).toString('latin1');

/** AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription { accessMethod OID, accessLocation GeneralName }. */
function ocspUrls(v: Uint8Array): string[] {
  return childrenOf(v, sequence(v, rootOf(v), 'AuthorityInfoAccess')).flatMap((ad) => {
    const [method, location] = childrenOf(v, sequence(v, ad, 'an AccessDescription'));
    if (method?.tag !== 0x06 || !location) throw new TlvError('an AccessDescription lacks its fields');
    return oidOf(v, method) === AD_OCSP && location.tag === URI ? [uri(v, location)] : [];
  });
}

/** CRLDistributionPoints ::= SEQUENCE OF DistributionPoint { [0] distributionPoint { [0] fullName GeneralNames } }. */
function crlUrls(v: Uint8Array): string[] {
  return childrenOf(v, sequence(v, rootOf(v), 'CRLDistributionPoints')).flatMap((dp) => {
    const name = childrenOf(v, sequence(v, dp, 'a DistributionPoint')).find((t) => t.tag === 0xa0);
    const fullName = name ? childrenOf(v, name).find((t) => t.tag === 0xa0) : undefined;
    return fullName ? childrenOf(v, fullName).flatMap((g) => (g.tag === URI ? [uri(v, g)] : [])) : [];
  });
}
