// A certificate as the report shows it, with its trust evaluated at a time against the given anchors only.
import { certificateFacts, keyUsageNames } from '../../asn1/certificate.js';
import { qcStatements } from '../../asn1/qc.js';
import { evaluateTrust } from '../../validation/trust.js';
import { trustFromTl } from '../../tl/trust.js';
import type { VerifyContext } from './context.js';
import type { CertificateReport } from './types.js';

export async function certificateReport(
  ctx: VerifyContext,
  der: Uint8Array,
  intermediates: readonly Uint8Array[],
  at: Date,
): Promise<CertificateReport> {
  const f = certificateFacts(der);
  const trust = await evaluateTrust(der, {
    anchors: ctx.anchors,
    devAnchors: ctx.devAnchors ?? [],
    intermediates: [...intermediates, ...ctx.dssCertificates],
    at,
    extraTrust: ctx.tl?.trustEu ? (l, i, a) => trustFromTl(ctx.tl!, l, i, a) : undefined,
  });
  return {
    subject: f.subject,
    issuer: f.issuer,
    serialHex: f.serialHex,
    notBefore: f.notBefore.toISOString(),
    notAfter: f.notAfter.toISOString(),
    trust: trust.trust,
    trustPath: trust.path,
    trustMessage: trust.message,
    trustSource: trust.source,
    qc: qcStatements(der),
    keyUsage: keyUsageNames(der),
  };
}

/** The issuer of `der` among `pool` (by name, then by signature), or null. */
export function issuerIn(der: Uint8Array, pool: readonly Uint8Array[]): Uint8Array | null {
  const f = certificateFacts(der);
  if (f.selfSigned) return null;
  return (
    pool.find((c) => {
      try {
        return certificateFacts(c).subject === f.issuer;
      } catch {
        return false;
      }
    }) ?? null
  );
}
