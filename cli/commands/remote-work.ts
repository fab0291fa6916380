// The CLI's remote work (issue 17): `stamp --remote`, `seal --remote-cert <id> [--yes]`, `restamp --remote`, printing
// over core/app/remote-{stamp,seal,restamp}.ts. Queued work (the server out of reach) exits 4 like a queued stamp.
// A remote seal sends the file itself: the user confirms at the terminal first, or passes --yes; without a terminal
// and without --yes nothing is sent.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { remoteRestamp } from '../../core/app/remote-restamp.js';
import { remoteSealInputs, remoteSealTargets, type RemoteSealOptions } from '../../core/app/remote-seal.js';
import { remoteStampInputs, type RemoteStampOptions } from '../../core/app/remote-stamp.js';
import { CoreError, UsageError } from '../../core/errors.js';
import type { RemoteClient } from '../../core/sync/types.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson, printJsonResults } from '../output.js';
import { stampJson } from '../records.js';
import { remoteClientFor } from '../remote-client.js';

type Report = { code: ExitCode; json: unknown; line?: string };

async function report(io: CliIo, json: boolean, items: readonly (Report | { error: unknown; name: string })[]) {
  const codes: ExitCode[] = [];
  const out: unknown[] = [];
  for (const r of items) {
    if ('error' in r) {
      codes.push(exitFor(r.error));
      out.push(errorJson(r.error, { file: r.name }));
      printError(io, r.error, `${r.name}: `);
      continue;
    }
    codes.push(r.code);
    out.push(r.json);
    if (!json && r.line) io.stdout(r.line);
  }
  if (json) printJsonResults(io, out);
  return combineExit(codes);
}

export async function remoteStampCli(io: CliIo, files: readonly string[], o: RemoteStampOptions, json: boolean) {
  const client = await remoteClientFor(io);
  return withLedger(io, async (db) => {
    const items = await remoteStampInputs(stampContext(db, io), client, files, o);
    return report(
      io,
      json,
      items.map((item): Report | { error: unknown; name: string } => {
        if (!item.ok) return { error: item.error, name: item.file };
        const x = item.outcome;
        if (x.kind === 'queued')
          return {
            code: EXIT.queued,
            json: { queued: true, remote: true, id: x.id, file: resolve(item.file) },
            line: `${item.file}: queued — the server cannot be reached; \`sealdesk sync\` sends its hash (record ${x.id})\n`,
          };
        const r = x.record;
        const json = { ...stampJson(r, x.tsrPath), remote: true, remoteId: x.remoteId, file: resolve(item.file) };
        if (x.kind === 'existing')
          return {
            code: EXIT.ok,
            json: { ...json, alreadyStamped: true },
            line: `${item.file}: already stamped by ${r.tsaName} at ${r.genTime} (record ${r.id}; token at ${x.tsrPath})\n`,
          };
        return {
          code: EXIT.ok,
          json,
          line: `${item.file}: stamped via the server by ${r.tsaName} at ${r.genTime} (serial ${r.serialHex}) → ${x.tsrPath}\n`,
        };
      }),
    );
  });
}

export async function remoteSealCli(
  io: CliIo,
  files: readonly string[],
  o: RemoteSealOptions & { yes?: boolean },
  json: boolean,
): Promise<ExitCode> {
  const client = await remoteClientFor(io);
  await confirmSending(io, client, files, o);
  return withLedger(io, async (db) => {
    const items = await remoteSealInputs({ db, now: () => new Date() }, client, files, o);
    return report(
      io,
      json,
      items.map((item): Report | { error: unknown; name: string } => {
        if ('error' in item) return { error: item.error, name: item.file };
        const x = item.outcome;
        const file = resolve(item.file);
        if (x.kind === 'queued')
          return {
            code: EXIT.queued,
            json: { queued: true, remote: true, id: x.id, file },
            line: `${item.file}: queued — the server cannot be reached; \`sealdesk sync\` sends it if it is unchanged then\n`,
          };
        const trust = x.subIndication ? ` — ${x.indication} (${x.subIndication}) here` : '';
        const by = x.timestampedBy ? `, time-stamped by ${x.timestampedBy}` : '';
        return {
          code: EXIT.ok,
          json: {
            operationId: x.operation.id,
            remoteId: x.remoteId,
            certificateId: o.certificateId,
            timestampedBy: x.timestampedBy ?? 'none',
            format: x.format,
            qualified: x.qualified,
            file,
            outputPath: x.outputPath,
            indication: x.indication,
            subIndication: x.subIndication,
            remote: true,
          },
          line: `${item.file}: sealed by the server (${x.format === 'pades' ? 'PAdES' : 'CAdES'}${by}) → ${x.outputPath}${trust}\n`,
        };
      }),
    );
  });
}

/** The file leaves the machine: said, and agreed to at the terminal, or --yes. */
async function confirmSending(io: CliIo, client: RemoteClient, files: readonly string[], o: { yes?: boolean }) {
  const server = client.account.serverUrl;
  const certificate = (o as RemoteSealOptions).certificateId;
  const lines = remoteSealTargets(files)
    .filter((e) => !e.error)
    .map((e) => `${e.given} (${sizeOf(e.path)} bytes) will be sent to ${server} to be sealed with ${certificate}\n`);
  if (lines.length === 0) return;
  const ask = io.confirm;
  if (!o.yes && !ask)
    throw new UsageError(
      'seal --remote-cert sends the file to the server: pass --yes to agree (no terminal to ask at)',
    );
  for (const line of lines) io.stderr(line);
  if (!o.yes && !(await ask!('Send? [y/N] '))) throw new CoreError('CANCELLED', 'nothing was sent');
}

function sizeOf(path: string): number {
  return statSync(path).size;
}

export async function remoteRestampCli(io: CliIo, ids: readonly string[], tsa: string, json: boolean) {
  const client = await remoteClientFor(io);
  return withLedger(io, async (db) => {
    const ctx = stampContext(db, io);
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const id of ids) {
      try {
        const r = await remoteRestamp(ctx, client, id, { tsa });
        if (r.kind === 'queued') {
          codes.push(EXIT.queued);
          out.push({ queued: true, remote: true, id: r.id, parentTransactionId: r.parent.id });
          if (!json) io.stdout(`${id}: queued — the server cannot be reached; \`sealdesk sync\` restamps it\n`);
          continue;
        }
        const rec = r.record;
        codes.push(EXIT.ok);
        out.push({
          id: rec.id,
          remoteId: r.remoteId,
          parentTransactionId: r.parent.id,
          tsaName: rec.tsaName,
          genTime: rec.genTime,
          tsrPath: r.tsrPath,
          remote: true,
        });
        if (!json)
          io.stdout(
            `${id}: restamped via the server by ${rec.tsaName} at ${rec.genTime} → ${r.tsrPath} (new record ${rec.id})\n`,
          );
      } catch (err) {
        codes.push(exitFor(err));
        out.push(errorJson(err, { id }));
        printError(io, err, `${id}: `);
      }
    }
    if (json) printJson(io, ids.length === 1 ? out[0] : out);
    return combineExit(codes);
  });
}
