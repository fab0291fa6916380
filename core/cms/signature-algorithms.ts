// Signature and digest algorithm identifiers as node:crypto (OpenSSL) verifies them: RSA PKCS#1 v1.5 and PSS (RFC 4055
// parameters: hash, MGF1 hash, salt length, trailer field), ECDSA (DER and BSI TR-03111 plain encodings, any named curve
// OpenSSL knows, brainpool included), Ed25519 and Ed448 (RFC 8419, with SHAKE256 per RFC 8702).
import * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { TlvError, childrenOf, oidOf, rootOf, slice, smallInteger, type Tlv } from '../asn1/tlv.js';

export const DIGESTS: Readonly<Record<string, string>> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
  // RFC 8702 §2 id-shake256: 512-bit output (core/hash/digest.ts computes it so)
  '2.16.840.1.101.3.4.2.12': 'shake256',
};

const SHAKE256_LEN = '2.16.840.1.101.3.4.2.18';

/** Node's name for a digest AlgorithmIdentifier, parameters included: id-shake256-len (RFC 8702 §2) only with the
 * 512-bit output RFC 8419 uses (the one Sealdesk computes); null for a digest Sealdesk does not compute. */
export function digestName(alg: AlgorithmRef): string | null {
  if (alg.algorithmId !== SHAKE256_LEN) return DIGESTS[alg.algorithmId] ?? null;
  try {
    const p = alg.params;
    return p && p[0] === 0x02 && smallInteger(p, rootOf(p)) === 512 ? 'shake256' : null;
  } catch (err) {
    if (err instanceof TlvError) return null;
    throw err;
  }
}

export type VerifyParams = {
  readonly name: string;
  /** The hash the signature algorithm itself names (null: the SignerInfo's digest algorithm, or none for Ed25519). */
  readonly hash: string | null;
  readonly scheme: 'rsa' | 'rsa-pss' | 'ecdsa' | 'ecdsa-plain' | 'ed25519' | 'ed448';
  /** RSASSA-PSS (RFC 4055 §3.1): the salt length and the MGF1 hash, as the parameters state them. */
  readonly saltLength?: number;
  readonly mgf1Hash?: string;
};

const MGF1 = '1.2.840.113549.1.1.8';

