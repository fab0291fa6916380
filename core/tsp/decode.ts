// RFC 3161 §2.4.2: decode a TimeStampResp (.tsr) or a bare TimeStampToken (.tst) into plain facts, by a TLV walk over
// the exact bytes (core/asn1/tlv.ts): a bulk restamp decodes one reply per chain, and asn1js/pkijs took ~6 ms each.
import { OID, hashFromOid, type HashAlgorithm } from '../asn1/oids.js';
import { integerHex } from '../asn1/bytes.js';
import { nameToString } from '../asn1/names.js';
import {
  TlvError,
  bitSet,
  bitString,
  childrenOf,
  content,
  generalizedTime,
  integerBytes,
  octets,
  oidOf,
  rootOf,
  slice,
  smallInteger,
  type Tlv,
} from '../asn1/tlv.js';
import { attributesOf, type RawAttribute } from '../cms/attributes.js';
import { algorithmOf, type AlgorithmRef } from '../cms/signature-algorithms.js';
import { signerIdOf, type SignerId } from '../cms/signer-info.js';
import { signedDataFields } from '../cms/content-info.js';
import { TimestampError } from '../errors.js';

import type { PkiStatusInfo } from '../model/facts.js';

export type { PkiStatusInfo };

export type TstInfo = {
  readonly policyOid: string;
  readonly hashAlgorithmOid: string;
  readonly hashAlgorithm: HashAlgorithm | undefined;
  readonly imprint: Uint8Array;
  readonly serialHex: string;
  readonly genTime: Date;
  readonly accuracy: { readonly seconds: number; readonly millis: number; readonly micros: number } | null;
  readonly ordering: boolean;
  readonly nonceHex: string | null;
  /** TSTInfo's tsa field, when the TSA named itself. */
  readonly tsaField: string | null;
};

export type DecodedTimeStamp = {
  readonly kind: 'response' | 'token';
  readonly status: PkiStatusInfo | null;
  readonly token: DecodedToken | null;
};

/** RFC 5652 §5.3 SignerInfo, as exact bytes. */
export type DecodedSignerInfo = {
  readonly sid: SignerId;
  readonly digestAlgorithmOid: string;
  /** The signed attributes as encoded ([0] IMPLICIT tag included), null when absent. */
  readonly signedAttrs: Uint8Array | null;
  readonly signedAttributes: readonly RawAttribute[];
  readonly signatureAlgorithm: AlgorithmRef;
  readonly signature: Uint8Array;
};

export type DecodedToken = {
  /** Exact DER of the TimeStampToken (ContentInfo). */
  readonly der: Uint8Array;
  readonly tstInfo: TstInfo;
  readonly eContentType: string;
  /** The encapsulated content: the DER of the TSTInfo, as signed. */
  readonly eContent: Uint8Array;
  readonly signerInfos: readonly DecodedSignerInfo[];
  /** Exact DER of each certificate in the token (other CertificateChoices skipped). */
  readonly certificates: readonly Uint8Array[];
};

const STATUS_TEXT = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];
const FAIL_INFO_MAX_BYTES = 8;
/** A token has one signer and a few certificates; past these a reply is refused (RESOURCE_LIMIT in inspect). */
const MAX_SIGNER_INFOS = 16;
const MAX_CERTIFICATES = 1_000;
const MAX_STATUS_STRINGS = 16;
const MAX_STATUS_STRING_BYTES = 4096;
const FAIL_INFO: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

export function parseFailure(message: string, cause?: unknown): TimestampError {
  return new TimestampError('parse', message, null, { cause });
}

/** Runs a walk, turning the TLV reader's complaints into a `parse` TimestampError naming what was being read. */
function reading<T>(what: string, walk: () => T): T {
  try {
    return walk();
  } catch (err) {
    if (err instanceof TlvError) throw parseFailure(`malformed ${what}: ${err.message}`, err);
    throw err;
  }
}

export function decodeTimeStamp(der: Uint8Array): DecodedTimeStamp {
  if (der.byteLength === 0) throw parseFailure('malformed TSR: empty');
  const { root, fields } = reading('TSR', () => {
    const r = rootOf(der);
    if (r.tag !== 0x30) throw new TlvError('not a SEQUENCE');
    return { root: r, fields: childrenOf(der, r) };
  });
  const [first, tokenBlock] = fields;
  if (!first) throw parseFailure('malformed TSR: not a SEQUENCE');
  if (first.tag === 0x06) return { kind: 'token', status: null, token: decodeToken(der, root) };
  // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
  if (fields.length > 2) throw parseFailure('malformed TSR: more than status and token');
  const status = reading('TSR status', () => decodeStatus(der, first));
  if (!tokenBlock) return { kind: 'response', status, token: null };
  return { kind: 'response', status, token: decodeToken(der, tokenBlock) };
}

