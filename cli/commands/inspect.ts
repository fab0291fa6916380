// `sealdesk inspect <token.tsr> [--tsa-cert PEM]... [--json]`: every field of a token, no file needed; each token is
// read in an isolated worker (heap cap, wall clock), as verification is: a token is a stranger's file too.
import { UsageError } from '../../core/errors.js';
import type { TokenReport } from '../../core/tsp/index.js';
import { IsolatedVerifier } from '../../core/verify-isolated/index.js';
import { parse } from '../args.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults } from '../output.js';
import { readCertificates } from './token-input.js';

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('inspect', argv, { 'tsa-cert': { type: 'string', multiple: true } });
  if (positionals.length === 0) throw new UsageError('inspect: name a .tsr or .tst file');
  const extra = readCertificates(values['tsa-cert'] ?? []);
  const codes: ExitCode[] = [];
  const results: unknown[] = [];
  const isolated = new IsolatedVerifier({ threads: 1 });
  for (const path of positionals) {
    try {
      const report = await isolated.run({ kind: 'inspect', file: path, extraCertificates: extra });
      results.push(inspectJson(report));
      if (!values.json) io.stdout(inspectText(path, report));
      codes.push(EXIT.ok);
    } catch (err) {
      codes.push(exitFor(err));
      results.push(errorJson(err, { file: path }));
      printError(io, err, `${path}: `);
    }
  }
  await isolated.close();
  if (values.json) printJsonResults(io, results);
  return combineExit(codes);
}

/** Seed /tsa/inspect (+ policyOid and the full detail). */
export function inspectJson(r: TokenReport) {
  return {
    genTime: r.genTime,
    serial: r.serialHex,
    hashAlg: r.hashAlgorithmOid,
    tsaName: r.tsaName,
    certNotBefore: r.signer?.notBefore ?? null,
    certNotAfter: r.signer?.notAfter ?? null,
    policyOid: r.policyOid,
    kind: r.kind,
    status: r.status ? { status: r.status.statusText, statusStrings: r.status.statusStrings, failInfo: r.status.failInfo } : null,
    hashAlgorithm: r.hashAlgorithm,
    imprintHex: r.imprintHex,
    nonce: r.nonceHex,
    accuracy: r.accuracy,
    ordering: r.ordering,
    signer: r.signer,
    certificateCount: r.certificateCount,
    signatureValid: r.signatureValid,
    problems: r.problems,
  };
}

function inspectText(path: string, r: TokenReport): string {
  const rows: [string, string | null][] = [
    ['Status', r.status ? r.status.statusText + (r.status.statusStrings.length ? ` (${r.status.statusStrings.join('; ')})` : '') : 'bare token (no response status)'],
    ['TSA', r.tsaName],
    ['Time', r.genTime],
    ['Serial', r.serialHex],
    ['Policy', r.policyOid],
    ['Imprint', r.imprintHex ? `${r.hashAlgorithm ?? r.hashAlgorithmOid} ${r.imprintHex}` : null],
    ['Nonce', r.nonceHex],
    ['Accuracy', r.accuracy ? `${r.accuracy.seconds}s ${r.accuracy.millis}ms ${r.accuracy.micros}µs` : null],
    ['Signer', r.signer ? `${r.signer.subject} (issued by ${r.signer.issuer})` : null],
    ['Valid', r.signer ? `${r.signer.notBefore} to ${r.signer.notAfter}` : null],
    ['Signature', r.problems.length === 0 ? 'valid' : `NOT VALID: ${r.problems.join('; ')}`],
  ];
  return `${path}\n${rows.filter(([, v]) => v !== null).map(([k, v]) => `  ${k.padEnd(10)} ${v}`).join('\n')}\n`;
}
