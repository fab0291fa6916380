// `sealdesk seal <file>...`: PAdES inside PDFs, a detached CAdES .p7s beside any other file; `--remote-cert <id>
// [--yes]` has the server seal them with its certificate (cli/commands/remote-work.ts).
import { resolve } from 'node:path';
import { sealAny } from '../../core/app/seal-any.js';
import { UsageError } from '../../core/errors.js';
import type { PadesOutcome } from '../../core/pades/index.js';
import type { SealOutcome } from '../../core/seal/index.js';
import { parse } from '../args.js';
import { homeDir, stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults, progress } from '../output.js';
import { SIGNER_OPTIONS, askAtTerminal, signerSpec } from '../signer-options.js';

const OPTIONS = {
  ...SIGNER_OPTIONS,
  label: { type: 'string' },
  tsa: { type: 'string', default: 'auto' },
  out: { type: 'string' },
  'rsa-pss': { type: 'boolean' },
  level: { type: 'string' },
  reason: { type: 'string' },
  location: { type: 'string' },
  contact: { type: 'string' },
  visible: { type: 'string' },
  'remote-cert': { type: 'string' },
  yes: { type: 'boolean' },
} as const;

/** What only a local seal does: refused with --remote-cert rather than ignored. */
const LOCAL_ONLY = [
  ...Object.keys(SIGNER_OPTIONS),
  'rsa-pss',
  'level',
  'contact',
  'visible',
  'tsa',
] as (keyof typeof OPTIONS)[];

export async function sealCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values: v, positionals: files } = parse('seal', argv, OPTIONS);
  if (files.length === 0) throw new UsageError('seal: name at least one file');
  if (v['remote-cert'] !== undefined) {
    const local = LOCAL_ONLY.find((k) => v[k] !== undefined && !(k === 'tsa' && v.tsa === 'auto'));
    if (local) throw new UsageError(`seal --remote-cert: --${local} applies to a local seal only`);
    const o = { certificateId: v['remote-cert'], label: v.label, reason: v.reason, location: v.location, out: v.out };
    // Loaded for --remote only: the server client and the check of its answer are not a local run's start-up.
    const { remoteSealCli } = await import('./remote-work.js');
    return remoteSealCli(io, files, { ...o, yes: v.yes }, v.json === true);
  }
  const options = {
    signer: signerSpec(io, v),
    rsaPss: v['rsa-pss'],
    label: v.label,
    tsa: v.tsa,
    out: v.out,
    level: v.level,
    reason: v.reason,
    location: v.location,
    contact: v.contact,
    visible: v.visible,
  };
  return withLedger(io, async (db) => {
    const show = progress(io, files.length > 1);
    const ctx = { ...stampContext(db, io), home: homeDir(io) };
    const run = { ask: askAtTerminal(io), onItem: (done: number, total: number) => show(done, total, '') };
    const items = await sealAny(ctx, files, options, run);
    const codes: ExitCode[] = [];
    const results: unknown[] = [];
    for (const item of items) {
      const file = item.file;
      if ('error' in item) {
        codes.push(exitFor(item.error));
        results.push(errorJson(item.error, { file: resolve(file) }));
        printError(io, item.error, `${file}: `);
        continue;
      }
      codes.push(item.outcome.queued ? EXIT.queued : EXIT.ok);
      if (item.kind === 'pades') {
        results.push(padesJson(item.outcome, file));
        if (!v.json) io.stdout(padesLine(item.outcome, file));
        for (const w of item.outcome.warnings) io.stderr(`${file}: warning: ${w}\n`);
      } else {
        results.push(cadesJson(item.outcome, file));
        if (!v.json) io.stdout(cadesLine(item.outcome, file));
      }
    }
    if (v.json) printJsonResults(io, results);
    return combineExit(codes);
  });
}

/** The seed's X-Seal-* facts as an object (+ where the seal was written). */
function cadesJson(o: SealOutcome, file: string) {
  return {
    operationId: o.operation.id,
    certificateId: o.operation.certificateId,
    timestampedBy: o.timestampedBy ?? 'none',
    format: 'cades',
    qualified: o.qualified,
    file: resolve(file),
    outputPath: o.outputPath,
    p7sPath: o.outputPath,
    queued: o.queued,
    ...(o.queued ? { failures: o.failures } : {}),
  };
}

function padesJson(o: PadesOutcome, file: string) {
  return {
    operationId: o.operation.id,
    certificateId: o.operation.certificateId,
    timestampedBy: o.timestampedBy ?? 'none',
    format: 'pades',
    qualified: o.qualified,
    file: resolve(file),
    outputPath: o.outputPath,
    level: o.level,
    requestedLevel: o.operation.level,
    queued: o.queued,
    ...(o.queued ? { pendingReason: o.pendingReason, failures: o.failures } : {}),
    warnings: o.warnings,
  };
}

function cadesLine(o: SealOutcome, file: string): string {
  const ts = o.timestampedBy
    ? `time-stamped by ${o.timestampedBy}`
    : o.queued
      ? 'no TSA answered: sealed without a time-stamp, which is queued (`sealdesk queue run`)'
      : 'no time-stamp (--tsa none)';
  return `${file}: sealed (CAdES, ${ts}) → ${o.outputPath}\n`;
}

function padesLine(o: PadesOutcome, file: string): string {
  const by = o.timestampedBy ? `, time-stamped by ${o.timestampedBy}` : '';
  const rest = o.queued
    ? ` — ${o.pendingReason}; the rest (to ${o.operation.level}) is queued (\`sealdesk queue run\`)`
    : '';
  return `${file}: sealed (PAdES ${o.level}${by}) → ${o.outputPath}${rest}\n`;
}
