// `sealdesk verify` for PDFs: the totals line after several documents, `--at`, and `--extract-revision N --out`
// (core/app/extract-revision); the per-document lines are cli/pdf-report.ts.
import { extractRevision } from '../../core/app/extract-revision.js';
import { indicationOf, type VerifyAnyItem } from '../../core/app/verify-any.js';
import { UsageError } from '../../core/errors.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import type { VerifyLimits } from '../verify-pool.js';

export function parseTime(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(`--at wants an ISO 8601 time (e.g. 2026-01-31T12:00:00Z), not "${s}"`);
  return d;
}

export function totals(items: readonly VerifyAnyItem[]): string {
  const count = (i: string) => items.filter((x) => indicationOf(x) === i).length;
  const unusable = items.filter((x) => indicationOf(x) === null).length;
  const each = ['TOTAL-PASSED', 'INDETERMINATE', 'TOTAL-FAILED'].map((i) => `${count(i)} ${i}`).join(', ');
  return `\n${items.length} document(s): ${each}${unusable ? `, ${unusable} unreadable or over a limit` : ''}\n`;
}

/** `--extract-revision N --out rev.pdf`: the file exactly as it was when revision N was complete. */
export async function extractRevisionCommand(
  io: CliIo,
  inputs: readonly string[],
  f: { 'extract-revision'?: string; out?: string; json?: boolean },
  limits: VerifyLimits,
): Promise<ExitCode> {
  const n = Number(f['extract-revision']);
  if (inputs.length !== 1 || !f.out || !Number.isInteger(n) || n < 1)
    throw new UsageError('verify --extract-revision N needs one PDF, a revision number from 1 and --out <file.pdf>');
  const r = await extractRevision(inputs[0]!, n, f.out, { limits: limits.isolation });
  if (f.json) printJson(io, { file: r.file, revision: n, revisions: r.revisions, out: r.path, bytes: r.bytes });
  else io.stdout(`revision ${n} of ${r.revisions} → ${r.path} (${r.bytes} bytes)\n`);
  return EXIT.ok;
}