const TABLE: Record<string, Omit<VerifyParams, 'saltLength' | 'mgf1Hash'>> = {
  '1.2.840.113549.1.1.1': { name: 'RSA', hash: null, scheme: 'rsa' },
  '1.2.840.113549.1.1.5': { name: 'SHA-1 with RSA', hash: 'sha1', scheme: 'rsa' },
  '1.2.840.113549.1.1.14': { name: 'SHA-224 with RSA', hash: 'sha224', scheme: 'rsa' },
  '1.2.840.113549.1.1.11': { name: 'SHA-256 with RSA', hash: 'sha256', scheme: 'rsa' },
  '1.2.840.113549.1.1.12': { name: 'SHA-384 with RSA', hash: 'sha384', scheme: 'rsa' },
  '1.2.840.113549.1.1.13': { name: 'SHA-512 with RSA', hash: 'sha512', scheme: 'rsa' },
  '2.16.840.1.101.3.4.3.14': { name: 'SHA3-256 with RSA', hash: 'sha3-256', scheme: 'rsa' },
  '2.16.840.1.101.3.4.3.15': { name: 'SHA3-384 with RSA', hash: 'sha3-384', scheme: 'rsa' },
  '2.16.840.1.101.3.4.3.16': { name: 'SHA3-512 with RSA', hash: 'sha3-512', scheme: 'rsa' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: null, scheme: 'rsa-pss' },
  '1.2.840.10045.2.1': { name: 'ECDSA', hash: null, scheme: 'ecdsa' },
  '1.2.840.10045.4.1': { name: 'ECDSA with SHA-1', hash: 'sha1', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.1': { name: 'ECDSA with SHA-224', hash: 'sha224', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.2': { name: 'ECDSA with SHA-256', hash: 'sha256', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.3': { name: 'ECDSA with SHA-384', hash: 'sha384', scheme: 'ecdsa' },
  '1.2.840.10045.4.3.4': { name: 'ECDSA with SHA-512', hash: 'sha512', scheme: 'ecdsa' },
  '0.4.0.127.0.7.1.1.4.1.1': { name: 'plain ECDSA with SHA-1', hash: 'sha1', scheme: 'ecdsa-plain' },
  '0.4.0.127.0.7.1.1.4.1.2': { name: 'plain ECDSA with SHA-224', hash: 'sha224', scheme: 'ecdsa-plain' },
  '0.4.0.127.0.7.1.1.4.1.3': { name: 'plain ECDSA with SHA-256', hash: 'sha256', scheme: 'ecdsa-plain' },
  '0.4.0.127.0.7.1.1.4.1.4': { name: 'plain ECDSA with SHA-384', hash: 'sha384', scheme: 'ecdsa-plain' },
  '0.4.0.127.0.7.1.1.4.1.5': { name: 'plain ECDSA with SHA-512', hash: 'sha512', scheme: 'ecdsa-plain' },
  '1.3.101.112': { name: 'Ed25519', hash: null, scheme: 'ed25519' },
  '1.3.101.113': { name: 'Ed448', hash: null, scheme: 'ed448' },
};

/** An AlgorithmIdentifier as exact bytes: its OID and the DER of its parameters (null when absent). */
export type AlgorithmRef = { readonly algorithmId: string; readonly params: Uint8Array | null };

/** AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }, read from its TLV in `der`. */
export function algorithmOf(der: Uint8Array, t: Tlv): AlgorithmRef {
  const [oid, params] = childrenOf(der, t);
  if (oid?.tag !== 0x06) throw new TlvError('AlgorithmIdentifier has no OID');
  return { algorithmId: oidOf(der, oid), params: params ? slice(der, params) : null };
}

/** pkijs' AlgorithmIdentifier as an AlgorithmRef (parameters as decoded, else re-encoded). */
export function algorithmRef(alg: pkijs.AlgorithmIdentifier): AlgorithmRef {
  const p = alg.algorithmParams as asn1js.AsnType | undefined;
  const params = p
    ? p.valueBeforeDecodeView?.byteLength
      ? new Uint8Array(p.valueBeforeDecodeView)
      : new Uint8Array(p.toBER(false))
    : null;
  return { algorithmId: alg.algorithmId, params };
}

/** The verification parameters, or null for an algorithm Sealdesk does not verify. */
export function verifyParams(alg: AlgorithmRef): VerifyParams | null {
  const base = TABLE[alg.algorithmId];
  if (!base) return null;
  if (base.scheme !== 'rsa-pss') return base;
  try {
    return { ...base, ...pssParams(alg.params) };
  } catch (err) {
    if (err instanceof TlvError) return null; // parameters that cannot be read or are not supported: not verified
    throw err;
  }
}

/** RFC 4055 §3.1 RSASSA-PSS-params: [0] hashAlgorithm (default SHA-1), [1] maskGenAlgorithm (default MGF1 with SHA-1),
 * [2] saltLength (default 20), [3] trailerField (default 1, the only value defined). Throws TlvError otherwise. */
function pssParams(p: Uint8Array | null): { hash: string; mgf1Hash: string; saltLength: number } {
  let hash = 'sha1';
  let mgf1Hash = 'sha1';
  let saltLength = 20;
  const fields = p && p[0] === 0x30 ? childrenOf(p, rootOf(p)) : [];
  if (p && p[0] !== 0x30 && p[0] !== 0x05) throw new TlvError('RSASSA-PSS parameters are not a SEQUENCE');
  for (const f of fields) {
    const inner = childrenOf(p!, f)[0];
    if (!inner) throw new TlvError('an empty RSASSA-PSS parameter');
    if (f.tag === 0xa0) hash = knownDigest(algorithmOf(p!, inner));
    else if (f.tag === 0xa1) {
      const mgf = algorithmOf(p!, inner);
      if (mgf.algorithmId !== MGF1 || !mgf.params)
        throw new TlvError(`mask generation function ${mgf.algorithmId} is not MGF1`);
      mgf1Hash = knownDigest(algorithmOf(mgf.params, rootOf(mgf.params)));
    } else if (f.tag === 0xa2) saltLength = smallInteger(p!, inner);
    else if (f.tag === 0xa3) {
      if (smallInteger(p!, inner) !== 1) throw new TlvError('RSASSA-PSS trailer field other than 1 (0xBC)');
    } else throw new TlvError(`unknown RSASSA-PSS parameter tag 0x${f.tag.toString(16)}`);
  }
  return { hash, mgf1Hash, saltLength };
}

function knownDigest(alg: AlgorithmRef): string {
  const name = digestName(alg);
  if (!name) throw new TlvError(`unknown digest ${alg.algorithmId} in RSASSA-PSS parameters`);
  return name;
}
