// B-LT: the certificates of every chain in the file's seal and time-stamps, with their revocation data, added to
// the DSS in a revision of its own.
import * as asn1js from 'asn1js';
import { certificateFacts } from '../asn1/certificate.js';
import { certificateDers } from '../asn1/der.js';
import { CMS_OID } from '../asn1/oids.js';
import { parseSignedData } from '../cms/parse.js';
import type { StagedFile } from '../fs/staged.js';
import { IncrementBuilder, PdfDocument, addDss } from '../pdf/index.js';
import { gatherRevocationData } from '../revocation/gather.js';
import type { StampContext } from '../stamp/context.js';

/** Appends the DSS revision with the certificates of every chain in `cms` and what revocation data can be had; returns
 * what could not be had (empty: complete). Incomplete data is appended only if `appendIncomplete`. `allowPrivateNetwork`
 * (default true: a seal's own certificates may name a responder on the user's network) is false for a restamp unless
 * the user allowed it (`--allow-private-network`): the file may hold certificates from elsewhere. */
export async function appendDss(
  ctx: StampContext,
  staged: StagedFile,
  cms: readonly Uint8Array[],
  o: { appendIncomplete?: boolean; allowPrivateNetwork?: boolean } = {},
): Promise<readonly string[]> {
  const certs = collectCertificates(cms);
  const issuerOf = (der: Uint8Array) =>
    certs.find((c) => certificateFacts(c).subject === certificateFacts(der).issuer) ?? null;
  const network = { allowPrivateNetwork: o.allowPrivateNetwork ?? true };
  const { ocsps, crls, missing } = await gatherRevocationData(
    { db: ctx.db, now: ctx.now, timeoutMs: ctx.timeoutMs, network },
    certs,
    issuerOf,
    'in the file',
  );
  if (missing.length > 0 && !o.appendIncomplete) return missing;
  const doc = PdfDocument.openFile(staged.tempPath);
  try {
    const b = new IncrementBuilder(doc);
    addDss(doc, b, { certs, ocsps: [...ocsps], crls: [...crls] });
    const last = doc.src.read(doc.src.size - 1, 1)[0];
    await staged.append(b.build(staged.length, last === 10 || last === 13).bytes);
  } finally {
    doc.close();
  }
  return missing;
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
        for (const v of a.values)
          certificateDers(
            ((v as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0]!,
          ).forEach(add);
      }
    }
  }
  return [...out.values()];
}
