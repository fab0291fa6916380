// `sealdesk ledger backup <file>` (a consistent SQLite copy) | `ledger export <file>` (JSON lines with the raw tokens).
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { backupLedger, exportLedger } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function ledgerCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values, positionals } = parse(`ledger ${verb ?? ''}`.trim(), rest, {});
  const out = positionals[0] ? resolve(positionals[0]) : undefined;
  if ((verb !== 'backup' && verb !== 'export') || !out)
    throw new UsageError('ledger: backup <file.sqlite> | export <file.jsonl>');
  if (verb === 'backup') {
    await withLedger(io, (db) => backupLedger(db, out));
    if (values.json) printJson(io, { backup: out });
    else io.stdout(`ledger backed up to ${out}\n`);
  } else {
    const { lines } = await withLedger(io, (db) => exportLedger(db, out));
    if (values.json) printJson(io, { export: out, lines });
    else io.stdout(`${lines} record(s) exported to ${out}\n`);
  }
  return EXIT.ok;
}
