// A TSA certificate that expires a few days from now (the real clock), issued by the test root: the stamps its TSA
// makes come due for restamping in any window longer than that.
import { webcrypto } from 'node:crypto';
import { x509 } from '../../core/asn1/x509.js';
import { saveTestCert, type TestCert, type TestPki } from './pki.js';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export async function expiringTsaCert(pki: TestPki, o: { days: number; cn?: string; name?: string }): Promise<TestCert> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: `7${Math.floor(Math.random() * 0xffffff).toString(16)}`, subject: `CN=${o.cn ?? 'Sealdesk Test TSA Expiring'}, O=Sealdesk Tests, C=NO`, issuer: new x509.X509Certificate(pki.root.der).subject,
    notBefore: new Date(now - 86_400_000), notAfter: new Date(now + o.days * 86_400_000), signingAlgorithm: RSA, publicKey: keys.publicKey, signingKey: pki.root.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(pki.root.keys.publicKey),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true),
    ],
  });
  return saveTestCert(pki.dir, o.name ?? 'tsaExpiring', cert, keys, pki.root.certPem);
}

/** The same PKI with `tsa` replaced: startTsa({ pki: withTsa(pki, cert) }) signs with `cert`. */
export const withTsa = (pki: TestPki, tsa: TestCert): TestPki => ({ ...pki, tsa });