/** PKIStatusInfo ::= SEQUENCE { status INTEGER, statusString SEQUENCE OF UTF8String OPTIONAL, failInfo BIT STRING OPTIONAL } */
function decodeStatus(der: Uint8Array, t: Tlv): PkiStatusInfo {
  if (t.tag !== 0x30) throw new TlvError('PKIStatusInfo is not a SEQUENCE');
  const [statusTlv, ...rest] = childrenOf(der, t);
  if (rest.length > 2) throw new TlvError('PKIStatusInfo has more than status, statusString and failInfo');
  if (statusTlv?.tag !== 0x02) throw new TlvError('PKIStatusInfo has no status');
  const status = smallInteger(der, statusTlv);
  const strings = rest.find((f) => f.tag === 0x30);
  const statusStrings = strings ? childrenOf(der, strings, MAX_STATUS_STRINGS).map((s) => statusString(der, s)) : [];
  const bits = rest.find((f) => (f.tag & 0xdf) === 0x03); // a constructed (BER) BIT STRING too: bitString refuses it
  const other = rest.find((f) => f !== strings && f !== bits);
  if (other) throw new TlvError(`PKIStatusInfo has a field with tag 0x${other.tag.toString(16)}`);
  return {
    status,
    statusText: STATUS_TEXT[status] ?? `unknown (${status})`,
    statusStrings,
    failInfo: bits ? failInfoOf(der, bits) : [],
  };
}

/** PKIFreeText ::= SEQUENCE SIZE (1..MAX) OF UTF8String (RFC 4210 §5.1.1), each shown cut to a readable length. */
function statusString(der: Uint8Array, s: Tlv): string {
  if ((s.tag & 0x20) !== 0) throw new TlvError('a statusString element is not a string');
  const c = content(der, s);
  const text = Buffer.from(c.subarray(0, MAX_STATUS_STRING_BYTES)).toString(s.tag === 0x0c ? 'utf8' : 'latin1');
  return c.length > MAX_STATUS_STRING_BYTES ? `${text}… (${c.length} bytes)` : text;
}

/**
 * PKIFailureInfo (RFC 3161 §2.4.2) names bits 0..25, so it fits in 4 bytes; DER drops trailing zero bits, a lax
 * encoder may not. Read as flags from the bytes; a value longer than FAIL_INFO_MAX_BYTES is malformed, not walked.
 */
function failInfoOf(der: Uint8Array, t: Tlv): string[] {
  const b = bitString(der, t, FAIL_INFO_MAX_BYTES);
  const out: string[] = [];
  for (let bit = 0; bit < b.bits.length * 8; bit++) if (bitSet(b, bit)) out.push(FAIL_INFO[bit] ?? `bit ${bit}`);
  return out;
}

/** ContentInfo { contentType id-signedData, content [0] EXPLICIT SignedData } with id-ct-TSTInfo inside. */
function decodeToken(der: Uint8Array, ci: Tlv): DecodedToken {
  const token = reading('time-stamp token', () => {
    // SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo, certificates [0] OPTIONAL, crls [1] OPTIONAL, signerInfos SET }
    const f = signedDataFields(der, ci);
    const [version, digestAlgorithms, encap] = f;
    const signerInfos = f.at(-1);
    if (
      version?.tag !== 0x02 ||
      digestAlgorithms?.tag !== 0x31 ||
      encap?.tag !== 0x30 ||
      signerInfos?.tag !== 0x31 ||
      f.length < 4
    )
      throw new TlvError('SignedData lacks its fields');
    const [eType, eExplicit] = childrenOf(der, encap);
    if (eType?.tag !== 0x06) throw new TlvError('EncapsulatedContentInfo has no content type');
    const eContentTlv = eExplicit?.tag === 0xa0 ? childrenOf(der, eExplicit)[0] : undefined;
    const certSet = f.slice(3, -1).find((t) => t.tag === 0xa0);
    return {
      der: slice(der, ci),
      eContentType: oidOf(der, eType),
      eContent: eContentTlv && (eContentTlv.tag & 0x1f) === 0x04 ? octets(der, eContentTlv) : null,
      signerInfos: childrenOf(der, signerInfos, MAX_SIGNER_INFOS).map((si) => decodeSignerInfo(der, si)),
      certificates: certSet
        ? childrenOf(der, certSet, MAX_CERTIFICATES)
            .filter((c) => c.tag === 0x30)
            .map((c) => slice(der, c))
        : [],
    };
  });
  if (token.eContentType !== OID.tstInfo)
    throw parseFailure(`malformed time-stamp token: content type ${token.eContentType} is not id-ct-TSTInfo`);
  if (!token.eContent) throw parseFailure('malformed time-stamp token: no TSTInfo content');
  const eContent = token.eContent;
  return { ...token, eContent, tstInfo: reading('TSTInfo', () => decodeTstInfo(eContent)) };
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, signedAttrs [0] OPTIONAL, signatureAlgorithm, signature, unsignedAttrs [1] OPTIONAL } */
function decodeSignerInfo(der: Uint8Array, t: Tlv): DecodedSignerInfo {
  const f = t.tag === 0x30 ? childrenOf(der, t) : [];
  const [version, sid, digestAlg] = f;
  let i = 3;
  const attrs = f[i]?.tag === 0xa0 ? f[i++] : undefined;
  const [sigAlg, signature] = [f[i], f[i + 1]];
  if (
    version?.tag !== 0x02 ||
    !sid ||
    digestAlg?.tag !== 0x30 ||
    sigAlg?.tag !== 0x30 ||
    (signature?.tag !== 0x04 && signature?.tag !== 0x24)
  )
    throw new TlvError('SignerInfo lacks its fields');
  return {
    sid: signerIdOf(slice(der, sid)),
    digestAlgorithmOid: algorithmOf(der, digestAlg).algorithmId,
    signedAttrs: attrs ? slice(der, attrs) : null,
    signedAttributes: attrs ? attributesOf(der, attrs) : [],
    signatureAlgorithm: algorithmOf(der, sigAlg),
    signature: octets(der, signature),
  };
}

