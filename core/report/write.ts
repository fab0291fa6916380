// Writes a verification report as HTML or PDF (by the file's extension), never over an existing file.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeNewFile } from '../fs/atomic.js';
import type { PdfReport } from '../pades/verify/types.js';
import { htmlReport } from './html.js';
import { pdfReport } from './pdf.js';

export const REPORT_EXTENSIONS = /\.(html?|pdf)$/i;

export async function writeReport(
  path: string,
  reports: readonly PdfReport[],
  meta: { tool: string; generatedAt: string },
): Promise<string> {
  if (!REPORT_EXTENSIONS.test(path)) throw new UsageError('a report is an HTML or a PDF file (name it .html or .pdf)');
  const bytes = /\.pdf$/i.test(path) ? await pdfReport(reports, meta) : Buffer.from(htmlReport(reports, meta), 'utf8');
  const out = resolve(path);
  await writeNewFile(out, bytes);
  return out;
}
