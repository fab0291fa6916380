// `sealdesk verify <file.pdf | folder | file.p7m>... | <file> --p7s <sig.p7s> | <file> --tsr <token.tsr>`: argument
// parsing and printing over core/app/verify-any (which routes each input and verifies it in an isolated worker).
import { join } from 'node:path';
import { checkReportTarget, writeVerifyReport } from '../../core/app/export-report.js';
import { verifyAny, type VerifyAnyItem, type VerifyAnyOptions } from '../../core/app/verify-any.js';
import { CoreError, UsageError } from '../../core/errors.js';
import { loadSnapshot } from '../../core/tl/store.js';
import type { TokenVerification } from '../../core/model/index.js';
import { parse } from '../args.js';
import { homeDir, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';
import { eidasQualified, pdfReportJson, pdfReportText } from '../pdf-report.js';
import { qualificationText, trustSourceText } from '../../core/report/words.js';
import { VERSION } from '../usage.js';
import { isResourceLimit, LIMIT_OPTIONS, limitsFrom, resourceLimitJson } from '../verify-pool.js';
import { readCertificates } from './token-input.js';
import { cadesJson, cadesText } from './verify-p7s.js';
import { extractRevisionCommand, parseTime, totals } from './verify-pdf.js';

const OPTIONS = {
  tsr: { type: 'string' },
  p7s: { type: 'string' },
  extract: { type: 'string' },
  'tsa-cert': { type: 'string', multiple: true },
  trust: { type: 'string', multiple: true },
  'trust-dev': { type: 'string', multiple: true },
  'trust-eu': { type: 'boolean' },
  at: { type: 'string' },
  online: { type: 'boolean' },
  'allow-private-network': { type: 'boolean' },
  report: { type: 'string' },
  'extract-revision': { type: 'string' },
  out: { type: 'string' },
  ...LIMIT_OPTIONS,
} as const;

export async function verifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values: v, positionals: inputs } = parse('verify', argv, OPTIONS);
  const limits = limitsFrom(v);
  if (inputs.length === 0)
    throw new UsageError(
      'verify: name a PDF or a folder, a .p7m, or a file with --p7s <signature.p7s> or --tsr <token.tsr>',
    );
  if (v['extract-revision'] !== undefined) return extractRevisionCommand(io, inputs, v, limits);
  if (v.report) checkReportTarget(v.report);
  const options: VerifyAnyOptions = {
    p7s: v.p7s,
    tsr: v.tsr,
    extract: v.extract,
    trust: readCertificates(v.trust ?? []),
    trustDev: readCertificates(v['trust-dev'] ?? []),
    tsaCertificates: readCertificates(v['tsa-cert'] ?? []),
    at: v.at === undefined ? undefined : parseTime(v.at),
    online: v.online,
    allowPrivateNetwork: v['allow-private-network'],
    limits,
  };
  // The cached EU trusted lists, when any: every report then says what they make of each signature and time-stamp.
  const tl = await loadSnapshot(homeDir(io));
  if (v['trust-eu'] && !tl)
    throw new CoreError(
      'TL_NOT_LOADED',
      'verify --trust-eu: no trusted list is loaded (`sealdesk tl refresh` or `tl import`)',
    );
  return withLedger(io, async (db) => {
    const timeout = Number(io.env.SEALDESK_TSA_TIMEOUT_MS) || undefined;
    const ctx = { db, ledgerPath: join(homeDir(io), 'ledger.sqlite'), tsaTimeoutMs: timeout };
    const items = await verifyAny(ctx, inputs, { ...options, tl, trustEu: v['trust-eu'] === true });
    if (items.length === 0) throw new UsageError('verify: no PDF found in the folders given');
    const printed = items.map((item) => printItem(io, item, { json: v.json === true, detailed: items.length === 1 }));
    if (v.json)
      printJson(io, items.length === 1 && inputs.length === 1 ? printed[0]!.json : printed.map((p) => p.json));
    else if (items.length > 1) io.stdout(totals(items));
    if (v.report) await writeVerifyReport(v.report, items, `Sealdesk ${VERSION}`);
    return combineExit(printed.map((p) => p.code));
  });
}