/** TSTInfo (RFC 3161 §2.4.2): version, policy, messageImprint, serialNumber, genTime, accuracy?, ordering?, nonce?, tsa [0]?, extensions [1]? */
function decodeTstInfo(bytes: Uint8Array): TstInfo {
  const root = rootOf(bytes);
  const f = root.tag === 0x30 ? childrenOf(bytes, root) : [];
  const [version, policy, imprint, serial, genTime] = f;
  if (
    version?.tag !== 0x02 ||
    policy?.tag !== 0x06 ||
    imprint?.tag !== 0x30 ||
    serial?.tag !== 0x02 ||
    genTime?.tag !== 0x18
  )
    throw new TlvError('TSTInfo lacks its fields');
  const [hashAlg, hashed] = childrenOf(bytes, imprint);
  if (hashAlg?.tag !== 0x30 || hashed?.tag !== 0x04) throw new TlvError('malformed messageImprint');
  const hashAlgorithmOid = algorithmOf(bytes, hashAlg).algorithmId;
  const rest = f.slice(5);
  const accuracy = rest.find((t) => t.tag === 0x30);
  const ordering = rest.find((t) => t.tag === 0x01);
  const nonce = rest.find((t) => t.tag === 0x02);
  const tsa = rest.find((t) => t.tag === 0xa0);
  return {
    policyOid: oidOf(bytes, policy),
    hashAlgorithmOid,
    hashAlgorithm: hashFromOid(hashAlgorithmOid),
    imprint: new Uint8Array(content(bytes, hashed)),
    serialHex: integerHex(integerBytes(bytes, serial)),
    genTime: generalizedTime(bytes, genTime),
    accuracy: accuracy ? decodeAccuracy(bytes, accuracy) : null,
    ordering: ordering ? content(bytes, ordering)[0] !== 0 : false,
    nonceHex: nonce ? integerHex(integerBytes(bytes, nonce)) : null,
    tsaField: tsa ? generalNameToString(bytes, childrenOf(bytes, tsa)[0]) : null,
  };
}

/** Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] INTEGER OPTIONAL, micros [1] INTEGER OPTIONAL } */
function decodeAccuracy(bytes: Uint8Array, t: Tlv) {
  const a = { seconds: 0, millis: 0, micros: 0 };
  for (const part of childrenOf(bytes, t)) {
    if (part.tag === 0x02) a.seconds = smallInteger(bytes, part);
    else if (part.tag === 0x80) a.millis = smallInteger(bytes, part);
    else if (part.tag === 0x81) a.micros = smallInteger(bytes, part);
  }
  return a;
}

/** GeneralName (RFC 5280 §4.2.1.6): a directoryName [4] as an RFC 4514 string, the string forms as they are. */
function generalNameToString(bytes: Uint8Array, name: Tlv | undefined): string {
  if (!name) throw new TlvError('empty tsa field');
  if (name.tag === 0xa4) {
    const inner = childrenOf(bytes, name)[0];
    if (!inner) throw new TlvError('the tsa field holds an empty directoryName');
    try {
      return nameToString(slice(bytes, inner));
    } catch (err) {
      throw new TlvError(`the tsa field's directoryName is not a valid Name (${(err as Error).message})`); // x509's parser throws anything
    }
  }
  if ((name.tag & 0x20) === 0) return Buffer.from(content(bytes, name)).toString('latin1');
  return `[${name.tag & 0x1f}]`;
}
