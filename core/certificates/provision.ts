// Seed /seal/certificates, locally: provision a key (file or token) and its CSR, activate the CA's chain, revoke.
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { bytesEqual, exactBuffer } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { nodeCryptoEngine } from '../asn1/engine.js';
import { CoreError } from '../errors.js';
import { writeNewFile } from '../fs/atomic.js';
import {
  activateCertificate,
  getCertificate,
  insertCertificate,
  revokeCertificate,
  type CertificateRecord,
} from '../ledger/certificates.js';
import type { Ledger } from '../ledger/open.js';
import { KeySigner } from '../signers/key-signer.js';
import { generateTokenKey, type TokenKeySpec } from '../signers/pkcs11/generate.js';
import { Pkcs11Signer, type Pkcs11KeyRef } from '../signers/pkcs11/pkcs11-signer.js';
import { destroyTokenKey } from '../signers/pkcs11/generate.js';
import type { KeyAlgorithm, Signer } from '../signers/signer.js';
import type { KmsKeyRef } from '../signers/kms/kms-signer.js';

/** The AWS SDK is loaded only for KMS certificates (it slows every start-up otherwise). */
const kms = () => import('../signers/kms/kms-signer.js');
import { buildCsr, type SubjectFields } from './csr.js';

export type KeySpec = TokenKeySpec;

export type ProvisionOptions = {
  readonly subject: SubjectFields;
  readonly label?: string;
  readonly key: KeySpec;
  readonly now: Date;
} & (
  | { readonly signer: 'file'; readonly home: string; readonly passphrase?: string }
  | { readonly signer: 'pkcs11'; readonly module: string; readonly token: string; readonly pin: string }
  | { readonly signer: 'kms'; readonly region?: string; readonly endpoint?: string }
);

export async function provisionCertificate(
  db: Ledger,
  o: ProvisionOptions,
): Promise<{ record: CertificateRecord; csrPem: string }> {
  const id = randomUUID();
  const label = o.label ?? o.subject.commonName;
  let signer: Signer;
  let keyRef: string;
  let spki: Uint8Array;
  if (o.signer === 'file') {
    const { privateKey } = o.key.startsWith('rsa')
      ? generateKeyPairSync('rsa', { modulusLength: o.key === 'rsa-4096' ? 4096 : 3072 })
      : generateKeyPairSync('ec', { namedCurve: o.key === 'ec-p384' ? 'P-384' : 'P-256' });
    const dir = join(o.home, 'keys');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    keyRef = join(dir, `${id}.key.pem`);
    const pem = o.passphrase
      ? privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: o.passphrase })
      : privateKey.export({ type: 'pkcs8', format: 'pem' });
    await writeNewFile(keyRef, Buffer.from(pem), 0o600);
    spki = new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
    signer = new KeySigner(privateKey, []);
  } else if (o.signer === 'kms') {
    const { createKmsKey, KmsSigner } = await kms();
    const created = await createKmsKey({ region: o.region, endpoint: o.endpoint }, o.key, `Sealdesk seal: ${label}`);
    keyRef = JSON.stringify(created.ref);
    spki = created.spki;
    signer = await KmsSigner.open(created.ref, []);
  } else {
    const generated = await generateTokenKey(o.module, o.token, label, o.key, o.pin);
    keyRef = JSON.stringify(generated.ref);
    spki = generated.spki;
    signer = Pkcs11Signer.open(generated.ref, o.pin, [], { keyAlgorithm: keyAlgorithmOfSpec(o.key) });
  }
  try {
    const csr = await buildCsr(o.subject, spki, signer);
    const record = insertCertificate(db, {
      id,
      label,
      status: 'provisioning',
      source: 'byoc',
      kind: o.signer,
      keyRef,
      subject: null,
      notBefore: null,
      notAfter: null,
      chain: [],
      createdAt: o.now.toISOString(),
      spki,
    });
    return { record, csrPem: csr.pem };
  } finally {
    await signer.close();
  }
}

function keyAlgorithmOfSpec(spec: KeySpec): KeyAlgorithm {
  return spec === 'ec-p256' ? 'ec-p256' : spec === 'ec-p384' ? 'ec-p384' : 'rsa';
}

/** Activates a provisioned certificate: the leaf must carry the provisioned key, each certificate issued by the next. */
export async function activate(db: Ledger, id: string, chain: readonly Uint8Array[]): Promise<CertificateRecord> {
  const record = getCertificate(db, id);
  if (!record) throw new CoreError('CERT_NOT_FOUND', `no certificate ${id}: see \`sealdesk cert list\``);
  if (record.status !== 'provisioning')
    throw new CoreError('CERT_NOT_VALID', `certificate ${id} is ${record.status}, not waiting for activation`);
  if (chain.length === 0) throw new CoreError('CERT_NOT_FOUND', 'the file holds no certificate');
  const parsed = chain.map((c) => pkijs.Certificate.fromBER(exactBuffer(c)));
  const leafSpki = new Uint8Array(parsed[0]!.subjectPublicKeyInfo.toSchema().toBER(false));
  if (!record.spki || !bytesEqual(leafSpki, record.spki)) {
    throw new CoreError(
      'CERT_MISMATCH',
      'the first certificate does not carry the provisioned key: give the certificate the CA issued for this CSR first, then its issuers',
    );
  }
  for (let i = 0; i + 1 < parsed.length; i++) {
    const ok =
      parsed[i]!.issuer.isEqual(parsed[i + 1]!.subject) &&
      (await parsed[i]!.verify(parsed[i + 1]!, nodeCryptoEngine()).catch(() => false));
    if (!ok)
      throw new CoreError(
        'CERT_MISMATCH',
        `certificate ${i + 1} of the chain is not issued by certificate ${i + 2}: give the chain in order, the seal's certificate first`,
      );
  }
  const f = certificateFacts(chain[0]!);
  activateCertificate(db, id, chain, f.subject, f.notBefore.toISOString(), f.notAfter.toISOString());
  return getCertificate(db, id)!;
}

/** Revokes a certificate in the ledger (cannot be undone); `destroyKey` deletes its key too. */
export async function revoke(
  db: Ledger,
  id: string,
  o: { destroyKey?: boolean; pin?: string } = {},
): Promise<{ record: CertificateRecord; keyDestroyed: boolean }> {
  const record = getCertificate(db, id);
  if (!record) throw new CoreError('CERT_NOT_FOUND', `no certificate ${id}: see \`sealdesk cert list\``);
  if (record.kind === 'default') throw new CoreError('USAGE', 'the default seal cannot be revoked');
  let keyDestroyed = false;
  if (o.destroyKey) {
    if (record.kind === 'kms') {
      await (await kms()).scheduleKmsKeyDeletion(JSON.parse(record.keyRef) as KmsKeyRef);
      keyDestroyed = true;
    } else if (record.kind === 'pkcs11') {
      if (!o.pin) throw new CoreError('PIN_REQUIRED', 'destroying a key on a token needs its PIN: --pin-env VAR');
      keyDestroyed = (await destroyTokenKey(JSON.parse(record.keyRef) as Pkcs11KeyRef, o.pin)) > 0;
    } else if (record.kind === 'file' && !record.keyRef.startsWith('{') && existsSync(record.keyRef)) {
      rmSync(record.keyRef);
      keyDestroyed = true;
    } else if (record.kind === 'file') {
      throw new CoreError(
        'USAGE',
        'Sealdesk does not delete PKCS#12 files it did not create: remove the file yourself',
      );
    }
  }
  revokeCertificate(db, id);
  return { record: getCertificate(db, id)!, keyDestroyed };
}
