// ETSI EN 319 122-1 §5.5.2 ats-hash-index-v3 and §5.5.3 archive-time-stamp-v3 message imprint for a detached CAdES
// SignedData: every field is hashed exactly as it is encoded in the file (tag, length and value), never re-encoded.
import { createHash } from 'node:crypto';
import { CMS_OID, OID, hashFromOid, hashOid, type HashAlgorithm } from '../asn1/oids.js';
import { CoreError } from '../errors.js';
import {
  asCmsError,
  childrenOf,
  content,
  oidOf,
  oidTlv,
  readTlv,
  rootOf,
  slice,
  tlv,
  type Tlv,
} from './archive-timestamp-der.js';
import { attributesOf, type EncodedAttribute } from './attributes.js';

/** Where the parts of a ContentInfo(SignedData) with one SignerInfo sit in its bytes. */
export type SignedDataLayout = {
  readonly der: Uint8Array;
  /** ContentInfo, its [0] EXPLICIT, SignedData, signerInfos, the SignerInfo: outermost first. */
  readonly path: readonly [Tlv, Tlv, Tlv, Tlv, Tlv];
  readonly contentInfoOid: Tlv;
  readonly version: Tlv;
  readonly digestAlgorithms: Tlv;
  readonly encapContentInfo: Tlv;
  readonly eContentType: Tlv;
  readonly certificates: Tlv | null;
  readonly crls: Tlv | null;
  /** version, sid, digestAlgorithm, signedAttrs, signatureAlgorithm, signature: what §5.5.3 item 3 hashes. */
  readonly signerFields: readonly Tlv[];
  readonly unsignedAttrs: Tlv | null;
};

const malformed = (why: string) => new CoreError('CMS_MALFORMED', `the signature cannot be read or extended: ${why}`);

export function signedDataLayout(der: Uint8Array): SignedDataLayout {
  const ci = rootOf(der);
  const [oid, explicit] = childrenOf(der, ci);
  if (!oid || !explicit || oidOf(der, oid) !== OID.signedData || explicit.tag !== 0xa0)
    throw malformed('not a ContentInfo(SignedData)');
  const sd = readTlv(der, explicit.contentStart, explicit.end);
  if (sd.end !== explicit.end || sd.tag !== 0x30) throw malformed('the [0] content is not exactly one SignedData');
  const f = childrenOf(der, sd);
  const [version, digestAlgorithms, encapContentInfo] = f;
  const signerInfos = f.at(-1);
  if (!version || !digestAlgorithms || !encapContentInfo || !signerInfos || signerInfos.tag !== 0x31)
    throw malformed('SignedData lacks its fields');
  const certificates = f.slice(3, -1).find((t) => t.tag === 0xa0) ?? null;
  const crls = f.slice(3, -1).find((t) => t.tag === 0xa1) ?? null;
  const infos = childrenOf(der, signerInfos);
  if (infos.length !== 1) throw malformed(`${infos.length} SignerInfos; a CAdES seal has exactly one`);
  const si = infos[0]!;
  const siFields = childrenOf(der, si);
  const last = siFields.at(-1);
  const unsignedAttrs = siFields.length === 7 && last?.tag === 0xa1 ? last : null;
  const signerFields = unsignedAttrs ? siFields.slice(0, -1) : siFields;
  if (signerFields.length !== 6 || signerFields[3]!.tag !== 0xa0)
    throw malformed('the SignerInfo has no signed attributes (CAdES requires them)');
  const eContentType = childrenOf(der, encapContentInfo)[0];
  if (!eContentType) throw malformed('no eContentType');
  return {
    der,
    path: [ci, explicit, sd, signerInfos, si],
    contentInfoOid: oid,
    version,
    digestAlgorithms,
    encapContentInfo,
    eContentType,
    certificates,
    crls,
    signerFields,
    unsignedAttrs,
  };
}

export function unsignedAttributes(l: SignedDataLayout): EncodedAttribute[] {
  return l.unsignedAttrs ? attributesIn(l.der, l.unsignedAttrs) : [];
}

const attributesIn = (der: Uint8Array, set: Tlv): EncodedAttribute[] => asCmsError(() => attributesOf(der, set));

