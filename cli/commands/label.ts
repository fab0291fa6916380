// `sealdesk label <record-id> <text> [--json]`: sets the label of a stamp or seal record, local or pulled from the
// server (core/app/label.ts); with an account, the change is pushed at the next `sealdesk sync`. "" removes it.
import { setLabel } from '../../core/app/label.js';
import { UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function labelCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('label', argv, {});
  if (positionals.length !== 2) throw new UsageError('label: name the record id and the label text ("" removes it)');
  const [id, text] = positionals as [string, string];
  const r = await withLedger(io, (db) => setLabel(db, id, text));
  if (values.json) printJson(io, r);
  else {
    const what = r.label === null ? 'label removed' : `labelled "${r.label}"`;
    io.stdout(`${r.kind} ${r.id}: ${what}${r.queued ? ' (pushed at the next sync)' : ''}\n`);
  }
  return EXIT.ok;
}
