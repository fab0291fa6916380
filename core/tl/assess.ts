// The trusted lists asked about real certificates and tokens: reads what the certificate says (QC statements, policies,
// key usage), finds the services that list it or its issuer (match.ts) and judges them (qualify.ts). The one entry
// point the PDF, CAdES and token verifiers call, with a TlContext built once per snapshot.
import { certificateFacts, keyUsageNames } from '../asn1/certificate.js';
import { certificatePolicies } from '../asn1/policies.js';
import { qcStatements } from '../asn1/qc.js';
import { childrenOf, rootOf, slice, TlvError } from '../asn1/tlv.js';
import type { Qualification } from '../model/qualification.js';
import type { CadesTl } from '../validation/cades-report.js';
import { indexSnapshot, servicesFor, type TlIndex } from './match.js';
import type { TlSnapshot } from './model.js';
import { SVC_TYPE } from './model.js';
import { judgeCertificate, judgeTimestamp, type CertificateTlFacts } from './qualify.js';
import { trustFromTl } from './trust.js';

/** What a verification is given when trusted lists are loaded: the index, whether they are trust anchors, the clock. */
export type TlContext = {
  readonly index: TlIndex;
  /** `--trust-eu`: certificates under granted CA/QC and TSA/QTST services are trust anchors. */
  readonly trustEu: boolean;
  /** Judges a list's freshness (its next update against now). */
  readonly now: Date;
};

export function tlContext(snapshot: TlSnapshot, o: { trustEu?: boolean; now: Date }): TlContext {
  return { index: indexSnapshot(snapshot), trustEu: o.trustEu === true, now: o.now };
}

export function certificateTlFacts(der: Uint8Array): CertificateTlFacts {
  return {
    qc: qcStatements(der),
    policies: certificatePolicies(der),
    keyUsage: keyUsageNames(der),
    notBefore: certificateFacts(der).notBefore,
  };
}

/** A signer certificate at `at` (its signature's proof of existence); `intermediates` lead up to the listed CA. */
export function qualifySigner(
  tl: TlContext,
  der: Uint8Array,
  intermediates: readonly Uint8Array[],
  at: Date,
): Qualification {
  const matches = servicesFor(tl.index, der, intermediates, [SVC_TYPE.caQc]);
  return judgeCertificate(certificateTlFacts(der), matches, at, tl.now);
}

/** A time-stamp token's TSA at its genTime; `tstInfo` (the token's eContent) is read for the qtstStatement claim. */
export function qualifyTimestamp(
  tl: TlContext,
  tsaDer: Uint8Array,
  certificates: readonly Uint8Array[],
  genTime: Date,
  tstInfo: Uint8Array | null,
): Qualification {
  const matches = servicesFor(tl.index, tsaDer, certificates, [SVC_TYPE.tsaQtst]);
  return judgeTimestamp(matches, genTime, tl.now, tstInfo ? qtstClaimed(tstInfo) : false);
}

/** DER of OID 0.4.0.19422.1.1 (EN 319 422 esi4-qtstStatement-1). */
const QTST_STATEMENT = Buffer.from([0x06, 0x07, 0x04, 0x00, 0x81, 0x97, 0x5e, 0x01, 0x01]);

/** Whether TSTInfo's extensions [1] carry a qcStatements extension naming esi4-qtstStatement-1 (EN 319 422 §9.1). */
export function qtstClaimed(tstInfo: Uint8Array): boolean {
  try {
    const root = rootOf(tstInfo);
    const ext = childrenOf(tstInfo, root).find((t) => t.tag === 0xa1);
    return ext ? Buffer.from(slice(tstInfo, ext)).includes(QTST_STATEMENT) : false;
  } catch (err) {
    if (err instanceof TlvError) return false;
    throw err;
  }
}

/** A snapshot as a verification job carries it to the isolated worker (plain data; times as ISO strings). */
export type TlJobInput = { readonly snapshot: TlSnapshot; readonly trustEu: boolean; readonly now: string };

let cached: { key: string; index: TlIndex } | null = null;

/** The context for a job, the index built once per snapshot in this thread (a worker verifies many files). */
export function cachedTlContext(input: TlJobInput | null | undefined): TlContext | null {
  if (!input) return null;
  const s = input.snapshot;
  const key = `${s.loadedAt.toISOString()}|${s.lists.map((l) => l.sha256).join(',')}`;
  if (cached?.key !== key) cached = { key, index: indexSnapshot(s) };
  return { index: cached.index, trustEu: input.trustEu, now: new Date(input.now) };
}

/** The trusted lists as the CAdES verifier takes them (functions: core/validation imports nothing of core/tl). */
export function cadesTl(tl: TlContext | null): CadesTl | null {
  if (!tl) return null;
  return {
    extraTrust: tl.trustEu ? (leaf, intermediates, at) => trustFromTl(tl, leaf, intermediates, at) : undefined,
    signer: (der, intermediates, at) => qualifySigner(tl, der, intermediates, at),
    timestamp: (tsa, certificates, genTime) => qualifyTimestamp(tl, tsa, certificates, genTime, null),
  };
}
