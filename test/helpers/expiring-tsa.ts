// A TSA certificate that expires a few days from now (the real clock), issued by the test root: the stamps its TSA
// makes come due for restamping in any window longer than that.
import { x509 } from '../../core/asn1/x509.js';
import { issueCertificate, type TestCert, type TestPki } from './pki.js';

export async function expiringTsaCert(
  pki: TestPki,
  o: { days: number; cn?: string; name?: string },
): Promise<TestCert> {
  const now = Date.now();
  return issueCertificate(pki.root, pki.dir, {
    name: o.name ?? 'tsaExpiring',
    cn: o.cn ?? 'Sealdesk Test TSA Expiring',
    serial: `7${Math.floor(Math.random() * 0xffffff).toString(16)}`,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + o.days * 86_400_000),
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true)],
  });
}

/** The same PKI with `tsa` replaced: startTsa({ pki: withTsa(pki, cert) }) signs with `cert`. */
export const withTsa = (pki: TestPki, tsa: TestCert): TestPki => ({ ...pki, tsa });
