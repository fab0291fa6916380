// ETSI EN 319 122-1 §5.5.3 / RFC 5652 §5.1: B-LT → B-LTA edits of a DER SignedData. Validation data joins
// SignedData.certificates and .crls, an archive-time-stamp-v3 joins the unsigned attributes; only the lengths of the
// enclosing values are encoded again — the signed attributes and the signature stay byte-identical.
import { createHash } from 'node:crypto';
import { CMS_OID, type HashAlgorithm } from '../asn1/oids.js';
import { childrenOf, content, oidTlv, slice, tlv, type Tlv } from './archive-timestamp-der.js';
import { atsHashIndexV3, atsV3Imprint, signedDataLayout } from './archive-timestamp.js';

export type ValidationData = {
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
};

/** Replaces bytes [from, to) inside the innermost of `path` (outermost first) and re-encodes each enclosing length. */
function splice(der: Uint8Array, path: readonly Tlv[], from: number, to: number, insert: Uint8Array): Uint8Array {
  const inner = path.at(-1)!;
  let node = tlv(inner.tag, der.subarray(inner.contentStart, from), insert, der.subarray(to, inner.end));
  for (let i = path.length - 2; i >= 0; i--) {
    const a = path[i]!;
    const child = path[i + 1]!;
    node = tlv(a.tag, der.subarray(a.contentStart, child.start), node, der.subarray(child.end, a.end));
  }
  return node;
}

/** Adds an unsigned attribute after the ones already there (a new [1] set when there is none). */
export function withUnsignedAttribute(der: Uint8Array, type: string, value: Uint8Array): Uint8Array {
  const l = signedDataLayout(der);
  const attr = tlv(0x30, oidTlv(type), tlv(0x31, value));
  if (l.unsignedAttrs) return splice(der, [...l.path, l.unsignedAttrs], l.unsignedAttrs.end, l.unsignedAttrs.end, attr);
  const si = l.path[4];
  return splice(der, l.path, si.end, si.end, tlv(0xa1, attr));
}

/** Adds the certificates and revocation values not yet present (OCSP responses as RevocationInfoChoice `other`). */
export function withValidationData(
  der: Uint8Array,
  add: ValidationData,
): { der: Uint8Array; added: { certificates: number; crls: number; ocspResponses: number } } {
  const l = signedDataLayout(der);
  const key = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const present = (set: Tlv | null) => new Set(set ? childrenOf(der, set).map((t) => key(slice(der, t))) : []);
  const fresh = (items: readonly Uint8Array[], have: Set<string>) =>
    items.filter((b) => !have.has(key(b)) && (have.add(key(b)), true));
  const certs = fresh(add.certificates, present(l.certificates));
  const revHave = present(l.crls);
  const crls = fresh(add.crls, revHave);
  const ocsps = fresh(
    add.ocspResponses.map((o) => tlv(0xa1, oidTlv(CMS_OID.riOcspResponse), o)),
    revHave,
  );
  const added = { certificates: certs.length, crls: crls.length, ocspResponses: ocsps.length };
  if (certs.length + crls.length + ocsps.length === 0) return { der, added };
  const sd = l.path[2];
  const extend = (tag: number, set: Tlv | null, more: readonly Uint8Array[]) =>
    set || more.length ? tlv(tag, set ? content(der, set) : new Uint8Array(), ...more) : new Uint8Array();
  // RFC 5652 §5.1: version 5 once any RevocationInfoChoice is of type `other`.
  const version = ocsps.length && content(der, l.version)[0]! < 5 ? tlv(0x02, Uint8Array.of(5)) : slice(der, l.version);
  const rest = der.subarray((l.crls ?? l.certificates ?? l.encapContentInfo).end, sd.end);
  const body = [
    version,
    der.subarray(l.version.end, l.encapContentInfo.end),
    extend(0xa0, l.certificates, certs),
    extend(0xa1, l.crls, [...crls, ...ocsps]),
    rest,
  ];
  const newSd = tlv(0x30, ...body);
  return { der: splice(der, l.path.slice(0, 2), sd.start, sd.end, newSd), added };
}

/** What to send to the TSA: the hash index over the SignedData as it stands and the §5.5.3 imprint it yields. */
export function prepareArchiveTimestamp(
  der: Uint8Array,
  alg: HashAlgorithm,
  contentDigest: Uint8Array,
): { hashIndex: Uint8Array; imprint: Uint8Array } {
  const l = signedDataLayout(der);
  const hashIndex = atsHashIndexV3(l, alg);
  return { hashIndex, imprint: atsV3Imprint(l, alg, contentDigest, hashIndex) };
}

/** Puts the hash index in the token's SignerInfo unsigned attributes, then the token in the seal's as archive-time-stamp-v3. */
export function withArchiveTimestamp(der: Uint8Array, tokenDer: Uint8Array, hashIndex: Uint8Array): Uint8Array {
  const token = withUnsignedAttribute(tokenDer, CMS_OID.atsHashIndexV3, hashIndex);
  return withUnsignedAttribute(der, CMS_OID.archiveTimeStampV3, token);
}
