// RFC 5652 §5.4 and RFC 6211: whether a SignerInfo's signature value covers its signed attributes. The one check every
// SignerInfo goes through (PAdES signatures, CAdES .p7s/.p7m, time-stamp tokens): the value must verify over the DER
// encoding of the SET OF attributes, and a CMSAlgorithmProtection attribute must repeat the SignerInfo's algorithms.
import { bytesEqual } from '../asn1/bytes.js';
import { CMS_OID } from '../asn1/oids.js';
import { TlvError, childrenOf, rootOf } from '../asn1/tlv.js';
import type { RawAttribute } from './attributes.js';
import { derReencode } from './der-reencode.js';
import { algorithmOf, digestName, type AlgorithmRef } from './signature-algorithms.js';
import { signatureValueValid } from './signature-value.js';

/** A SignerInfo with signed attributes, as exact bytes. */
export type SignedSignerInfo = {
  /** The signedAttrs as stored, with their [0] IMPLICIT tag. */
  readonly signedAttrs: Uint8Array;
  readonly attributes: readonly RawAttribute[];
  readonly digestAlgorithm: AlgorithmRef;
  readonly signatureAlgorithm: AlgorithmRef;
  readonly signature: Uint8Array;
};

export type SignatureFailure = { readonly sub: 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE'; readonly reason: string };

export type SignatureVerdict = {
  /** The value verifies over the DER of the signed attributes, and the algorithms are the protected ones. */
  readonly ok: boolean;
  readonly failure: SignatureFailure | null;
  /** Defects that do not break the signature (the stored attributes are not DER, …). */
  readonly warnings: readonly string[];
};

export const NON_DER_SIGNED = 'signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4';

/** The failure with no more precise reason than that the value does not verify. */
export const CRYPTO_FAILURE: SignatureFailure = {
  sub: 'SIG_CRYPTO_FAILURE',
  reason: "the signature value does not verify with the signer's public key",
};

/**
 * Verifies over the DER re-encoding first; only when that fails are the stored (non-DER) bytes tried, and a value that
 * verifies over them alone is a failure (HASH_FAILURE, as EU DSS and the ETSI plugtests judge it): what a DER verifier
 * computes is not what was signed.
 */
export function verifySignedAttributes(si: SignedSignerInfo, certificate: Uint8Array): SignatureVerdict {
  const protection = algorithmProtectionProblem(si.attributes, si.digestAlgorithm, si.signatureAlgorithm);
  if (protection) return { ok: false, failure: { sub: 'SIG_CRYPTO_FAILURE', reason: protection }, warnings: [] };
  const stored = si.signedAttrs.slice();
  stored[0] = 0x31; // RFC 5652 §5.4: the SET OF tag replaces the [0] IMPLICIT one
  const digest = digestName(si.digestAlgorithm) ?? 'unknown';
  const { signatureAlgorithm, signature } = si;
  const valid = (data: Uint8Array) => signatureValueValid({ certificate, signatureAlgorithm, digest, data, signature });
  let der: ReturnType<typeof derReencode>;
  try {
    der = derReencode(stored);
  } catch (err) {
    if (!(err instanceof TlvError)) throw err;
    const ok = valid(stored);
    const warning = `the signed attributes cannot be re-encoded as DER (${err.message}); the signature verifies over their stored bytes`;
    return { ok, failure: ok ? null : CRYPTO_FAILURE, warnings: ok ? [warning] : [] };
  }
  if (der.deviations.length === 0) {
    const ok = valid(stored);
    return { ok, failure: ok ? null : CRYPTO_FAILURE, warnings: [] };
  }
  const how = der.deviations.join(', ');
  if (valid(der.der)) {
    const warning =
      `the signed attributes are stored in a non-DER encoding (${how}); the signature verifies over their DER encoding` +
      ' (RFC 5652 §5.4)';
    return { ok: true, failure: null, warnings: [warning] };
  }
  if (valid(stored))
    return { ok: false, failure: { sub: 'HASH_FAILURE', reason: `${NON_DER_SIGNED} (${how})` }, warnings: [] };
  return { ok: false, failure: CRYPTO_FAILURE, warnings: [] };
}

/**
 * RFC 6211 §2–3: at most one CMSAlgorithmProtection attribute with one value, whose digestAlgorithm and
 * signatureAlgorithm [1] equal the SignerInfo's (absent and NULL parameters taken as equal), and no macAlgorithm [2].
 */
export function algorithmProtectionProblem(
  attrs: readonly RawAttribute[],
  digest: AlgorithmRef,
  signature: AlgorithmRef,
): string | null {
  const found = attrs.filter((a) => a.type === CMS_OID.algorithmProtection);
  if (found.length === 0) return null;
  if (found.length > 1 || found[0]!.values.length !== 1) {
    return 'the CMS algorithm-protection attribute must occur once with one value (RFC 6211 §2)';
  }
  const v = found[0]!.values[0]!;
  try {
    const root = rootOf(v);
    if (root.tag !== 0x30) throw new TlvError('not a SEQUENCE');
    const [d, ...rest] = childrenOf(v, root);
    if (d?.tag !== 0x30) throw new TlvError('no digestAlgorithm');
    const sig = rest.find((f) => f.tag === 0xa1);
    if (rest.some((f) => f.tag === 0xa2))
      return 'the CMS algorithm-protection attribute names a MAC algorithm (RFC 6211 §2)';
    if (!sig) return 'the CMS algorithm-protection attribute names no signature algorithm (RFC 6211 §2)';
    const protectedDigest = algorithmOf(v, d);
    // [1] IMPLICIT AlgorithmIdentifier: the tag's content is the OID and the parameters.
    const protectedSignature = algorithmOf(v, sig);
    const named = (what: string, attr: AlgorithmRef, si: AlgorithmRef) =>
      `the CMS algorithm-protection attribute names ${what} ${describe(attr)}, the SignerInfo ${describe(si)}` +
      ' (RFC 6211: algorithm substitution)';
    if (!sameAlgorithm(protectedDigest, digest)) return named('digest', protectedDigest, digest);
    if (!sameAlgorithm(protectedSignature, signature))
      return named('signature algorithm', protectedSignature, signature);
    return null;
  } catch (err) {
    if (err instanceof TlvError) return `the CMS algorithm-protection attribute is malformed (${err.message})`;
    throw err;
  }
}

const NULL = Uint8Array.of(0x05, 0x00);

function sameAlgorithm(a: AlgorithmRef, b: AlgorithmRef): boolean {
  if (a.algorithmId !== b.algorithmId) return false;
  const pa = a.params ?? NULL;
  const pb = b.params ?? NULL;
  return bytesEqual(pa, pb);
}

function describe(a: AlgorithmRef): string {
  if (!a.params || bytesEqual(a.params, NULL)) return a.algorithmId;
  return `${a.algorithmId} (with parameters ${Buffer.from(a.params).toString('hex').slice(0, 64)})`;
}

const EDDSA_DIGEST: Readonly<Record<string, readonly [string, string, string]>> = {
  [CMS_OID.ed448]: ['Ed448', 'shake256', 'SHAKE256'],
  [CMS_OID.ed25519]: ['Ed25519', 'sha512', 'SHA-512'],
};

/** RFC 8419 §3: Ed448 signs with SHAKE256 (512-bit) as its digest, Ed25519 with SHA-512; another digest is not allowed. */
export function eddsaDigestProblem(signature: AlgorithmRef, digest: string | null): string | null {
  const required = EDDSA_DIGEST[signature.algorithmId];
  if (!required || digest === required[1]) return null;
  return `${required[0]} requires the ${required[2]} digest (RFC 8419 §3), not ${digest ?? 'an unknown one'}`;
}
