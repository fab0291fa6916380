// A time-stamp token inside a PDF (signature time-stamp or document time-stamp), checked like any token (RFC 3161
// §2.4.2) and then against what it must cover; its TSA's chain is evaluated at its genTime.
import { toHex } from '../../asn1/bytes.js';
import type { HashAlgorithm } from '../../asn1/oids.js';
import { errorMessage } from '../../errors.js';
import { inspectTimeStamp } from '../../tsp/token-report.js';
import { qualifyTimestamp } from '../../tl/assess.js';
import { decodeTimeStamp } from '../../tsp/decode.js';
import { certificateReport } from './certificate-report.js';
import type { VerifyContext } from './context.js';
import type { TimestampReport } from './types.js';

export type CheckedToken = TimestampReport & {
  readonly genDate: Date | null;
  readonly readable: boolean;
  readonly imprintOk: boolean;
  readonly signatureOk: boolean;
  readonly signerDer: Uint8Array | null;
  readonly certificates: readonly Uint8Array[];
};

export async function checkToken(
  ctx: VerifyContext,
  token: Uint8Array,
  covered: (alg: HashAlgorithm) => Promise<Uint8Array>,
  what: string,
): Promise<CheckedToken> {
  const report = await inspectTimeStamp(token).catch((err: unknown) => err as Error);
  if (report instanceof Error) {
    return {
      genTime: null,
      tsaName: null,
      valid: false,
      tsa: null,
      problems: [`the time-stamp cannot be read: ${errorMessage(report)}`],
      genDate: null,
      readable: false,
      imprintOk: false,
      signatureOk: false,
      signerDer: null,
      certificates: [],
    };
  }
  const problems = [...report.problems];
  const alg = report.hashAlgorithm;
  const imprintOk = alg !== null && report.imprintHex === toHex(await covered(alg));
  if (!imprintOk) problems.push(`the time-stamp is for other data: its imprint does not cover ${what}`);
  const genDate = report.genTime ? new Date(report.genTime) : null;
  const tsa =
    report.signerDer && genDate ? await certificateReport(ctx, report.signerDer, report.certificates, genDate) : null;
  return {
    genTime: report.genTime,
    tsaName: report.tsaName,
    valid: problems.length === 0,
    tsa,
    problems,
    genDate,
    readable: true,
    imprintOk,
    signatureOk: report.signatureValid,
    signerDer: report.signerDer,
    certificates: report.certificates,
    qualification:
      ctx.tl && report.signerDer && genDate
        ? qualifyTimestamp(ctx.tl, report.signerDer, report.certificates, genDate, tstInfoOf(token))
        : null,
  };
}

/** The token's TSTInfo as signed (for the EN 319 422 qtstStatement claim), null when it cannot be read. */
function tstInfoOf(token: Uint8Array): Uint8Array | null {
  try {
    return decodeTimeStamp(token).token?.eContent ?? null;
  } catch {
    return null;
  }
}
