// A CMS signature value checked with node:crypto (OpenSSL): every scheme signature-algorithms.ts names, with the
// signer's public key taken once per certificate (the same TSA or signer certificate signs token after token).
// RSASSA-PSS whose MGF1 hash differs from its message hash is checked by RFC 8017 §9.1.2 EMSA-PSS-VERIFY written
// here: node:crypto's verify() always uses the message hash for MGF1.
import { constants, createPublicKey, publicDecrypt, verify, type KeyObject } from 'node:crypto';
import { createDigest } from '../hash/digest.js';
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
export function signatureValueValid(
  s: SignatureInput,
  params: VerifyParams | null = verifyParams(s.signatureAlgorithm),
): boolean {
  if (!params) return false;
  try {
    const key = publicKeyOf(s.certificate);
    const hash = params.hash ?? s.digest;
    if (s.prehashed) return params.scheme === 'rsa' && rsaDigestInfoMatches(key, s.signature, hash, s.data);
    if (params.scheme === 'ed25519' || params.scheme === 'ed448') return verify(null, s.data, key, s.signature);
    if (params.scheme === 'rsa-pss') {
      const saltLength = params.saltLength ?? 20;
      if ((params.mgf1Hash ?? hash) !== hash)
        return emsaPssVerify(
          key,
          s.signature,
          createDigest(hash).update(s.data).digest(),
          hash,
          params.mgf1Hash!,
          saltLength,
        );
      return verify(hash, s.data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, s.signature);
    }
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

/** RFC 8017 §8.1.2 / §9.1.2: RSAVP1 by a raw public-key operation, then EMSA-PSS-VERIFY with its own MGF1 hash. */
function emsaPssVerify(
  key: KeyObject,
  sig: Uint8Array,
  mHash: Uint8Array,
  hash: string,
  mgf1Hash: string,
  sLen: number,
): boolean {
  const modBits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || !modBits) return false;
  const k = Math.ceil(modBits / 8);
  if (sig.length !== k) return false;
  const m = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, sig);
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = m.subarray(m.length - emLen);
  if (m.length > emLen && m.subarray(0, m.length - emLen).some((b) => b !== 0)) return false;
  const hLen = mHash.length;
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const zeroBits = 8 * emLen - emBits;
  if ((maskedDb[0]! & (0xff << (8 - zeroBits)) & 0xff) !== 0) return false;
  const mask = mgf1(mgf1Hash, h, maskedDb.length);
  const db = maskedDb.map((b, i) => b ^ mask[i]!);
  db[0] = db[0]! & (0xff >> zeroBits);
  const psLen = emLen - hLen - sLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createDigest(hash).update(new Uint8Array(8)).update(mHash).update(salt).digest();
  return bytesEqual(new Uint8Array(h2), h);
}

function mgf1(hash: string, seed: Uint8Array, length: number): Uint8Array {
  const out: Buffer[] = [];
  for (let counter = 0, got = 0; got < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createDigest(hash).update(seed).update(c).digest();
    out.push(block);
    got += block.length;
  }
  return new Uint8Array(Buffer.concat(out).subarray(0, length));
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