const digest = (alg: HashAlgorithm, ...parts: readonly Uint8Array[]) => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** The three hash lists of §5.5.2 for the SignedData as it stands: each CertificateChoices, each RevocationInfoChoice,
 * and attrType ‖ attrValue for every value of every unsigned attribute, in their order of appearance. */
export function hashIndexLists(
  l: SignedDataLayout,
  alg: HashAlgorithm,
  version: HashIndexVersion = 3,
): { certificates: Uint8Array[]; crls: Uint8Array[]; unsignedAttrValues: Uint8Array[] } {
  const each = (set: Tlv | null) => (set ? childrenOf(l.der, set).map((t) => digest(alg, slice(l.der, t))) : []);
  const attrs = unsignedAttributes(l);
  return {
    certificates: each(l.certificates),
    crls: each(l.crls),
    // v3 hashes attrType ‖ each value; the earlier versions (read only) hash each whole Attribute.
    unsignedAttrValues:
      version === 3
        ? attrs.flatMap((a) => a.values.map((v) => digest(alg, a.typeBytes, v)))
        : attrs.map((a) => digest(alg, slice(l.der, a.tlv))),
  };
}

/** 3: ats-hash-index-v3 (what Sealdesk writes); 1 and 2: the TS 101 733 and EN 319 122-1 v1.0.0 forms, still read. */
export type HashIndexVersion = 1 | 2 | 3;

/** DER ATSHashIndexV3 ::= SEQUENCE { hashIndAlgorithm, certificatesHashIndex, crlsHashIndex, unsignedAttrValuesHashIndex }. */
export function atsHashIndexV3(l: SignedDataLayout, alg: HashAlgorithm): Uint8Array {
  const lists = hashIndexLists(l, alg);
  const octets = (hashes: readonly Uint8Array[]) => tlv(0x30, ...hashes.map((h) => tlv(0x04, h)));
  return tlv(
    0x30,
    tlv(0x30, oidTlv(hashOid(alg))),
    octets(lists.certificates),
    octets(lists.crls),
    octets(lists.unsignedAttrValues),
  );
}

/** §5.5.3: the parts the imprint hashes, in order — eContentType ‖ H(content) ‖ version ‖ sid ‖ digestAlgorithm ‖
 * signedAttrs ‖ signatureAlgorithm ‖ signature ‖ ATSHashIndexV3 (the content digest made with the imprint's algorithm). */
export function atsV3Preimage(l: SignedDataLayout, contentDigest: Uint8Array, hashIndexDer: Uint8Array): Uint8Array[] {
  return [slice(l.der, l.eContentType), contentDigest, ...l.signerFields.map((f) => slice(l.der, f)), hashIndexDer];
}

export function atsV3Imprint(
  l: SignedDataLayout,
  alg: HashAlgorithm,
  contentDigest: Uint8Array,
  hashIndexDer: Uint8Array,
): Uint8Array {
  return digest(alg, ...atsV3Preimage(l, contentDigest, hashIndexDer));
}

/** An ats-hash-index-v3 read back from a time-stamp token. */
export type HashIndex = {
  readonly version: HashIndexVersion;
  readonly der: Uint8Array;
  readonly algorithmOid: string;
  readonly algorithm: HashAlgorithm | null;
  readonly certificates: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly unsignedAttrValues: readonly Uint8Array[];
};

export type ArchiveTimestampEntry = {
  /** 1-based, in the order of the unsigned attributes. */
  readonly n: number;
  readonly token: Uint8Array;
  readonly hashIndex: HashIndex | null;
  readonly problem: string | null;
};

export function archiveTimestampEntries(l: SignedDataLayout): ArchiveTimestampEntry[] {
  const tokens = unsignedAttributes(l)
    .filter((a) => a.type === CMS_OID.archiveTimeStampV3)
    .flatMap((a) => a.values);
  return tokens.map((token, i) => {
    try {
      return { n: i + 1, token, hashIndex: hashIndexOf(token), problem: null };
    } catch (err) {
      return { n: i + 1, token, hashIndex: null, problem: (err as Error).message };
    }
  });
}

