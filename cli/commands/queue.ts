// `sealdesk queue list|run [--json]`: stamps recorded offline, and completing them once a TSA answers.
import { UsageError } from '../../core/errors.js';
import { queueList, queueRun } from '../../core/app/queue.js';
import type { PendingSealOutcome } from '../../core/seal/index.js';
import type { QueueItemOutcome } from '../../core/stamp/index.js';
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
    const items = await withLedger(io, queueList);
    if (values.json) printJson(io, items);
    else
      io.stdout(
        items.length === 0
          ? 'nothing queued\n'
          : items.map((r) => `${r.createdAt.slice(0, 19)}  ${r.id}  ${r.kind}  ${r.file ?? ''}\n`).join(''),
      );
    return EXIT.ok;
  }
  if (verb !== 'run') throw new UsageError(`queue: unknown action "${verb}" (list, run)`);
  const { stamps, seals } = await withLedger(io, (db) => queueRun(stampContext(db, io)));
  if (values.json) printJson(io, [...stamps.map(outcomeJson), ...seals.map(sealJson)]);
  else
    io.stdout(
      stamps.length + seals.length === 0
        ? 'nothing queued\n'
        : [...stamps.map(outcomeLine), ...seals.map(sealLine)].join(''),
    );
  const kinds = [
    ...stamps.map((o) => [o.kind, o.kind === 'failed' ? o.error : null] as const),
    ...seals.map((o) => [o.kind, o.kind === 'failed' ? o.error : null] as const),
  ];
  return combineExit(
    kinds.map(([k, e]) => (k === 'still-queued' ? EXIT.queued : k === 'failed' ? exitFor(e) : EXIT.ok)),
  );
}

function sealJson(o: PendingSealOutcome) {
  const base = { kind: 'seal-timestamp', operationId: o.operation.id, p7sPath: o.operation.outputPath };
  if (o.kind === 'timestamped')
    return {
      ...base,
      status: o.done === false ? 'advanced' : 'timestamped',
      timestampedBy: o.tsaName,
      ...(o.level ? { level: o.level, outputPath: o.operation.outputPath } : {}),
    };
  if (o.kind === 'still-queued') return { ...base, status: 'queued', queued: true };
  return { ...base, status: 'failed', error: errorJson(o.error) };
}

function sealLine(o: PendingSealOutcome): string {
  const where = o.operation.outputPath ?? o.operation.id;
  if (o.kind === 'timestamped')
    return (
      `${where}: seal time-stamped by ${o.tsaName}` +
      ` (now ${o.level ? `PAdES ${o.level}${o.done === false ? `, ${o.operation.level} still queued` : ''}` : 'CAdES-B-T'})\n`
    );
  if (o.kind === 'still-queued') return `${where}: seal time-stamp still queued (no TSA reachable)\n`;
  return `${where}: failed: ${o.error.message}\n`;
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
      return (
        `${file}: stamped by ${o.record.tsaName} at ${o.record.genTime}${o.tsrPath ? ` → ${o.tsrPath}` : ''}` +
        `${o.warning ? ` (warning: ${o.warning})` : ''}\n`
      );
    case 'still-queued':
      return `${file}: still queued (no TSA reachable)\n`;
    case 'failed':
      return `${file}: failed: ${o.error.message}\n`;
  }
}
