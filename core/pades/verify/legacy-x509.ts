// adbe.x509.rsa_sha1 (ISO 32000-1 §12.8.3.2): /Contents is a DER OCTET STRING holding a raw PKCS#1 v1.5 RSA
// signature over SHA-1 of the byte ranges, the certificate in /Cert. Verified, and reported as weak (SHA-1).
import { createPublicKey, createVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import { exactBuffer } from '../../asn1/bytes.js';
import { PdfString, type PdfSignatureField } from '../../pdf/index.js';
import { certificateReport } from './certificate-report.js';
import { validationTime, type VerifyContext } from './context.js';
import { feedRanges } from './hash-ranges.js';
import { decide, type Finding } from './indication.js';
import type { SignatureReport } from './types.js';
import { certificateParts } from '../../asn1/cert-der.js';

export async function verifyLegacyRsaSha1(
  ctx: VerifyContext,
  base: SignatureReport,
  field: PdfSignatureField,
  contents: Uint8Array,
  byteRange: readonly number[],
  findings: Finding[],
): Promise<SignatureReport> {
  const certObj = ctx.doc.resolve(field.value.get('Cert'));
  const certs = (Array.isArray(certObj) ? certObj : [certObj])
    .map((c) => ctx.doc.resolve(c))
    .filter((c): c is PdfString => c instanceof PdfString)
    .map((c) => c.bytes);
  const octets = asn1js.fromBER(exactBuffer(contents)).result;
  if (!certs[0] || !(octets instanceof asn1js.OctetString)) {
    findings.push({
      sub: 'FORMAT_FAILURE',
      reason: 'an adbe.x509.rsa_sha1 signature needs a DER OCTET STRING in /Contents and the certificate in /Cert',
    });
    return decide(base, findings, false);
  }
  const verifier = createVerify('RSA-SHA1');
  await feedRanges(ctx.path, byteRange, (chunk) => {
    verifier.update(chunk);
  });
  let ok = false;
  try {
    const key = createPublicKey({
      key: Buffer.from(certificateParts(certs[0]).spki), // the certificate's exact SubjectPublicKeyInfo
      format: 'der',
      type: 'spki',
    });
    ok = verifier.verify(key, Buffer.from(octets.valueBlock.valueHexView));
  } catch {
    ok = false;
  }
  if (!ok)
    findings.push({ sub: 'SIG_CRYPTO_FAILURE', reason: "the legacy RSA signature does not verify with /Cert's key" });
  const signer = await certificateReport(ctx, certs[0], certs.slice(1), validationTime(ctx));
  if (signer.trust !== 'chained')
    findings.push({
      sub: 'NO_CERTIFICATE_CHAIN_FOUND',
      reason: `the signer's certificate does not chain to a trust anchor (${signer.trustMessage})`,
    });
  findings.push({
    sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
    reason: 'adbe.x509.rsa_sha1 signs a SHA-1 digest, which is no longer secure',
  });
  return decide(
    {
      ...base,
      signer,
      algorithms: { digest: 'sha1', signature: 'SHA-1 with RSA (adbe.x509.rsa_sha1)', weak: ['SHA-1 digest'] },
    },
    findings,
    ok,
  );
}