/** One item's line(s) on stdout (unless --json), its JSON value and its exit code. */
function printItem(
  io: CliIo,
  item: VerifyAnyItem,
  o: { json: boolean; detailed: boolean },
): { json: unknown; code: ExitCode } {
  const say = (text: string) => (o.json ? undefined : io.stdout(text));
  if ('error' in item) {
    if (isResourceLimit(item.error)) {
      // Not evaluated: INDETERMINATE for this file (exit 2, as unreadable input), the others go on.
      say(`${'INDETERMINATE'.padEnd(14)} ${item.file}  (not evaluated, RESOURCE_LIMIT: ${item.error.message})\n`);
      return { json: resourceLimitJson(item.error, item.path), code: EXIT.usage };
    }
    printError(io, item.error, `${item.file}: `);
    return { json: errorJson(item.error, { file: item.path }), code: exitFor(item.error) };
  }
  switch (item.kind) {
    case 'pdf':
      say(pdfReportText(item.report, o.detailed));
      return {
        json: pdfReportJson(item.report),
        code: item.report.indication === 'TOTAL-PASSED' ? EXIT.ok : EXIT.verifyFailed,
      };
    case 'p7s':
    case 'p7m': {
      const extracted = item.kind === 'p7m' ? item.extractedTo : null;
      say(cadesText(item.file, item.report) + (extracted ? `  Content  extracted to ${extracted}\n` : ''));
      const valid = item.report.valid ? EXIT.ok : EXIT.verifyFailed;
      return { json: cadesJson(item.report, item.kind === 'p7m' ? { extractedTo: extracted } : {}), code: valid };
    }
    case 'tsr':
      say(tokenText(item.file, item.report));
      return { json: tokenJson(item.report), code: item.report.verdict.valid ? EXIT.ok : EXIT.verifyFailed };
  }
}

/** Seed /tsa/verify-hash (+ the TSA and the reasons). */
function tokenJson(v: TokenVerification) {
  const r = v.report;
  return {
    valid: v.verdict.valid,
    message: v.verdict.message,
    details: {
      serial: r.serialHex,
      genTime: r.genTime,
      hashAlgorithmOid: r.hashAlgorithmOid,
      claimedHashHex: r.imprintHex,
      providedHashHex: v.fileHashHex,
      hashMatch: v.verdict.hashMatch,
      tsaName: r.tsaName,
      signer: r.signer,
      signatureValid: r.signatureValid,
      problems: r.problems,
      tsaTrust: v.trust.status,
      tsaTrustPath: v.trust.path,
      tsaTrustMessage: v.trust.message,
      tsaTrustSource: v.trustSource ?? null,
      qc: { isEidasQualified: eidasQualified(v.qualification, false) },
      ...(v.qualification ? { qualification: v.qualification } : {}),
    },
  };
}

function tokenText(file: string, v: TokenVerification): string {
  const head = v.verdict.valid ? `VALID    ${file}` : `INVALID  ${file}`;
  const r = v.report;
  const lines = [head, `  ${v.verdict.message}`];
  if (r.genTime) lines.push(`  Stamped ${r.genTime} by ${r.tsaName ?? 'an unnamed TSA'} (serial ${r.serialHex})`);
  const source = trustSourceText(v.trustSource);
  if (v.trust.status === 'chained') lines.push(`  TSA certificate ${v.trust.message}${source ? ` (${source})` : ''}`);
  else if (v.trust.status === 'untrusted') lines.push(`  TSA NOT TRUSTED: ${v.trust.message}`);
  else lines.push('  The TSA certificate was not checked against a trust anchor (give --trust <ca.pem>).');
  if (v.qualification) lines.push(`  EU: ${qualificationText(v.qualification)}`);
  return `${lines.join('\n')}\n`;
}
