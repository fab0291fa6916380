// A test PKI with fixed dates: a root CA and TSA certificates, good and deliberately flawed, as PEM files.
import { webcrypto } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { x509 } from '../../core/asn1/x509.js';
import { tempDir } from './tmp.js';

export type TestCert = {
  readonly name: string;
  readonly certPem: string;
  /** PKCS#8 PEM. */
  readonly keyPem: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** This certificate followed by the root, for OpenSSL's `certs`. */
  readonly chainPath: string;
  readonly der: Uint8Array;
  readonly keys: CryptoKeyPair;
};

export type TestPki = {
  readonly dir: string;
  readonly root: TestCert;
  readonly caFile: string;
  readonly tsa: TestCert;
  readonly tsaEc: TestCert;
  readonly tsaExpired: TestCert;
  readonly tsaNonCriticalEku: TestCert;
  readonly tsaNoEku: TestCert;
  /** Seal signers issued by the root (no EKU: OpenSSL needs `-purpose any`). */
  readonly signer: TestCert;
  readonly signerEc: TestCert;
};

type CryptoKeyPair = webcrypto.CryptoKeyPair;
const crypto = webcrypto;
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const SUBJECT = (cn: string) => `CN=${cn}, O=Sealdesk Tests, C=NO`;
const D = (iso: string) => new Date(`${iso}T00:00:00Z`);

type Spec = {
  name: string;
  cn: string;
  alg: typeof RSA | typeof EC;
  from: string;
  to: string;
  eku: 'critical' | 'non-critical' | 'none';
};

const SPECS: Spec[] = [
  { name: 'tsa', cn: 'Sealdesk Test TSA', alg: RSA, from: '2024-01-01', to: '2040-01-01', eku: 'critical' },
  { name: 'tsaEc', cn: 'Sealdesk Test TSA EC', alg: EC, from: '2024-01-01', to: '2040-01-01', eku: 'critical' },
  {
    name: 'tsaExpired',
    cn: 'Sealdesk Test TSA Expired',
    alg: RSA,
    from: '2020-01-01',
    to: '2021-01-01',
    eku: 'critical',
  },
  {
    name: 'tsaNonCriticalEku',
    cn: 'Sealdesk Test TSA Non-critical EKU',
    alg: RSA,
    from: '2024-01-01',
    to: '2040-01-01',
    eku: 'non-critical',
  },
  { name: 'tsaNoEku', cn: 'Sealdesk Test TSA No EKU', alg: RSA, from: '2024-01-01', to: '2040-01-01', eku: 'none' },
  { name: 'signer', cn: 'Sealdesk Test Seal RSA', alg: RSA, from: '2024-01-01', to: '2040-01-01', eku: 'none' },
  { name: 'signerEc', cn: 'Sealdesk Test Seal EC', alg: EC, from: '2024-01-01', to: '2040-01-01', eku: 'none' },
];

export async function createTestPki(dir: string = tempDir('pki').path): Promise<TestPki> {
  mkdirSync(dir, { recursive: true });
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const rootKeys = (await crypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: SUBJECT('Sealdesk Test Root CA'),
    notBefore: D('2020-01-01'),
    notAfter: D('2045-01-01'),
    signingAlgorithm: RSA,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const root = await saveTestCert(dir, 'root', rootCert, rootKeys, '');
  const issued: Record<string, TestCert> = {};
  for (const [i, spec] of SPECS.entries()) {
    const extensions =
      spec.eku === 'none'
        ? []
        : [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], spec.eku === 'critical')];
    issued[spec.name] = await issueCertificate(root, dir, {
      name: spec.name,
      cn: spec.cn,
      serial: (0x10 + i).toString(16),
      alg: spec.alg,
      notBefore: D(spec.from),
      notAfter: D(spec.to),
      extensions,
    });
  }
  return { dir, root, caFile: root.certPath, ...(issued as Omit<TestPki, 'dir' | 'root' | 'caFile'>) };
}

export type IssueSpec = {
  readonly name: string;
  readonly cn: string;
  /** Hex. */
  readonly serial: string;
  readonly alg?: typeof RSA | typeof EC;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** After basicConstraints CA:false, keyUsage digitalSignature|nonRepudiation (both critical) and the key identifiers. */
  readonly extensions?: readonly x509.Extension[];
};

/** A leaf certificate issued by the test root (SHA-256 with RSA), saved beside the others. */
export async function issueCertificate(root: TestCert, dir: string, spec: IssueSpec): Promise<TestCert> {
  x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = (await crypto.subtle.generateKey(spec.alg ?? RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: spec.serial,
    subject: SUBJECT(spec.cn),
    issuer: new x509.X509Certificate(root.der).subject,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    signingAlgorithm: RSA,
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
      ...(spec.extensions ?? []),
    ],
  });
  return saveTestCert(dir, spec.name, cert, keys, root.certPem);
}

/** Writes a certificate, its PKCS#8 key (0600) and its chain (with the root) as PEM files. */
export async function saveTestCert(
  dir: string,
  name: string,
  cert: x509.X509Certificate,
  keys: CryptoKeyPair,
  rootPem: string,
): Promise<TestCert> {
  const certPem = cert.toString('pem') + '\n';
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const certPath = join(dir, `${name}.pem`);
  const keyPath = join(dir, `${name}.key`);
  const chainPath = join(dir, `${name}-chain.pem`);
  writeFileSync(certPath, certPem);
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  writeFileSync(chainPath, certPem + rootPem);
  return { name, certPem, keyPem, certPath, keyPath, chainPath, der: new Uint8Array(cert.rawData), keys };
}