function hashIndexOf(token: Uint8Array): HashIndex {
  const t = signedDataLayout(token);
  const versions: Record<string, HashIndexVersion> = {
    [CMS_OID.atsHashIndexV3]: 3,
    [CMS_OID.atsHashIndexV2]: 2,
    [CMS_OID.atsHashIndexV1]: 1,
  };
  const found = unsignedAttributes(t).filter((a) => versions[a.type] !== undefined);
  const attr = found[0];
  if (!attr || found.length !== 1 || attr.values.length !== 1)
    throw new Error(
      found.length > 1
        ? 'its token carries more than one ats-hash-index'
        : 'its token carries no ats-hash-index-v3 attribute',
    );
  const version = versions[attr.type]!;
  const der = attr.values[0]!;
  const parts = childrenOf(der, rootOf(der));
  // hashIndAlgorithm may be left out (DEFAULT id-sha256) only in the TS 101 733 form.
  const hasAlg = parts.length === 4;
  if (!(hasAlg || (version === 1 && parts.length === 3)) || parts.some((p) => p.tag !== 0x30))
    throw new Error('its ats-hash-index is malformed');
  const algorithmOid = hasAlg ? oidOf(der, childrenOf(der, parts[0]!)[0]!) : OID.sha256;
  const lists = parts.slice(hasAlg ? 1 : 0);
  const octets = (t: Tlv) => childrenOf(der, t).map((o) => new Uint8Array(content(der, o)));
  return {
    version,
    der,
    algorithmOid,
    algorithm: hashFromOid(algorithmOid) ?? null,
    certificates: octets(lists[0]!),
    crls: octets(lists[1]!),
    unsignedAttrValues: octets(lists[2]!),
  };
}

/** What the entry's imprint must be over the SignedData as it stands, and every index entry that matches nothing. */
export function recomputeArchiveImprint(
  l: SignedDataLayout,
  hashIndex: HashIndex,
  contentDigest: Uint8Array,
): { imprint: Uint8Array; unmatched: string[] } {
  const alg = hashIndex.algorithm!;
  const now = hashIndexLists(l, alg, hashIndex.version);
  const hex = (list: readonly Uint8Array[]) => new Set(list.map((h) => Buffer.from(h).toString('hex')));
  const unmatched: string[] = [];
  const check = (what: string, indexed: readonly Uint8Array[], present: readonly Uint8Array[]) => {
    const have = hex(present);
    const missing = indexed.filter((h) => !have.has(Buffer.from(h).toString('hex'))).length;
    if (missing)
      unmatched.push(`${missing} ${what} it covers ${missing === 1 ? 'is' : 'are'} no longer in the signature`);
  };
  check('certificate(s)', hashIndex.certificates, now.certificates);
  check('revocation value(s)', hashIndex.crls, now.crls);
  check('unsigned attribute value(s)', hashIndex.unsignedAttrValues, now.unsignedAttrValues);
  return { imprint: atsV3Imprint(l, alg, contentDigest, hashIndex.der), unmatched };
}

/** The signature time-stamp and archive time-stamp tokens, in the order of the unsigned attributes. */
export function embeddedTokens(l: SignedDataLayout): { kind: 'signature' | 'archive'; token: Uint8Array }[] {
  return unsignedAttributes(l).flatMap((a) => {
    const kind =
      a.type === CMS_OID.signatureTimeStampToken
        ? 'signature'
        : a.type === CMS_OID.archiveTimeStampV3
          ? 'archive'
          : null;
    return kind ? a.values.map((token) => ({ kind, token })) : [];
  });
}

/** The content octets of SignerInfo.signature: what a signature time-stamp's imprint is the hash of (RFC 3161 App. A). */
export function signatureValue(l: SignedDataLayout): Uint8Array {
  const sig = l.signerFields[5]!;
  if (sig.tag !== 0x04) throw malformed("the SignerInfo's signature is not a primitive OCTET STRING");
  return new Uint8Array(content(l.der, sig));
}

/** The exact bytes of each X.509 certificate in SignedData.certificates (other CertificateChoices skipped). */
export function certificatesIn(l: SignedDataLayout): Uint8Array[] {
  return l.certificates
    ? childrenOf(l.der, l.certificates)
        .filter((t) => t.tag === 0x30)
        .map((t) => slice(l.der, t))
    : [];
}
