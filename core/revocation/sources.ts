// Where a certificate says its revocation status is published (RFC 5280 §4.2.2.1 AIA id-ad-ocsp, §4.2.1.13 CRL DPs).
import { x509 } from '../asn1/x509.js';
import { parsedCertificate } from '../asn1/certificate.js';

export type RevocationSources = { readonly ocsp: readonly string[]; readonly crl: readonly string[] };

const httpOnly = (urls: string[]) => urls.filter((u) => /^https?:\/\//i.test(u));

export function revocationSources(der: Uint8Array): RevocationSources {
  const cert = parsedCertificate(der);
  const aia = cert.getExtension(x509.AuthorityInfoAccessExtension);
  const cdp = cert.getExtension(x509.CRLDistributionPointsExtension);
  const ocsp = (aia?.ocsp ?? []).filter((g) => g.type === 'url').map((g) => g.value);
  const crl = (cdp?.distributionPoints ?? []).flatMap((dp) =>
    (dp.distributionPoint?.fullName ?? []).flatMap((n) =>
      n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [],
    ),
  );
  return { ocsp: httpOnly(ocsp), crl: httpOnly(crl) };
}
