// `sealdesk queue list|run [--json]`: stamps recorded offline, and completing them once a TSA answers.
import { UsageError } from '../../core/errors.js';
import { pendingStamps } from '../../core/ledger/index.js';
import { runQueue, type QueueItemOutcome } from '../../core/stamp/index.js';
import { parse } from '../args.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printJson } from '../output.js';
import { stampJson } from '../records.js';

export async function queueCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [verb, ...rest] = argv;
  const { values } = parse(`queue ${verb ?? ''}`.trim(), rest, {});
  if (verb === 'list' || verb === undefined) {
    const pending = await withLedger(io, (db) => pendingStamps(db));
    if (values.json) printJson(io, pending.map((r) => ({ id: r.id, file: r.filePath, label: r.label, requestedTsa: r.requestedTsa, createdAt: r.createdAt })));
    else io.stdout(pending.length === 0 ? 'nothing queued\n' : pending.map((r) => `${r.createdAt.slice(0, 19)}  ${r.id}  ${r.filePath ?? ''}\n`).join(''));
    return EXIT.ok;
  }
  if (verb !== 'run') throw new UsageError(`queue: unknown action "${verb}" (list, run)`);
  const outcomes = await withLedger(io, (db) => runQueue(stampContext(db, io)));
  if (values.json) printJson(io, outcomes.map(outcomeJson));
  else io.stdout(outcomes.length === 0 ? 'nothing queued\n' : outcomes.map(outcomeLine).join(''));
  return combineExit(outcomes.map((o) => (o.kind === 'stamped' ? EXIT.ok : o.kind === 'still-queued' ? EXIT.queued : exitFor(o.error))));
}

function outcomeJson(o: QueueItemOutcome) {
  switch (o.kind) {
    case 'stamped':
      return { status: 'stamped', ...stampJson(o.record, o.tsrPath), warning: o.warning };
    case 'still-queued':
      return { status: 'queued', queued: true, id: o.record.id, file: o.record.filePath };
    case 'failed':
      return { status: 'failed', id: o.record.id, file: o.record.filePath, error: errorJson(o.error) };
  }
}

function outcomeLine(o: QueueItemOutcome): string {
  const file = o.record.filePath ?? o.record.id;
  switch (o.kind) {
    case 'stamped':
      return `${file}: stamped by ${o.record.tsaName} at ${o.record.genTime}${o.tsrPath ? ` → ${o.tsrPath}` : ''}${o.warning ? ` (warning: ${o.warning})` : ''}\n`;
    case 'still-queued':
      return `${file}: still queued (no TSA reachable)\n`;
    case 'failed':
      return `${file}: failed: ${o.error.message}\n`;
  }
}
