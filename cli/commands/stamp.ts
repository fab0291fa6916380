// `sealdesk stamp <file|folder>... [--tsa auto|<slug>] [--hash ALG] [--label TEXT] [--force] [--out PATH] [--remote]
// [--json]`: argument parsing and printing over core/app/stamp-files.ts (--remote: cli/commands/remote-work.ts).
import { resolve } from 'node:path';
import { stampInputs } from '../../core/app/stamp-files.js';
import { UsageError } from '../../core/errors.js';
import type { StampOutcome } from '../../core/stamp/index.js';
import { hashOption, parse } from '../args.js';
import { homeDir, stampContext, withLedger } from '../context.js';
import { loadSnapshot } from '../../core/tl/store.js';
import { qualifiedDryRun } from './stamp-qualified.js';
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
    remote: { type: 'boolean' },
    qualified: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
  });
  if (values.qualified && values['dry-run']) return qualifiedDryRun(io, values.tsa!, values.json === true);
  if (files.length === 0) throw new UsageError('stamp: name at least one file');
  if (values.remote) {
    if (values.hash) throw new UsageError('stamp --remote sends the SHA-512 of each file: --hash does not apply');
    const o = {
      tsa: values.tsa,
      label: values.label,
      force: values.force,
      out: values.out,
      qualified: values.qualified,
    };
    // Loaded for --remote only: the server client and the check of its answer are not a local run's start-up.
    const { remoteStampCli } = await import('./remote-work.js');
    return remoteStampCli(io, files, o, values.json === true);
  }
  const hash = hashOption(values.hash);
  const qualified = values.qualified ? { lists: await loadSnapshot(homeDir(io)) } : undefined;
  return withLedger(io, async (db) => {
    let show: ReturnType<typeof progress> | null = null;
    const items = await stampInputs(
      stampContext(db, io),
      files,
      {
        tsa: values.tsa!,
        hash,
        label: values.label,
        force: values.force,
        out: values.out,
        qualified,
      },
      {
        onItem: (item, done, total) => (show ??= progress(io, total > 1))(done, total, item.file),
      },
    );
    const codes: ExitCode[] = [];
    const results: unknown[] = [];
    for (const item of items) {
      const { file } = item;
      if (item.ok) {
        const o = item.outcome;
        codes.push(o.kind === 'queued' || o.record.status === 'pending' ? EXIT.queued : EXIT.ok);
        results.push({ ...(describe(io, o, file, values.json === true) as object), file: resolve(file) });
      } else {
        codes.push(exitFor(item.error));
        results.push(errorJson(item.error, { file }));
        printError(io, item.error, `${file}: `);
      }
    }
    if (values.json) printJsonResults(io, results);
    return combineExit(codes);
  });
}

function describe(io: CliIo, o: StampOutcome, file: string, json: boolean): unknown {
  switch (o.kind) {
    case 'stamped':
      if (!json)
        io.stdout(
          `${file}: stamped by ${o.record.tsaName} at ${o.record.genTime} (serial ${o.record.serialHex}) → ${o.tsrPath}\n`,
        );
      return stampJson(o.record, o.tsrPath);
    case 'existing': {
      if (o.record.status === 'pending') {
        if (!json) io.stdout(`${file}: already queued (record ${o.record.id}); \`sealdesk queue run\` completes it\n`);
        return { queued: true, id: o.record.id, file: o.record.filePath, alreadyQueued: true };
      }
      const where = o.wroteTsr ? `; wrote its token to ${o.tsrPath}` : o.tsrPath ? `; token at ${o.tsrPath}` : '';
      if (!json)
        io.stdout(
          `${file}: already stamped by ${o.record.tsaName} at ${o.record.genTime} (record ${o.record.id}${where}); use --force to stamp again\n`,
        );
      return { ...stampJson(o.record, o.tsrPath), alreadyStamped: true };
    }
    case 'queued':
      if (!json)
        io.stdout(
          `${file}: queued — no TSA could be reached (offline?); \`sealdesk queue run\` completes it (record ${o.record.id})\n`,
        );
      return { queued: true, id: o.record.id, file: o.record.filePath };
  }
}
