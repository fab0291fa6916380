// Builds RFC 3161 tokens with pkijs for signers OpenSSL refuses (no or non-critical EKU) or deliberate flaws.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from '../../core/asn1/bytes.js';
import { OID } from '../../core/asn1/oids.js';
import type { TestCert } from './pki.js';

const engine = new pkijs.CryptoEngine({
  name: 'forge',
  crypto: webcrypto as unknown as ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'],
});

export type ForgeOptions = {
  readonly request: Uint8Array;
  readonly signer: TestCert;
  readonly chain?: readonly TestCert[];
  readonly policyOid?: string;
  readonly genTime?: Date;
  /** Replaces the ESSCertIDv2 hash (to make a token that names another certificate). */
  readonly essCertHash?: Uint8Array;
};

/** A granted TimeStampResp answering `request`, signed by `signer` with the attributes RFC 3161 requires. */
export async function forgeResponse(o: ForgeOptions): Promise<Uint8Array> {
  const req = pkijs.TimeStampReq.fromBER(exactBuffer(o.request));
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: o.policyOid ?? '1.3.6.1.4.1.99999.1.1',
    messageImprint: req.messageImprint,
    serialNumber: new asn1js.Integer({ valueHex: exactBuffer(randomBytes(8).fill(0x11, 0, 1)) }),
    genTime: o.genTime ?? new Date(),
    ...(req.nonce ? { nonce: req.nonce } : {}),
  });
  const tstDer = new Uint8Array(tst.toSchema().toBER(false));
  const cert = pkijs.Certificate.fromBER(exactBuffer(o.signer.der));
  const essHash = o.essCertHash ?? new Uint8Array(createHash('sha256').update(o.signer.der).digest());
  const signingCertificateV2 = new asn1js.Sequence({
    value: [
      new asn1js.Sequence({
        value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: exactBuffer(essHash) })] })],
      }),
    ],
  });
  const sd = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({
      eContentType: OID.tstInfo,
      eContent: new asn1js.OctetString({ valueHex: exactBuffer(tstDer) }),
    }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({
              type: OID.contentType,
              values: [new asn1js.ObjectIdentifier({ value: OID.tstInfo })],
            }),
            new pkijs.Attribute({
              type: OID.messageDigest,
              values: [new asn1js.OctetString({ valueHex: exactBuffer(createHash('sha256').update(tstDer).digest()) })],
            }),
            new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2] }),
          ],
        }),
      }),
    ],
    certificates: req.certReq
      ? [cert, ...(o.chain ?? []).map((c) => pkijs.Certificate.fromBER(exactBuffer(c.der)))]
      : undefined,
  });
  await sd.sign(
    o.signer.keys.privateKey as unknown as Parameters<pkijs.SignedData['sign']>[0],
    0,
    'SHA-256',
    undefined,
    engine,
  );
  const token = new pkijs.ContentInfo({ contentType: OID.signedData, content: sd.toSchema(true) });
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }),
    timeStampToken: token,
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}

/** A TimeStampResp with status rejection, "unsupported algorithm", failInfo badAlg (bit 0). */
export function rejectionResponse(): Uint8Array {
  const resp = new pkijs.TimeStampResp({
    status: new pkijs.PKIStatusInfo({
      status: pkijs.PKIStatus.rejection,
      statusStrings: [new asn1js.Utf8String({ value: 'unsupported algorithm' })],
      failInfo: new asn1js.BitString({ valueHex: new Uint8Array([0x80]).buffer, unusedBits: 7 }),
    }),
  });
  return new Uint8Array(resp.toSchema().toBER(false));
}
