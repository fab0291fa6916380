// Test-only CMS SignedData builder over the project's TLV writer and node:crypto: signed attributes stored in a chosen
// order and signed over a chosen encoding, any algorithm identifiers, an optional CMSAlgorithmProtection attribute.
// OpenSSL 3.0 cannot make these (no Ed448 in `cms -sign`, no unsorted attributes), so the tests make them here.
import { createHash, createPrivateKey, sign as nodeSign, constants, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateParts } from '../../../core/asn1/cert-der.js';
import { oidTlv, tlv } from '../../../core/asn1/tlv.js';
import { compareDer } from '../../../core/cms/der-reencode.js';
import { createDigest } from '../../../core/hash/digest.js';
import { openssl } from '../../helpers/openssl.js';

export type Alg = { readonly oid: string; readonly params?: Uint8Array };

export type BuildOptions = {
  readonly content: Uint8Array;
  readonly signerCert: Uint8Array;
  readonly extraCerts?: readonly Uint8Array[];
  /** Signs the bytes the signature covers. */
  readonly sign: (data: Uint8Array) => Uint8Array;
  /** The digest algorithm and node's name for it (message digest). */
  readonly digest: Alg & { readonly node: string };
  readonly signatureAlgorithm: Alg;
  /** How the signed attributes are stored: in DER order, or reversed (not DER). */
  readonly stored?: 'der' | 'reversed';
  /** What the signature covers: the DER of the attributes, or their stored bytes. */
  readonly signOver?: 'der' | 'stored';
  /** A CMSAlgorithmProtection attribute (RFC 6211) naming these algorithms. */
  readonly protection?: { readonly digest: Alg; readonly signature: Alg };
  readonly attached?: boolean;
};

export const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  algorithmProtection: '1.2.840.113549.1.9.52',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  shake256: '2.16.840.1.101.3.4.2.12',
  shake256Len: '2.16.840.1.101.3.4.2.18',
  ed448: '1.3.101.113',
  ed25519: '1.3.101.112',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRsa: '1.2.840.113549.1.1.11',
} as const;

export const NULL = Uint8Array.of(0x05, 0x00);

export const algorithmIdentifier = (a: Alg): Uint8Array => tlv(0x30, oidTlv(a.oid), ...(a.params ? [a.params] : []));

export function integer(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0 || bytes.length === 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** RFC 4055 RSASSA-PSS-params with explicit hash, MGF1 hash and salt length (trailer field default). */
export function pssParams(hash: string, mgf1Hash: string, saltLength: number): Uint8Array {
  const h = (oid: string) => algorithmIdentifier({ oid, params: NULL });
  return tlv(
    0x30,
    tlv(0xa0, h(hash)),
    tlv(0xa1, algorithmIdentifier({ oid: OIDS.mgf1, params: h(mgf1Hash) })),
    tlv(0xa2, integer(saltLength)),
  );
}

const attribute = (oid: string, ...values: Uint8Array[]) => tlv(0x30, oidTlv(oid), tlv(0x31, ...values));

function utcTime(d: Date): Uint8Array {
  const s = d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(s, 'latin1'));
}

export function buildSignedData(o: BuildOptions): Uint8Array {
  const digest = new Uint8Array(createDigest(o.digest.node).update(o.content).digest());
  const essCertIdV2 = tlv(0x30, tlv(0x04, createHash('sha256').update(o.signerCert).digest())); // RFC 5035: SHA-256 by default
  const attrs = [
    attribute(OIDS.contentType, oidTlv(OIDS.data)),
    attribute(OIDS.signingTime, utcTime(new Date())),
    attribute(OIDS.messageDigest, tlv(0x04, digest)),
    attribute(OIDS.signingCertificateV2, tlv(0x30, tlv(0x30, essCertIdV2))),
  ];
  if (o.protection) {
    const sig = algorithmIdentifier(o.protection.signature);
    attrs.push(
      attribute(
        OIDS.algorithmProtection,
        tlv(0x30, algorithmIdentifier(o.protection.digest), Uint8Array.of(0xa1, ...sig.subarray(1))),
      ),
    );
  }
  const sorted = [...attrs].sort(compareDer);
  const stored = o.stored === 'reversed' ? [...sorted].reverse() : sorted;
  const signed = tlv(0x31, ...(o.signOver === 'stored' ? stored : sorted));
  const signature = o.sign(signed);
  const cert = certificateParts(o.signerCert);
  const signerInfo = tlv(
    0x30,
    integer(1),
    tlv(0x30, cert.issuer, tlv(0x02, cert.serial)),
    algorithmIdentifier(o.digest),
    tlv(0xa0, ...stored),
    algorithmIdentifier(o.signatureAlgorithm),
    tlv(0x04, signature),
  );
  const encap = tlv(0x30, oidTlv(OIDS.data), ...(o.attached ? [tlv(0xa0, tlv(0x04, o.content))] : []));
  const signedData = tlv(
    0x30,
    integer(1),
    tlv(0x31, algorithmIdentifier(o.digest)),
    encap,
    tlv(0xa0, o.signerCert, ...(o.extraCerts ?? [])),
    tlv(0x31, signerInfo),
  );
  return tlv(0x30, oidTlv(OIDS.signedData), tlv(0xa0, signedData));
}

export const eddsaSigner = (key: KeyObject) => (data: Uint8Array) => new Uint8Array(nodeSign(null, data, key));

export const pssSigner = (key: KeyObject, hash: string, saltLength: number) => (data: Uint8Array) =>
  new Uint8Array(nodeSign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }));

/** An Ed448 leaf (digitalSignature, nonRepudiation) issued by the RSA test root with OpenSSL, and its private key. */
export async function issueEd448(
  root: { certPath: string; keyPath: string },
  dir: string,
): Promise<{ certPath: string; der: Uint8Array; key: KeyObject }> {
  const key = join(dir, 'ed448.key');
  const csr = join(dir, 'ed448.csr');
  const ext = join(dir, 'ed448.ext');
  const certPath = join(dir, 'ed448.pem');
  writeFileSync(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,nonRepudiation',
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  for (const args of [
    ['genpkey', '-algorithm', 'ed448', '-out', key],
    ['req', '-new', '-key', key, '-subj', '/CN=Sealdesk Test Seal Ed448/O=Sealdesk Tests/C=NO', '-out', csr],
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      root.certPath,
      '-CAkey',
      root.keyPath,
      '-set_serial',
      '0x448',
      '-days',
      '3650',
      '-extfile',
      ext,
      '-out',
      certPath,
    ],
    ['x509', '-in', certPath, '-outform', 'DER', '-out', `${certPath}.der`],
  ]) {
    const r = await openssl(args);
    if (r.code !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  }
  return { certPath, der: new Uint8Array(readFileSync(`${certPath}.der`)), key: createPrivateKey(readFileSync(key)) };
}
