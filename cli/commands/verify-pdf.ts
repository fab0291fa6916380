// `sealdesk verify <file.pdf | folder>...`: every signature of every PDF, offline unless --online; one line per
// document (details for a single one), totals at the end, an HTML report on request.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CoreError, InputError, UsageError } from '../../core/errors.js';
import { listTrustAnchors } from '../../core/ledger/index.js';
import type { PdfReport } from '../../core/pades/verify/index.js';
import { REPORT_EXTENSIONS, writeReport } from '../../core/report/write.js';
import { isResourceLimit, limitsFrom, resourceLimitJson, verifyIsolated, verifyMany } from '../verify-pool.js';
import { homeDir, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';
import { pdfReportJson, pdfReportText } from '../pdf-report.js';
import { VERSION } from '../usage.js';
import { readCertificates } from './token-input.js';

export type VerifyPdfFlags = {
  trust?: string[]; 'trust-dev'?: string[]; at?: string; online?: boolean; 'allow-private-network'?: boolean; report?: string; json?: boolean; 'extract-revision'?: string; out?: string;
  'max-heap-mb'?: string; 'timeout-s'?: string; 'max-decoded-mb'?: string; 'max-objects'?: string;
};

export async function verifyPdfs(io: CliIo, inputs: readonly string[], f: VerifyPdfFlags): Promise<ExitCode> {
  if (f['extract-revision'] !== undefined) return extractRevisionCommand(io, inputs, f);
  const at = f.at === undefined ? undefined : parseTime(f.at);
  if (f.report && existsSync(f.report)) throw new CoreError('OUTPUT_EXISTS', `${f.report} already exists; Sealdesk never overwrites a file`);
  if (f.report && !REPORT_EXTENSIONS.test(f.report)) throw new UsageError('--report writes an HTML or a PDF file (name it .html or .pdf)');
  const files = inputs.flatMap(expand);
  if (files.length === 0) throw new UsageError('verify: no PDF found in the folders given');
  const flagAnchors = readCertificates(f.trust ?? []);
  const devAnchors = readCertificates(f['trust-dev'] ?? []);
  const limits = limitsFrom(f);
  return withLedger(io, async (db) => {
    const anchors = [...flagAnchors, ...listTrustAnchors(db).map((a) => a.der)];
    // With --online each worker opens the ledger itself: revocation answers are parsed there too, never in this thread.
    const online = f.online ? { ledgerPath: join(homeDir(io), 'ledger.sqlite'), timeoutMs: Number(io.env.SEALDESK_TSA_TIMEOUT_MS) || undefined, allowPrivateNetwork: f['allow-private-network'] === true } : null;
    const settled = await verifyMany(files, { anchors, devAnchors, at, now: new Date(), online }, limits);
    const reports: PdfReport[] = [];
    const codes: ExitCode[] = [];
    const json: unknown[] = [];
    settled.forEach(({ value, error }, i) => {
      if (value) {
        reports.push(value);
        codes.push(value.indication === 'TOTAL-PASSED' ? EXIT.ok : EXIT.verifyFailed);
        json.push(pdfReportJson(value));
        if (!f.json) io.stdout(pdfReportText(value, files.length === 1));
      } else if (isResourceLimit(error)) {
        // Not evaluated: INDETERMINATE for this file (exit 2, as unreadable input), the others go on.
        codes.push(EXIT.usage);
        json.push(resourceLimitJson(error, files[i]!));
        if (!f.json) io.stdout(`${'INDETERMINATE'.padEnd(14)} ${files[i]}  (not evaluated, RESOURCE_LIMIT: ${error.message})\n`);
      } else {
        codes.push(exitFor(error));
        json.push(errorJson(error, { file: files[i] }));
        printError(io, error, `${files[i]}: `);
      }
    });
    if (f.json) printJson(io, files.length === 1 && inputs.length === 1 && json.length === 1 ? json[0] : json);
    else if (files.length > 1) io.stdout(totals(reports, files.length));
    if (f.report) await writeReport(f.report, reports, { tool: `Sealdesk ${VERSION}`, generatedAt: new Date().toISOString() });
    return combineExit(codes);
  });
}

function expand(input: string): string[] {
  let st;
  try {
    st = statSync(input);
  } catch {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${input}: no such file or folder`);
  }
  if (!st.isDirectory()) return [resolve(input)];
  return readdirSync(input, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.pdf'))
    .map((e) => resolve(join(e.parentPath, e.name)))
    .sort();
}

function parseTime(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--at wants an ISO 8601 time (e.g. 2026-01-31T12:00:00Z), not "${s}"`);
  return d;
}

function totals(reports: readonly PdfReport[], n: number): string {
  const count = (i: string) => reports.filter((r) => r.indication === i).length;
  const unusable = n - reports.length;
  return `\n${n} document(s): ${count('TOTAL-PASSED')} TOTAL-PASSED, ${count('INDETERMINATE')} INDETERMINATE, ${count('TOTAL-FAILED')} TOTAL-FAILED${unusable ? `, ${unusable} unreadable or over a limit` : ''}\n`;
}

/** `--extract-revision N --out rev.pdf`: the file exactly as it was when revision N was complete. */
async function extractRevisionCommand(io: CliIo, inputs: readonly string[], f: VerifyPdfFlags): Promise<ExitCode> {
  const n = Number(f['extract-revision']);
  if (inputs.length !== 1 || !f.out || !Number.isInteger(n) || n < 1) throw new UsageError('verify --extract-revision N needs one PDF, a revision number from 1 and --out <file.pdf>');
  const r = await verifyIsolated({ kind: 'pdf-revision', file: resolve(inputs[0]!), revision: n, out: f.out }, limitsFrom(f));
  if (f.json) printJson(io, { file: resolve(inputs[0]!), revision: n, revisions: r.revisions, out: r.path, bytes: r.bytes });
  else io.stdout(`revision ${n} of ${r.revisions} → ${r.path} (${r.bytes} bytes)\n`);
  return EXIT.ok;
}
