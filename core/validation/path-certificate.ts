// RFC 5280 §4.1/§4.2 facts a certification path step needs (names, validity, key identifiers, basicConstraints,
// keyUsage, critical extensions, the signed TBS bytes), read by a TLV walk over the exact DER with caps: the path
// builder (chain.ts) reads every candidate a hostile CMS may carry, and pkijs/asn1js build an object per node.
import { createHash } from 'node:crypto';
import {
  TlvError,
  bitSet,
  bitString,
  childrenOf,
  content,
  generalizedTime,
  octets,
  oidOf,
  rootOf,
  slice,
  smallInteger,
  utcTime,
  type Tlv,
} from '../asn1/tlv.js';
import { algorithmOf, type AlgorithmRef } from '../cms/signature-algorithms.js';
import { assertCertificateSize } from '../asn1/cert-der.js';

const MAX_EXTENSIONS = 64;

export type PathCertificate = {
  readonly der: Uint8Array;
  /** SHA-256 of the DER, hex: the visited-set key. */
  readonly hash: string;
  /** SHA-256 of SubjectPublicKeyInfo, hex: one key appears at most once in a path. */
  readonly keyHash: string;
  readonly subject: Uint8Array;
  readonly issuer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectKeyId: Uint8Array | null;
  readonly authorityKeyId: Uint8Array | null;
  /** basicConstraints: null when absent. */
  readonly basicConstraints: { readonly cA: boolean; readonly pathLen: number | null } | null;
  /** keyUsage keyCertSign (bit 5): null when keyUsage is absent. */
  readonly keyCertSign: boolean | null;
  /** OIDs of the extensions marked critical. */
  readonly critical: readonly string[];
  /** OIDs of every extension present. */
  readonly extensions: readonly string[];
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: AlgorithmRef;
  /** The signature BIT STRING's bytes (no unused-bits octet). */
  readonly signature: Uint8Array;
};

const EXT = { basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', ski: '2.5.29.14', aki: '2.5.29.35' } as const;

/** Throws TlvError on bytes that are not a certificate (or past the caps). */
export function pathCertificate(der: Uint8Array): PathCertificate {
  assertCertificateSize(der);
  const root = rootOf(der);
  const [tbs, sigAlg, sig] = root.tag === 0x30 ? childrenOf(der, root, 3) : [];
  if (tbs?.tag !== 0x30 || sigAlg?.tag !== 0x30 || sig?.tag !== 0x03) throw new TlvError('not a certificate');
  const fields = childrenOf(der, tbs, 10);
  const f = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  const [serial, , issuer, validity, subject, spki] = f;
  if (
    serial?.tag !== 0x02 ||
    issuer?.tag !== 0x30 ||
    validity?.tag !== 0x30 ||
    subject?.tag !== 0x30 ||
    spki?.tag !== 0x30
  ) {
    throw new TlvError('not a certificate');
  }
  const [notBefore, notAfter] = childrenOf(der, validity, 2);
  const signature = content(der, sig);
  if (signature.length === 0) throw new TlvError('empty signature BIT STRING');
  const ext = extensionsOf(
    der,
    f.find((t) => t.tag === 0xa3),
  );
  return {
    der,
    hash: createHash('sha256').update(der).digest('hex'),
    keyHash: createHash('sha256').update(slice(der, spki)).digest('hex'),
    subject: slice(der, subject),
    issuer: slice(der, issuer),
    notBefore: time(der, notBefore),
    notAfter: time(der, notAfter),
    ...ext,
    tbs: slice(der, tbs),
    signatureAlgorithm: algorithmOf(der, sigAlg),
    signature: signature.subarray(1),
  };
}

function time(der: Uint8Array, t: Tlv | undefined): Date {
  if (t?.tag === 0x17) return utcTime(der, t);
  if (t?.tag === 0x18) return generalizedTime(der, t);
  throw new TlvError('validity without a Time');
}

type ExtensionFacts = Pick<
  PathCertificate,
  'subjectKeyId' | 'authorityKeyId' | 'basicConstraints' | 'keyCertSign' | 'critical' | 'extensions'
>;

/** Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
function extensionsOf(der: Uint8Array, explicit: Tlv | undefined): ExtensionFacts {
  const out = {
    subjectKeyId: null,
    authorityKeyId: null,
    basicConstraints: null,
    keyCertSign: null,
    critical: [],
    extensions: [],
  } as {
    -readonly [K in keyof ExtensionFacts]: ExtensionFacts[K] extends readonly string[] ? string[] : ExtensionFacts[K];
  };
  const list = explicit ? childrenOf(der, explicit, 1)[0] : undefined;
  if (!list) return out;
  for (const e of childrenOf(der, list, MAX_EXTENSIONS)) {
    const parts = childrenOf(der, e, 3);
    const [id, maybeCritical] = parts;
    const valueTlv = parts.at(-1);
    if (id?.tag !== 0x06 || valueTlv?.tag !== 0x04 || parts.length < 2) throw new TlvError('malformed extension');
    const oid = oidOf(der, id);
    if (out.extensions.includes(oid)) throw new TlvError(`extension ${oid} appears twice (RFC 5280 §4.2)`);
    out.extensions.push(oid);
    if (parts.length === 3 && maybeCritical?.tag === 0x01 && content(der, maybeCritical)[0] !== 0)
      out.critical.push(oid);
    const value = octets(der, valueTlv);
    if (oid === EXT.basicConstraints) out.basicConstraints = basicConstraintsOf(value);
    else if (oid === EXT.keyUsage) {
      const r = rootOf(value);
      if (r.tag !== 0x03) throw new TlvError('keyUsage is not a BIT STRING');
      out.keyCertSign = bitSet(bitString(value, r, 4), 5);
    } else if (oid === EXT.ski) {
      const r = rootOf(value);
      if (r.tag !== 0x04) throw new TlvError('subjectKeyIdentifier is not an OCTET STRING');
      out.subjectKeyId = content(value, r);
    } else if (oid === EXT.aki) {
      const r = rootOf(value);
      const keyId = r.tag === 0x30 ? childrenOf(value, r, 3).find((t) => t.tag === 0x80) : undefined;
      out.authorityKeyId = keyId ? content(value, keyId) : null;
    }
  }
  return out;
}

/** BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
function basicConstraintsOf(value: Uint8Array): { cA: boolean; pathLen: number | null } {
  const r = rootOf(value);
  if (r.tag !== 0x30) throw new TlvError('basicConstraints is not a SEQUENCE');
  const parts = childrenOf(value, r, 2);
  const cA = parts.find((t) => t.tag === 0x01);
  const pathLen = parts.find((t) => t.tag === 0x02);
  return { cA: cA ? content(value, cA)[0] !== 0 : false, pathLen: pathLen ? smallInteger(value, pathLen) : null };
}
