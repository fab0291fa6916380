// A Signer over a private key held by this process (a PEM/PKCS#8 file, the default seal), via node:crypto.
import { constants, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { CoreError } from '../errors.js';
import { HASH_LENGTH } from '../asn1/oids.js';
import type { KeyAlgorithm, SignatureAlgorithm, Signer } from './signer.js';
import { defaultAlgorithmFor } from './signer.js';

export function keyAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const type = key.asymmetricKeyType;
  if (type === 'rsa' || type === 'rsa-pss') return 'rsa';
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'ec-p256';
    if (curve === 'secp384r1') return 'ec-p384';
    throw new CoreError('KEY_UNSUPPORTED', `EC curve ${curve} is not supported (P-256 and P-384 are)`);
  }
  throw new CoreError('KEY_UNSUPPORTED', `${type} keys are not supported (RSA, EC P-256 and P-384 are)`);
}

export class KeySigner implements Signer {
  readonly keyAlgorithm: KeyAlgorithm;
  readonly defaultAlgorithm: SignatureAlgorithm;

  constructor(
    private readonly key: KeyObject,
    readonly chain: readonly Uint8Array[],
  ) {
    if (key.type !== 'private') throw new CoreError('KEY_UNSUPPORTED', 'a private key is needed to seal');
    this.keyAlgorithm = keyAlgorithmOf(key);
    this.defaultAlgorithm = defaultAlgorithmFor(this.keyAlgorithm);
  }

  static fromPem(pem: string | Uint8Array, chain: readonly Uint8Array[], passphrase?: string): KeySigner {
    return new KeySigner(createPrivateKey({ key: Buffer.from(pem), format: 'pem', passphrase }), chain);
  }

  async sign(data: Uint8Array, alg: SignatureAlgorithm): Promise<Uint8Array> {
    const rsa = this.keyAlgorithm === 'rsa';
    if (rsa === (alg.scheme === 'ecdsa'))
      throw new CoreError('KEY_UNSUPPORTED', `a ${this.keyAlgorithm} key cannot make ${alg.scheme} signatures`);
    const options =
      alg.scheme === 'rsa-pss'
        ? { key: this.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LENGTH[alg.hash] }
        : alg.scheme === 'ecdsa'
          ? { key: this.key, dsaEncoding: 'der' as const }
          : { key: this.key, padding: constants.RSA_PKCS1_PADDING };
    return new Uint8Array(sign(alg.hash, data, options));
  }

  async close(): Promise<void> {}
}
