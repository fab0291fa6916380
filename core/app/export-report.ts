// A verification report to keep (the CLI's `verify --report` and the desktop's "Save report"): the files are verified
// again, so the report says what holds now, and written as HTML or PDF by the name's extension, never over a file.
import { existsSync } from 'node:fs';
import { CoreError, UsageError } from '../errors.js';
import type { PdfReport } from '../model/index.js';
import { REPORT_EXTENSIONS, writeReport } from '../report/write.js';
import {
  verifyAny,
  type VerifyAnyContext,
  type VerifyAnyItem,
  type VerifyAnyOptions,
  type VerifyAnyRun,
} from './verify-any.js';

/** Refuses a report path before any work: an existing file, or a name that is neither .html nor .pdf. */
export function checkReportTarget(out: string): void {
  if (existsSync(out)) throw new CoreError('OUTPUT_EXISTS', `${out} already exists; Sealdesk never overwrites a file`);
  if (!REPORT_EXTENSIONS.test(out))
    throw new UsageError('--report writes an HTML or a PDF file (name it .html or .pdf)');
}

/** Writes the PDFs' reports of a verification just made (the report covers PAdES; other kinds are left out). */
export function writeVerifyReport(out: string, items: readonly VerifyAnyItem[], tool: string): Promise<string> {
  const reports = items.flatMap((i): PdfReport[] => ('kind' in i && i.kind === 'pdf' ? [i.report] : []));
  return writeReport(out, reports, { tool, generatedAt: new Date().toISOString() });
}

export type ExportedReport = { readonly path: string; readonly items: readonly VerifyAnyItem[] };

/** Verifies `inputs` again and writes the report to `out`. */
export async function exportReport(
  ctx: VerifyAnyContext,
  inputs: readonly string[],
  out: string,
  o: VerifyAnyOptions & { readonly tool: string },
  run: VerifyAnyRun = {},
): Promise<ExportedReport> {
  checkReportTarget(out);
  const items = await verifyAny(ctx, inputs, o, run);
  if (run.signal?.aborted) throw new CoreError('CANCELLED', 'the report was cancelled: nothing was written');
  return { path: await writeVerifyReport(out, items, o.tool), items };
}
