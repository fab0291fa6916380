// `sealdesk sync [--include-existing] [--json]`: one sync run (core/app/sync.ts) — the outbox pushed in order, then the
// organisation's records pulled. Exit 0 when both finished, 4 when the server cannot be reached (the work stays
// queued), 2 with the sign-in message when the server no longer accepts the credential.
import { syncRun } from '../../core/app/sync.js';
import { CoreError } from '../../core/errors.js';
import type { SyncResult } from '../../core/sync/types.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';
import { remoteClientFor } from '../remote-client.js';

export async function syncCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('sync', argv, { 'include-existing': { type: 'boolean' } });
  if (positionals.length > 0) throw new CoreError('USAGE', 'sync: takes no arguments');
  const client = await remoteClientFor(io);
  const result = await withLedger(io, (db) => syncRun(db, client, { includeExisting: values['include-existing'] }));
  if (values.json) printJson(io, result);
  else printResult(io, result);
  if (result.status.state === 'offline') return EXIT.queued;
  if (result.status.state === 'sign-in-needed') return EXIT.usage;
  return EXIT.ok;
}

function printResult(io: CliIo, r: SyncResult): void {
  io.stdout(`pushed ${r.pushed}, pulled ${r.pulled}; ${r.pending} waiting to be sent\n`);
  if (r.refused.length > 0) {
    io.stdout(`${r.refused.length} local record(s) the server does not take:\n`);
    for (const x of r.refused) io.stdout(`  ${x.kind} ${x.recordId}: ${x.reason}\n`);
  }
  const e = r.status.lastError;
  if (r.status.state === 'offline')
    io.stderr(`offline: ${e ?? 'the server cannot be reached'}; the work stays queued\n`);
  else if (r.status.state === 'sign-in-needed')
    io.stderr(`${e ?? 'the server refused the credential'}: sign in again with \`sealdesk account login\`\n`);
  else if (e) io.stderr(`${e}\n`);
}
