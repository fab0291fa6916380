// One signature field of a PDF, verified end to end: coverage, CMS, signer and chain at the best proof of existence,
// signature time-stamp, revocation, algorithms, changes after signing — then one ETSI EN 319 102-1 indication.
import { createPublicKey } from 'node:crypto';
import { certificateFacts } from '../../asn1/certificate.js';
import { CMS_OID } from '../../asn1/oids.js';
import { essProblems } from '../../cms/ess.js';
import { rawAttributes } from '../../cms/attributes.js';
import { certificateParts } from '../../asn1/cert-der.js';
import { checkCmsSignature, type CmsCheck } from '../../cms/verify-signer.js';
import { errorMessage } from '../../errors.js';
import { hashBytes } from '../../hash/hash-file.js';
import { PdfString, checkByteRange, endsRevision, type PdfSignatureField } from '../../pdf/index.js';
import { certificateReport, issuerIn } from './certificate-report.js';
import { changesAfterSignature } from './changes-check.js';
import { validationTime, type VerifyContext } from './context.js';
import { rangeDigester } from './hash-ranges.js';
import { decide, type Finding } from './indication.js';
import { checkRevocation, cmsRevocationValues } from '../../validation/revocation-check.js';
import { checkToken, type CheckedToken } from './timestamp-check.js';
import { unpadded } from './contents.js';
import type { SignatureReport } from './types.js';
import { verifyDocTimestamp } from './verify-doc-timestamp.js';
import { verifyLegacyRsaSha1 } from './legacy-x509.js';
import { qualifySigner } from '../../tl/assess.js';

