// B-LT: the certificates of every chain in the file's seal and time-stamps, with their revocation data, added to
// the DSS in a revision of its own.
import * as asn1js from 'asn1js';
import { certificateFacts } from '../asn1/certificate.js';
import { certificateDers } from '../asn1/der.js';
import { CMS_OID } from '../asn1/oids.js';
import { parseSignedData } from '../cms/parse.js';
import { CoreError, errorMessage } from '../errors.js';
import type { StagedFile } from '../fs/staged.js';
import { IncrementBuilder, PdfDocument, addDss } from '../pdf/index.js';
import { revocationFor } from '../revocation/collect.js';
import { revocationSources } from '../revocation/sources.js';
import type { StampContext } from '../stamp/context.js';

/** Appends the DSS revision; returns null, or why the validation data is incomplete (nothing is appended then). */
export async function appendDss(ctx: StampContext, staged: StagedFile, cms: readonly Uint8Array[]): Promise<string | null> {
  const certs = collectCertificates(cms);
  const ocsps: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const missing: string[] = [];
  for (const der of certs) {
    const facts = certificateFacts(der);
    if (facts.selfSigned) continue;
    const issuer = certs.find((c) => certificateFacts(c).subject === facts.issuer);
    try {
      if (!issuer) throw new CoreError('REVOCATION_UNAVAILABLE', `the issuer of "${facts.subject}" is not in the file`);
      const data = await revocationFor({ db: ctx.db, now: ctx.now, timeoutMs: ctx.timeoutMs }, der, issuer);
      if (data) (data.kind === 'ocsp' ? ocsps : crls).push(data.der);
    } catch (err) {
      if (err instanceof CoreError && err.code === 'CERT_REVOKED') throw err;
      if (issuer || hasSources(der)) missing.push(errorMessage(err));
    }
  }
  if (missing.length > 0) return `revocation data missing: ${missing.join('; ')}`;
  const doc = PdfDocument.openFile(staged.tempPath);
  try {
    const b = new IncrementBuilder(doc);
    addDss(doc, b, { certs, ocsps, crls });
    const last = doc.src.read(doc.src.size - 1, 1)[0];
    await staged.append(b.build(staged.length, last === 10 || last === 13).bytes);
  } finally {
    doc.close();
  }
  return null;
}

function hasSources(der: Uint8Array): boolean {
  const s = revocationSources(der);
  return s.ocsp.length + s.crl.length > 0;
}

/** The certificates in each CMS and in the time-stamp tokens carried in its unsigned attributes. */
function collectCertificates(cms: readonly Uint8Array[]): Uint8Array[] {
  const out = new Map<string, Uint8Array>();
  const add = (der: Uint8Array) => out.set(Buffer.from(der).toString('base64'), der);
  for (const der of cms) {
    const parsed = parseSignedData(der);
    parsed.certificateDers.forEach(add);
    for (const si of parsed.signedData.signerInfos) {
      for (const a of si.unsignedAttrs?.attributes ?? []) {
        if (a.type !== CMS_OID.signatureTimeStampToken) continue;
        for (const v of a.values) certificateDers(((v as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!).forEach(add);
      }
    }
  }
  return [...out.values()];
}
