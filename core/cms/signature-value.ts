// A CMS signature value checked with node:crypto (OpenSSL): every scheme signature-algorithms.ts names, with the
// signer's public key taken once per certificate (the same TSA or signer certificate signs token after token).
import { constants, createPublicKey, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { certificateParts } from '../asn1/cert-der.js';
import { bytesEqual } from '../asn1/bytes.js';
import { childrenOf, content, oidOf, rootOf } from '../asn1/tlv.js';
import { DIGESTS, verifyParams, type AlgorithmRef, type VerifyParams } from './signature-algorithms.js';

export type SignatureInput = {
  readonly certificate: Uint8Array;
  readonly signatureAlgorithm: AlgorithmRef;
  /** Node's name of the SignerInfo's digest algorithm (used when the signature algorithm names none). */
  readonly digest: string;
  /** The signed bytes; or, when `prehashed`, the bare content digest a signature without signed attributes covers. */
  readonly data: Uint8Array;
  readonly signature: Uint8Array;
  readonly prehashed?: boolean;
};

/** True only when the value verifies; an unknown algorithm, or a key or value node:crypto cannot use, is false. */
export function signatureValueValid(s: SignatureInput, params: VerifyParams | null = verifyParams(s.signatureAlgorithm)): boolean {
  if (!params) return false;
  try {
    const key = publicKeyOf(s.certificate);
    const hash = params.hash ?? s.digest;
    if (s.prehashed) return params.scheme === 'rsa' && rsaDigestInfoMatches(key, s.signature, hash, s.data);
    if (params.scheme === 'ed25519') return verify(null, s.data, key, s.signature);
    if (params.scheme === 'rsa-pss') return verify(hash, s.data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength ?? 20 }, s.signature);
    if (params.scheme === 'ecdsa-plain') return verify(hash, s.data, { key, dsaEncoding: 'ieee-p1363' }, s.signature);
    return verify(hash, s.data, key, s.signature);
  } catch {
    return false;
  }
}

/** A signature over a bare digest (no signed attributes): RSA only, by recovering the DigestInfo. */
function rsaDigestInfoMatches(key: KeyObject, sig: Uint8Array, hash: string, digest: Uint8Array): boolean {
  const info = new Uint8Array(publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig));
  const [algorithm, value] = childrenOf(info, rootOf(info));
  const oid = algorithm ? oidOf(info, childrenOf(info, algorithm)[0]!) : null;
  return oid !== null && DIGESTS[oid] === hash && value?.tag === 0x04 && bytesEqual(content(info, value), digest);
}

const keys = new Map<string, KeyObject>();
const KEYS_MAX = 256;

function publicKeyOf(certDer: Uint8Array): KeyObject {
  const id = Buffer.from(certDer.buffer, certDer.byteOffset, certDer.byteLength).toString('base64');
  let key = keys.get(id);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(certificateParts(certDer).spki), format: 'der', type: 'spki' });
    if (keys.size >= KEYS_MAX) keys.delete(keys.keys().next().value!);
    keys.set(id, key);
  }
  return key;
}
