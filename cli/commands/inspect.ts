// `sealdesk inspect <token.tsr> [--tsa-cert PEM]... [--json]`: every field of a token, no file needed; argument parsing
// and printing over core/app/inspect (each token read in an isolated worker, as verification is).
import { inspectTokens } from '../../core/app/inspect.js';
import { UsageError } from '../../core/errors.js';
import type { TokenReport } from '../../core/model/index.js';
import { parse } from '../args.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults } from '../output.js';
import { readCertificates } from './token-input.js';

export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('inspect', argv, { 'tsa-cert': { type: 'string', multiple: true } });
  if (positionals.length === 0) throw new UsageError('inspect: name a .tsr or .tst file');
  const items = await inspectTokens(positionals, { tsaCertificates: readCertificates(values['tsa-cert'] ?? []) });
  const codes: ExitCode[] = [];
  const results: unknown[] = [];
  for (const item of items) {
    if ('error' in item) {
      codes.push(exitFor(item.error));
      results.push(errorJson(item.error, { file: item.file }));
      printError(io, item.error, `${item.file}: `);
      continue;
    }
    results.push(inspectJson(item.report));
    if (!values.json) io.stdout(inspectText(item.file, item.report));
    codes.push(EXIT.ok);
  }
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
    status: r.status
      ? { status: r.status.statusText, statusStrings: r.status.statusStrings, failInfo: r.status.failInfo }
      : null,
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
    [
      'Status',
      r.status
        ? r.status.statusText + (r.status.statusStrings.length ? ` (${r.status.statusStrings.join('; ')})` : '')
        : 'bare token (no response status)',
    ],
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
  return `${path}\n${rows
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `  ${k.padEnd(10)} ${v}`)
    .join('\n')}\n`;
}
