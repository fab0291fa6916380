// A Signer whose key never leaves the token: PKCS#11 (pkcs11js), token by label, key by label or id, PIN per operation.
import pkcs11js from 'pkcs11js'; // the CommonJS module itself: a namespace import misses its constants under Node's ESM
import { fromHex } from '../../asn1/bytes.js';
import { rawEcdsaToDer } from '../../asn1/ecdsa.js';
import { HASH_LENGTH, type RequestHash } from '../../asn1/oids.js';
import { CoreError } from '../../errors.js';
import { hashBytes } from '../../hash/hash-file.js';
import type { KeyAlgorithm, SignatureAlgorithm, Signer } from '../signer.js';
import { defaultAlgorithmFor } from '../signer.js';
import { closeModule, mapPkcs11Error, openModule, type Pkcs11 } from './module.js';
import { findObjects, findSlot, login, logout, objectIdentity, tokenCertificates } from './tokens.js';
import { keyAlgorithmOf } from '../key-signer.js';
import { X509Certificate } from 'node:crypto';

export type Pkcs11KeyRef = {
  readonly module: string;
  readonly token: string;
  /** The key's CKA_LABEL, or `id:<hex>` for its CKA_ID. */
  readonly key: string;
};

/** RFC 8017 §9.2: DER DigestInfo prefixes, so CKM_RSA_PKCS signs a digest computed here. */
const DIGEST_INFO: Record<RequestHash, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};
const CKM_HASH: Record<RequestHash, number> = {
  sha256: pkcs11js.CKM_SHA256,
  sha384: pkcs11js.CKM_SHA384,
  sha512: pkcs11js.CKM_SHA512,
};
const MGF: Record<RequestHash, number> = {
  sha256: pkcs11js.CKG_MGF1_SHA256,
  sha384: pkcs11js.CKG_MGF1_SHA384,
  sha512: pkcs11js.CKG_MGF1_SHA512,
};

export class Pkcs11Signer implements Signer {
  readonly defaultAlgorithm: SignatureAlgorithm;
  private closed = false;
  /** One PKCS#11 session signs one thing at a time: calls queue here. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly p: Pkcs11,
    private readonly session: Buffer,
    private readonly key: Buffer,
    readonly chain: readonly Uint8Array[],
    readonly keyAlgorithm: KeyAlgorithm,
  ) {
    this.defaultAlgorithm = defaultAlgorithmFor(keyAlgorithm);
  }

  /**
   * Opens a session, logs in with `pin` (used once, never kept), finds the key and its certificate.
   * `chain` overrides the token's certificate (e.g. a chain activated in the ledger).
   */
  static open(
    ref: Pkcs11KeyRef,
    pin: string,
    chain?: readonly Uint8Array[],
    opts: { keyAlgorithm?: KeyAlgorithm } = {},
  ): Pkcs11Signer {
    const p = openModule(ref.module);
    let session: Buffer | undefined;
    try {
      const slot = findSlot(p, ref.token);
      session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      login(p, session, pin);
      const key = findKey(p, session, ref.key);
      const identity = objectIdentity(p, session, key);
      const certs = chain ?? matchingCertificate(p, session, identity);
      // A key being provisioned has no certificate yet: the caller names its algorithm to sign the CSR.
      if (certs.length === 0 && !opts.keyAlgorithm)
        throw new CoreError(
          'CERT_NOT_FOUND',
          `no certificate for the key "${ref.key}" on token "${ref.token}": activate one with \`sealdesk cert activate\``,
        );
      const keyAlg = opts.keyAlgorithm ?? keyAlgorithmOf(new X509Certificate(Buffer.from(certs[0]!)).publicKey);
      return new Pkcs11Signer(p, session, key, certs, keyAlg);
    } catch (err) {
      if (session) {
        logout(p, session);
        p.C_CloseSession(session);
      }
      closeModule(p);
      throw mapPkcs11Error(err, 'opening the key');
    }
  }

  sign(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    const next = this.queue.then(() => this.signNow(data, alg));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async signNow(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    if (this.closed) throw new CoreError('PKCS11_ERROR', 'the token session is closed');
    const digest = hashBytes(alg.hash, data);
    try {
      if (alg.scheme === 'ecdsa') return rawEcdsaToDer(this.run({ mechanism: pkcs11js.CKM_ECDSA }, digest));
      if (alg.scheme === 'rsa-pss') {
        const parameter = {
          type: pkcs11js.CK_PARAMS_RSA_PSS,
          hashAlg: CKM_HASH[alg.hash],
          mgf: MGF[alg.hash],
          saltLen: HASH_LENGTH[alg.hash],
        };
        return this.run({ mechanism: pkcs11js.CKM_RSA_PKCS_PSS, parameter }, digest);
      }
      return this.run(
        { mechanism: pkcs11js.CKM_RSA_PKCS },
        new Uint8Array(Buffer.concat([Buffer.from(DIGEST_INFO[alg.hash], 'hex'), digest])),
      );
    } catch (err) {
      throw mapPkcs11Error(err, 'signing');
    }
  }

  private run(mechanism: pkcs11js.Mechanism, input: Uint8Array): Uint8Array {
    this.p.C_SignInit(this.session, mechanism, this.key);
    return new Uint8Array(this.p.C_Sign(this.session, Buffer.from(input), Buffer.alloc(1024)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    logout(this.p, this.session);
    try {
      this.p.C_CloseSession(this.session);
    } catch {
      // the token went away: the session is gone with it
    }
    closeModule(this.p);
  }
}

function findKey(p: Pkcs11, session: Buffer, key: string): Buffer {
  const byId = key.startsWith('id:');
  const template: pkcs11js.Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    byId
      ? { type: pkcs11js.CKA_ID, value: Buffer.from(fromHex(key.slice(3))) }
      : { type: pkcs11js.CKA_LABEL, value: key },
  ];
  const found = findObjects(p, session, template);
  if (found.length === 0)
    throw new CoreError(
      'KEY_NOT_FOUND',
      `no private key ${byId ? 'with id' : 'labelled'} "${byId ? key.slice(3) : key}" on the token (see \`sealdesk tokens\`)`,
    );
  if (found.length > 1)
    throw new CoreError('KEY_NOT_FOUND', `${found.length} keys match "${key}": name it by id (id:<hex>)`);
  return found[0]!;
}

/** The token's certificate for a key: same CKA_ID, else same label. */
function matchingCertificate(p: Pkcs11, session: Buffer, key: { label: string; idHex: string }): Uint8Array[] {
  const certs = tokenCertificates(p, session);
  const match =
    certs.find((c) => key.idHex && c.idHex === key.idHex) ?? certs.find((c) => key.label && c.label === key.label);
  return match ? [match.der] : [];
}
