// RFC 2986 PKCS#10 request signed by the provisioned key itself (on a token, in KMS, or in a file), via pkijs.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { exactBuffer } from '../asn1/bytes.js';
import { signatureAlgorithm } from '../cms/algorithms.js';
import type { Signer } from '../signers/signer.js';
import { pemEncode } from '../util/pem.js';

export type SubjectFields = {
  readonly commonName: string;
  readonly organization: string;
  readonly countryCode: string;
  readonly organizationalUnit?: string;
  readonly locality?: string;
  readonly state?: string;
};

/** RFC 4519 attribute types, in the usual order C, ST, L, O, OU, CN. */
const ATTRS: [keyof SubjectFields, string][] = [
  ['countryCode', '2.5.4.6'],
  ['state', '2.5.4.8'],
  ['locality', '2.5.4.7'],
  ['organization', '2.5.4.10'],
  ['organizationalUnit', '2.5.4.11'],
  ['commonName', '2.5.4.3'],
];

export async function buildCsr(
  subject: SubjectFields,
  spki: Uint8Array,
  signer: Signer,
): Promise<{ der: Uint8Array; pem: string }> {
  const csr = new pkijs.CertificationRequest({ version: 0 });
  for (const [field, type] of ATTRS) {
    const value = subject[field];
    if (!value) continue;
    // RFC 5280 §4.1.2.4: countryName is a PrintableString; the others UTF8String.
    const v = field === 'countryCode' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    csr.subject.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type, value: v }));
  }
  // One attribute per RDN (pkijs would put them all in one multi-valued RDN: "C=NO + O=… + CN=…").
  const rdns = csr.subject.typesAndValues.map((t) => new asn1js.Set({ value: [t.toSchema()] }));
  const name = new asn1js.Sequence({ value: rdns }).toBER(false);
  csr.subject = new pkijs.RelativeDistinguishedNames({
    typesAndValues: csr.subject.typesAndValues,
    valueBeforeDecode: name,
  });
  csr.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(exactBuffer(spki));
  csr.attributes = [];
  const alg = signer.defaultAlgorithm;
  csr.signatureAlgorithm = signatureAlgorithm(alg);
  // encodeTBS is protected in pkijs' typings; it is the documented way to get the CertificationRequestInfo.
  const tbs = new Uint8Array((csr as unknown as { encodeTBS(): asn1js.Sequence }).encodeTBS().toBER(false));
  csr.tbsView = tbs;
  csr.signatureValue = new asn1js.BitString({ valueHex: exactBuffer(await signer.sign(tbs, alg)) });
  const der = new Uint8Array(csr.toSchema().toBER(false));
  return { der, pem: pemEncode(der, 'CERTIFICATE REQUEST') };
}
