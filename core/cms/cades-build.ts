// ETSI EN 319 122-1 CAdES-B (detached): SignedData with content-type, message-digest, signing-time (not for PAdES),
// ESS signing-certificate-v2.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { CMS_OID, OID } from '../asn1/oids.js';
import { exactBuffer } from '../asn1/bytes.js';
import { hashBytes } from '../hash/hash-file.js';
import type { SignatureAlgorithm, Signer } from '../model/signer.js';
import { digestAlgorithm, signatureAlgorithm } from './algorithms.js';

export type CadesOptions = {
  readonly signer: Signer;
  /** Digest of the detached content, made with `algorithm.hash` (the file is hashed by streaming). */
  readonly contentDigest: Uint8Array;
  /** The signing-time attribute; omitted for PAdES, where the signature dictionary's /M carries the claimed time. */
  readonly signingTime?: Date;
  readonly algorithm?: SignatureAlgorithm;
};

export type CadesSignature = {
  /** DER ContentInfo(SignedData), detached: what a .p7s holds. */
  readonly der: Uint8Array;
  /** The SignerInfo's signature value: what a signature-time-stamp's imprint covers. */
  readonly signatureValue: Uint8Array;
  readonly algorithm: SignatureAlgorithm;
};

/** The signer's chain parsed once per signer, not once per file. */
const parsedChains = new WeakMap<
  Signer,
  { leaf: pkijs.Certificate; all: pkijs.Certificate[]; essCertV2: asn1js.Sequence }
>();

function parsedChain(signer: Signer) {
  let parsed = parsedChains.get(signer);
  if (!parsed) {
    const [leafDer] = signer.chain;
    if (!leafDer) throw new RangeError('the signer has no certificate');
    const all = signer.chain.map((c) => {
      const cert = pkijs.Certificate.fromBER(exactBuffer(c));
      // pkijs re-parses a certificate's TBS on every toSchema(); the chain is the same for every file it seals.
      const schema = cert.toSchema();
      cert.toSchema = () => schema;
      return cert;
    });
    parsed = { leaf: all[0]!, all, essCertV2: essSigningCertificateV2(leafDer, all[0]!) };
    parsedChains.set(signer, parsed);
  }
  return parsed;
}

export async function buildCades(o: CadesOptions): Promise<CadesSignature> {
  const alg = o.algorithm ?? o.signer.defaultAlgorithm;
  const { leaf, all, essCertV2 } = parsedChain(o.signer);
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: derSorted([
      attr(OID.contentType, new asn1js.ObjectIdentifier({ value: CMS_OID.data })),
      attr(OID.messageDigest, new asn1js.OctetString({ valueHex: exactBuffer(o.contentDigest) })),
      ...(o.signingTime ? [attr(CMS_OID.signingTime, signingTimeValue(o.signingTime))] : []),
      attr(OID.signingCertificateV2, essCertV2),
    ]),
  });
  // RFC 5652 §5.4: the signature covers the DER of the attributes with an explicit SET OF tag.
  const toBeSigned = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toBeSigned[0] = 0x31;
  const signatureValue = await o.signer.sign(toBeSigned, alg);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: leaf.issuer, serialNumber: leaf.serialNumber }),
    digestAlgorithm: digestAlgorithm(alg.hash),
    signedAttrs,
    signatureAlgorithm: signatureAlgorithm(alg),
    signature: new asn1js.OctetString({ valueHex: exactBuffer(signatureValue) }),
  });
  const sd = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [digestAlgorithm(alg.hash)],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: CMS_OID.data }),
    certificates: all,
    signerInfos: [signerInfo],
  });
  return { der: wrap(sd), signatureValue, algorithm: alg };
}

/** CAdES-T: adds the signature-time-stamp unsigned attribute (its imprint covers the signature value). */
export function addSignatureTimeStamp(p7s: Uint8Array, tokenDer: Uint8Array): Uint8Array {
  const ci = pkijs.ContentInfo.fromBER(exactBuffer(p7s));
  const sd = new pkijs.SignedData({ schema: ci.content });
  const si = sd.signerInfos[0]!;
  const token = asn1js.fromBER(exactBuffer(tokenDer)).result;
  const attrs = si.unsignedAttrs?.attributes ?? [];
  si.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 1,
    attributes: [...attrs, attr(CMS_OID.signatureTimeStampToken, token)],
  });
  return wrap(sd);
}

function wrap(sd: pkijs.SignedData): Uint8Array {
  const ci = new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema(true) });
  return new Uint8Array(ci.toSchema().toBER(false));
}

/** X.690 §11.6: a DER SET OF is sorted by the encodings of its elements. */
function derSorted(attrs: pkijs.Attribute[]): pkijs.Attribute[] {
  const enc = new Map(attrs.map((a) => [a, Buffer.from(a.toSchema().toBER(false))]));
  return [...attrs].sort((a, b) => Buffer.compare(enc.get(a)!, enc.get(b)!));
}

function attr(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** RFC 5652 §11.3: UTCTime through 2049, GeneralizedTime after. */
function signingTimeValue(at: Date): asn1js.AsnType {
  const whole = new Date(Math.floor(at.getTime() / 1000) * 1000);
  return at.getUTCFullYear() < 2050
    ? new asn1js.UTCTime({ valueDate: whole })
    : new asn1js.GeneralizedTime({ valueDate: whole });
}

/** RFC 5035: SigningCertificateV2 { certs: [ESSCertIDv2 { certHash (SHA-256, the default), issuerSerial }] }. */
function essSigningCertificateV2(leafDer: Uint8Array, leaf: pkijs.Certificate): asn1js.Sequence {
  const issuerSerial = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [leaf.issuer.toSchema()] })],
      }),
      leaf.serialNumber,
    ],
  });
  const certId = new asn1js.Sequence({
    value: [new asn1js.OctetString({ valueHex: exactBuffer(hashBytes('sha256', leafDer)) }), issuerSerial],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] });
}
