// RFC 3161 §2.4.2: decode a TimeStampResp (.tsr) or a bare TimeStampToken (.tst) into plain facts.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, hashFromOid, type HashAlgorithm } from '../asn1/oids.js';
import { integerHex } from '../asn1/bytes.js';
import { certificateDers, decodeDer, octetStringBytes } from '../asn1/der.js';
import { nameToString } from '../asn1/names.js';
import { pkijsCertificate } from '../asn1/pkijs-certificate.js';
import { TimestampError } from '../errors.js';

export type PkiStatusInfo = {
  /** 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification. */
  readonly status: number;
  readonly statusText: string;
  readonly statusStrings: readonly string[];
  readonly failInfo: readonly string[];
};

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

/** A decoded token. `signedData` stays inside core/tsp; everything else is plain data. */
export type DecodedTimeStamp = {
  readonly kind: 'response' | 'token';
  readonly status: PkiStatusInfo | null;
  readonly token: DecodedToken | null;
};

export type DecodedToken = {
  readonly der: Uint8Array;
  readonly tstInfo: TstInfo;
  readonly signedData: pkijs.SignedData;
  /** Exact DER of each certificate in the token, with its parsed form. */
  readonly certificates: readonly Uint8Array[];
  readonly parsedCertificates: readonly pkijs.Certificate[];
};

const STATUS_TEXT = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
const FAIL_INFO: Record<number, string> = { 0: 'badAlg', 2: 'badRequest', 5: 'badDataFormat', 14: 'timeNotAvailable', 15: 'unacceptedPolicy', 16: 'unacceptedExtension', 17: 'addInfoNotAvailable', 25: 'systemFailure' };

export function parseFailure(message: string, cause?: unknown): TimestampError {
  return new TimestampError('parse', message, null, { cause });
}

/** Parses DER bytes strictly: one ASN.1 value, nothing after it. */
function parseDer(der: Uint8Array, what: string): asn1js.AsnType {
  const parsed = decodeDer(der);
  if (parsed.error !== undefined) throw parseFailure(`malformed ${what}: ${parsed.error}`);
  return parsed.result;
}

export function decodeTimeStamp(der: Uint8Array): DecodedTimeStamp {
  const root = parseDer(der, 'TSR');
  if (!(root instanceof asn1js.Sequence) || root.valueBlock.value.length === 0) throw parseFailure('malformed TSR: not a SEQUENCE');
  const first = root.valueBlock.value[0];
  if (first instanceof asn1js.ObjectIdentifier) return { kind: 'token', status: null, token: decodeToken(root, der) };
  // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }. Read field by field:
  // pkijs' TimeStampResp would schema-check the whole token once more before decodeToken does (the costliest step).
  if (root.valueBlock.value.length > 2) throw parseFailure('malformed TSR: more than status and token');
  let info: pkijs.PKIStatusInfo;
  try {
    info = new pkijs.PKIStatusInfo({ schema: first });
  } catch (err) {
    throw parseFailure(`malformed TSR: ${(err as Error).message}`, err);
  }
  const status = decodeStatus(info);
  const tokenBlock = root.valueBlock.value[1];
  if (!tokenBlock) return { kind: 'response', status, token: null };
  return { kind: 'response', status, token: decodeToken(tokenBlock, exactBytes(tokenBlock)) };
}

/** The bytes a block was decoded from: exact DER as received, never a re-encoding. */
function exactBytes(block: asn1js.AsnType): Uint8Array {
  return new Uint8Array(block.valueBeforeDecodeView);
}

function decodeStatus(info: pkijs.PKIStatusInfo): PkiStatusInfo {
  const status = info.status;
  const statusStrings = (info.statusStrings ?? []).map((s) => s.valueBlock.value);
  const failInfo: string[] = [];
  if (info.failInfo) {
    const bits = info.failInfo.valueBlock.valueHexView;
    const unused = info.failInfo.valueBlock.unusedBits;
    for (let bit = 0; bit < bits.length * 8 - unused; bit++) {
      if (bits[bit >> 3]! & (0x80 >> (bit & 7))) failInfo.push(FAIL_INFO[bit] ?? `bit ${bit}`);
    }
  }
  return { status, statusText: STATUS_TEXT[status] ?? `unknown (${status})`, statusStrings, failInfo };
}