export async function verifySignature(
  ctx: VerifyContext,
  field: PdfSignatureField,
  index: number,
  extraFormat: readonly string[],
): Promise<SignatureReport> {
  const valueOffset = field.valueRef ? ctx.doc.offsetOf(field.valueRef.num) : null;
  const br = checkByteRange(ctx.src, field, ctx.revisionEnds, valueOffset);
  const findings: Finding[] = [...br.problems, ...extraFormat].map((r) => ({ sub: 'FORMAT_FAILURE', reason: r }));
  if (br.byteRange && valueOffset !== null && valueOffset >= br.signedEnd)
    findings.push({
      sub: 'FORMAT_FAILURE',
      reason: 'the signature dictionary was redefined after signing (its /Reason, /M or other entries may be spoofed)',
    });
  const base = baseReport(ctx, field, index, br.byteRange, br.signedEnd, br.coversWholeDocument);
  if (!br.byteRange || !br.contents) return decide(base, findings, false);
  const changes = changesAfterSignature(ctx, field, br.signedEnd);
  for (const c of changes) {
    if (c.allowed) continue;
    if (c.kind === 'unclassified')
      findings.push({
        sub: 'SIG_CONSTRAINTS_FAILURE',
        reason: `a change after signing could not be judged: ${c.detail}`,
      });
    else findings.push({ sub: 'FORMAT_FAILURE', reason: `changed after signing: ${c.detail}` });
  }
  const withChanges = { ...base, changesAfter: changes };
  const digest = rangeDigester(ctx.path, br.byteRange);
  const der = unpadded(br.contents);
  if (!der.ok) findings.push({ sub: 'FORMAT_FAILURE', reason: der.problem });
  const contents = der.bytes;
  if (field.kind === 'document-timestamp') return verifyDocTimestamp(ctx, withChanges, contents, digest, findings);
  if (field.subFilter === 'adbe.x509.rsa_sha1')
    return verifyLegacyRsaSha1(ctx, withChanges, field, contents, br.byteRange, findings);

  let cms: CmsCheck;
  try {
    cms = await checkCmsSignature(contents, digest, { encapsulatedDigest: field.subFilter === 'adbe.pkcs7.sha1' });
  } catch (err) {
    findings.push({
      sub: 'FORMAT_FAILURE',
      reason: `/Contents is not a readable CMS signature (${errorMessage(err)})`,
    });
    return decide(withChanges, findings, false);
  }
  for (const p of cms.formatProblems) findings.push({ sub: 'FORMAT_FAILURE', reason: p });
  if (!cms.digestOk)
    findings.push({
      sub: 'HASH_FAILURE',
      reason: 'the signed bytes have changed: their digest differs from the one the signature carries',
    });
  if (!cms.signer)
    findings.push({ sub: 'NO_SIGNING_CERTIFICATE_FOUND', reason: "the signer's certificate is not in the signature" });
  else if (!cms.signatureOk)
    findings.push(
      cms.signatureFailure ?? {
        sub: 'SIG_CRYPTO_FAILURE',
        reason: "the signature value does not verify with the signer's public key",
      },
    );
  for (const p of cms.constraintProblems) findings.push({ sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE', reason: p });
  const intact = cms.digestOk && cms.signatureOk; // the signed bytes and the value agree, whatever else is wrong

  const ts = await signatureTimestamp(ctx, cms);
  if (ts && !ts.valid)
    findings.push({
      sub: 'SIG_CONSTRAINTS_FAILURE',
      reason: `the signature time-stamp is not valid: ${ts.problems.join('; ')}`,
    });
  const poe = proofOfExistence(ctx, ts, br.signedEnd);
  const certs = cms.parsed.certificateDers;
  const signer = cms.signer ? await certificateReport(ctx, cms.signer.der, certs, new Date(poe.time)) : null;
  if (signer) trustFindings(findings, signer.trust, signer.trustMessage, 'signer');
  if (
    signer?.keyUsage &&
    !signer.keyUsage.includes('digitalSignature') &&
    !signer.keyUsage.includes('nonRepudiation')
  ) {
    findings.push({
      sub: 'SIG_CONSTRAINTS_FAILURE',
      reason: `the signer's certificate does not allow signing (key usage: ${signer.keyUsage.join(', ')})`,
    });
  }
  if (ts?.tsa && ts.valid)
    trustFindings(
      findings,
      ts.tsa.trust,
      `${ts.tsa.trustMessage}; its time, ${ts.genTime}, cannot be relied on as proof of existence`,
      'time-stamp authority',
    );
  const weak = cms.signer ? weakAlgorithms(cms) : [];
  if (weak.length)
    findings.push({
      sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
      reason: `weak algorithms at the validation time: ${weak.join(', ')}`,
    });
  if (cms.signer) {
    const f = certificateFacts(cms.signer.der);
    const at = new Date(poe.time);
    if (at < f.notBefore || at > f.notAfter)
      findings.push({
        sub: 'OUT_OF_BOUNDS_NO_POE',
        reason: `the signer's certificate was not valid at ${poe.time} (${poe.source}); valid ${f.notBefore.toISOString()} to ${f.notAfter.toISOString()}`,
      });
    essFindings(findings, cms, f, field.subFilter);
    const serial = certificateParts(cms.signer.der).serial;
    if (serial.length > 1 && ((serial[0] === 0 && serial[1]! < 0x80) || (serial[0] === 0xff && serial[1]! >= 0x80))) {
      findings.push({
        sub: 'FORMAT_FAILURE',
        reason: "the signer's certificate is not DER: its serial number is not a minimal INTEGER (RFC 5280 §4.1)",
      });
    }
  }
  const revocation = await revocationFindings(ctx, cms, ts, poe);
  for (const r of revocation) {
    if (r.status === 'revoked' && (!r.revokedAt || new Date(r.revokedAt) <= new Date(poe.time)))
      findings.push({
        sub: 'REVOKED',
        reason: `${r.subject}: ${r.detail}${r.revokedAt ? ` on ${r.revokedAt}` : ''}, before the proof of existence`,
      });
    if (r.status === 'missing') findings.push({ sub: 'TRY_LATER', reason: `${r.subject}: ${r.detail}` });
  }
  const algorithms = { digest: cms.digestAlgorithm, signature: cms.signatureAlgorithm, weak };
  const qualification = ctx.tl && cms.signer ? qualifySigner(ctx.tl, cms.signer.der, certs, new Date(poe.time)) : null;
  const facts = { signer, qualification, timestamp: ts, proofOfExistence: poe, revocation, algorithms };
  return decide({ ...withChanges, warnings: cms.warnings, ...facts }, findings, intact);
}

function baseReport(
  ctx: VerifyContext,
  field: PdfSignatureField,
  index: number,
  byteRange: readonly number[] | null,
  signedEnd: number,
  whole: boolean,
): SignatureReport {
  const text = (k: string) => {
    const v = ctx.doc.resolve(field.value.get(k));
    return v instanceof PdfString ? v.text() : null;
  };
  const revision = byteRange
    ? ctx.revisionEnds.findIndex((e) => endsRevision(ctx.src, signedEnd, e)) + 1 || null
    : null;
  return {
    index,
    fieldName: field.fieldName,
    kind: field.kind,
    subFilter: field.subFilter,
    revision,
    byteRange,
    coversWholeDocument: whole,
    indication: 'INDETERMINATE',
    subIndication: null,
    intact: false,
    valid: false,
    reasons: [],
    warnings: [],
    signer: null,
    algorithms: { digest: null, signature: null, weak: [] },
    claimed: { signingTime: text('M'), reason: text('Reason'), location: text('Location'), name: text('Name') },
    timestamp: null,
    proofOfExistence: { time: validationTime(ctx).toISOString(), source: 'validation-time' },
    revocation: [],
    changesAfter: [],
  };
}

async function signatureTimestamp(ctx: VerifyContext, cms: CmsCheck): Promise<CheckedToken | null> {
  const attr = cms.signerInfo.unsignedAttrs?.attributes.find((a) => a.type === CMS_OID.signatureTimeStampToken);
  const token = attr?.values?.[0] as { valueBeforeDecodeView: Uint8Array } | undefined;
  if (!token) return null;
  return checkToken(
    ctx,
    new Uint8Array(token.valueBeforeDecodeView),
    async (alg) => hashBytes(alg, cms.signatureValue),
    'this signature value',
  );
}

/**
 * The earliest trustworthy time the signature is proven to have existed: its own time-stamp, else a later document
 * time-stamp (verify-pdf keeps only those whose TSA is trusted). A time-stamp proves existence only when it is valid and
 * its TSA chains to a trust anchor (issue 13): an untrusted TSA's time is shown in the report, never relied on.
 */
function proofOfExistence(
  ctx: VerifyContext,
  ts: CheckedToken | null,
  signedEnd: number,
): SignatureReport['proofOfExistence'] {
  if (ts?.valid && ts.genDate && ts.tsa?.trust === 'chained')
    return { time: ts.genDate.toISOString(), source: 'signature-timestamp' };
  const doc = ctx.documentTimestamps
    .filter((d) => d.signedEnd >= signedEnd)
    .sort((a, b) => a.genTime.getTime() - b.genTime.getTime())[0];
  if (doc) return { time: doc.genTime.toISOString(), source: 'document-timestamp' };
  return { time: validationTime(ctx).toISOString(), source: 'validation-time' };
}

function trustFindings(findings: Finding[], trust: string, message: string, who: string): void {
  if (trust === 'chained') return;
  const why =
    trust === 'self_signed'
      ? `the ${who}'s certificate is self-signed`
      : trust === 'dev_ca'
        ? `the ${who}'s certificate chains only to a test anchor`
        : `the ${who}'s certificate does not chain to a trust anchor`;
  findings.push({ sub: 'NO_CERTIFICATE_CHAIN_FOUND', reason: `${why} (${message})` });
}

function weakAlgorithms(cms: CmsCheck): string[] {
  const weak: string[] = [];
  if (cms.digestAlgorithm === 'sha1') weak.push('SHA-1 digest');
  try {
    const key = createPublicKey({
      key: Buffer.from(certificateParts(cms.signer!.der).spki),
      format: 'der',
      type: 'spki',
    });
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType === 'rsa' && bits !== undefined && bits < 2048) weak.push(`RSA ${bits}-bit key`);
  } catch {
    // an unreadable key already fails the signature check
  }
  return weak;
}

function essFindings(
  findings: Finding[],
  cms: CmsCheck,
  f: ReturnType<typeof certificateFacts>,
  subFilter: string | null,
): void {
  const attrs = cms.signerInfo.signedAttrs?.attributes;
  if (!attrs) {
    if (subFilter === 'ETSI.CAdES.detached')
      findings.push({
        sub: 'FORMAT_FAILURE',
        reason: 'a PAdES (ETSI.CAdES.detached) signature must have signed attributes',
      });
    return;
  }
  for (const p of essProblems(rawAttributes(attrs), f)) {
    if (p.includes('has no ESS')) {
      if (subFilter === 'ETSI.CAdES.detached')
        findings.push({
          sub: 'SIG_CONSTRAINTS_FAILURE',
          reason:
            'no ESS signing-certificate attribute: PAdES baseline requires the signer certificate to be bound to the signature',
        });
    } else findings.push({ sub: 'FORMAT_FAILURE', reason: p.replace('the token', 'the signature') });
  }
}

/** Every certificate below the anchor — the signer's chain, then the signature time-stamp's TSA chain — checked for the
 * proof of existence (answers issued at or after it) or, without one, for the validation time (answers current then). */
async function revocationFindings(
  ctx: VerifyContext,
  cms: CmsCheck,
  ts: CheckedToken | null,
  poe: SignatureReport['proofOfExistence'],
) {
  const pool = [...ctx.dssRevocation, ...cmsRevocationValues(cms.parsed)];
  const certs = [...cms.parsed.certificateDers, ...ctx.dssCertificates, ...ctx.anchors, ...(ts?.certificates ?? [])];
  const time = { at: new Date(poe.time), proven: poe.source !== 'validation-time' };
  // One file is one run for the network limits (--online): its own allowance of fetches.
  const online = ctx.online ? { ...ctx.online, run: ctx.online.run ?? ctx } : null;
  const out = [];
  for (const leaf of [cms.signer?.der, ts?.signerDer].filter((d): d is Uint8Array => d !== undefined && d !== null)) {
    for (const der of chainBelowAnchor(leaf, certs, ctx.anchors))
      out.push(await checkRevocation(der, issuerIn(der, certs), pool, time, online));
  }
  return out;
}

/** The certificates from `leaf` up to (not including) a trust anchor or a self-signed root, as far as `pool` goes. */
function chainBelowAnchor(leaf: Uint8Array, pool: readonly Uint8Array[], anchors: readonly Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let cur: Uint8Array | null = leaf; cur && out.length < 8; cur = issuerIn(cur, pool)) {
    if (anchors.some((a) => Buffer.from(a).equals(Buffer.from(cur!))) || certificateFacts(cur).selfSigned) break;
    out.push(cur);
  }
  return out;
}
