// `sealdesk stamp <file>... [--tsa auto|<slug>] [--hash ALG] [--label TEXT] [--force] [--out PATH] [--json]`
import { join, basename, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { stampFiles, type StampOutcome } from '../../core/stamp/index.js';
import { hashOption, parse } from '../args.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults, progress } from '../output.js';
import { stampJson } from '../records.js';

export async function stampCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: files } = parse('stamp', argv, {
    tsa: { type: 'string', default: 'auto' },
    hash: { type: 'string' },
    label: { type: 'string' },
    force: { type: 'boolean' },
    out: { type: 'string' },
  });
  if (files.length === 0) throw new UsageError('stamp: name at least one file');
  const hash = hashOption(values.hash);
  const outFor = outputs(files, values.out);
  return withLedger(io, async (db) => {
    const show = progress(io, files.length > 1);
    const items = await stampFiles(stampContext(db, io), files, {
      tsa: values.tsa!, hash, label: values.label, force: values.force, outFor,
      onItem: (item, done) => show(done, files.length, item.file),
    });
    const codes: ExitCode[] = [];
    const results: unknown[] = [];
    for (const { file, outcome, error } of items) {
      if (outcome) {
        codes.push(outcome.kind === 'queued' || outcome.record.status === 'pending' ? EXIT.queued : EXIT.ok);
        results.push({ ...(describe(io, outcome, file, values.json === true) as object), file: resolve(file) });
      } else {
        codes.push(exitFor(error));
        results.push(errorJson(error, { file }));
        printError(io, error, `${file}: `);
      }
    }
    if (values.json) printJsonResults(io, results);
    return combineExit(codes);
  });
}

/** --out names a file for one input and a folder for several. */
function outputs(files: readonly string[], out: string | undefined): (file: string) => string | undefined {
  if (!out) return () => undefined;
  if (files.length === 1) return () => out;
  const isDir = (() => { try { return statSync(out).isDirectory(); } catch { return false; } })();
  if (!isDir) throw new UsageError(`--out must be an existing folder when stamping several files (${out} is not)`);
  return (file) => join(out, `${basename(file)}.tsr`);
}

function describe(io: CliIo, o: StampOutcome, file: string, json: boolean): unknown {
  switch (o.kind) {
    case 'stamped':
      if (!json) io.stdout(`${file}: stamped by ${o.record.tsaName} at ${o.record.genTime} (serial ${o.record.serialHex}) → ${o.tsrPath}\n`);
      return stampJson(o.record, o.tsrPath);
    case 'existing': {
      if (o.record.status === 'pending') {
        if (!json) io.stdout(`${file}: already queued (record ${o.record.id}); \`sealdesk queue run\` completes it\n`);
        return { queued: true, id: o.record.id, file: o.record.filePath, alreadyQueued: true };
      }
      const where = o.wroteTsr ? `; wrote its token to ${o.tsrPath}` : o.tsrPath ? `; token at ${o.tsrPath}` : '';
      if (!json) io.stdout(`${file}: already stamped by ${o.record.tsaName} at ${o.record.genTime} (record ${o.record.id}${where}); use --force to stamp again\n`);
      return { ...stampJson(o.record, o.tsrPath), alreadyStamped: true };
    }
    case 'queued':
      if (!json) io.stdout(`${file}: queued — no TSA could be reached (offline?); \`sealdesk queue run\` completes it (record ${o.record.id})\n`);
      return { queued: true, id: o.record.id, file: o.record.filePath };
  }
}