function decodeToken(schema: asn1js.AsnType, der: Uint8Array): DecodedToken {
  let signedData: pkijs.SignedData;
  let content: asn1js.AsnType;
  try {
    const contentInfo = new pkijs.ContentInfo({ schema });
    if (contentInfo.contentType !== OID.signedData) throw new Error(`content type ${contentInfo.contentType} is not SignedData`);
    content = contentInfo.content as asn1js.AsnType;
    // The certificates are parsed apart, once per distinct DER (pkijsCertificate); the rest is schema-checked here.
    signedData = new pkijs.SignedData({ schema: withoutCertificates(content) });
  } catch (err) {
    throw parseFailure(`malformed time-stamp token: ${(err as Error).message}`, err);
  }
  const certificates = certificateDers(content);
  let parsedCertificates: pkijs.Certificate[];
  try {
    parsedCertificates = certificates.map(pkijsCertificate);
  } catch (err) {
    throw parseFailure(`malformed time-stamp token: a certificate in it cannot be read (${(err as Error).message})`, err);
  }
  const encap = signedData.encapContentInfo;
  if (encap.eContentType !== OID.tstInfo) throw parseFailure(`malformed time-stamp token: content type ${encap.eContentType} is not id-ct-TSTInfo`);
  if (!encap.eContent) throw parseFailure('malformed time-stamp token: no TSTInfo content');
  const tstInfo = decodeTstInfo(octetStringBytes(encap.eContent));
  return { der, tstInfo, signedData, certificates, parsedCertificates };
}

/** SignedData without its `certificates [0]` field (the same blocks otherwise, so exact bytes are kept). */
function withoutCertificates(content: asn1js.AsnType): asn1js.AsnType {
  if (!(content instanceof asn1js.Sequence)) return content;
  const fields = content.valueBlock.value;
  const kept = fields.filter((b) => !(b.idBlock.tagClass === 3 && b.idBlock.tagNumber === 0));
  return kept.length === fields.length ? content : new asn1js.Sequence({ value: kept });
}

function decodeTstInfo(bytes: Uint8Array): TstInfo {
  let info: pkijs.TSTInfo;
  try {
    info = new pkijs.TSTInfo({ schema: parseDer(bytes, 'TSTInfo') });
  } catch (err) {
    if (err instanceof TimestampError) throw err;
    throw parseFailure(`malformed TSTInfo: ${(err as Error).message}`, err);
  }
  const hashAlgorithmOid = info.messageImprint.hashAlgorithm.algorithmId;
  const acc = info.accuracy;
  return {
    policyOid: info.policy,
    hashAlgorithmOid,
    hashAlgorithm: hashFromOid(hashAlgorithmOid),
    imprint: new Uint8Array(info.messageImprint.hashedMessage.valueBlock.valueHexView),
    serialHex: integerHex(new Uint8Array(info.serialNumber.valueBlock.valueHexView)),
    genTime: info.genTime,
    accuracy: acc ? { seconds: acc.seconds ?? 0, millis: acc.millis ?? 0, micros: acc.micros ?? 0 } : null,
    ordering: info.ordering ?? false,
    nonceHex: info.nonce ? integerHex(new Uint8Array(info.nonce.valueBlock.valueHexView)) : null,
    tsaField: info.tsa ? generalNameToString(info.tsa) : null,
  };
}

function generalNameToString(name: pkijs.GeneralName): string {
  // type 4 = directoryName (RFC 5280 GeneralName); others carry a string value.
  if (name.type === 4) return nameToString(new Uint8Array((name.value as pkijs.RelativeDistinguishedNames).toSchema().toBER(false)));
  return String(name.value);
}
