// `sealdesk restamp <record-id>... [--tsa auto|<slug>] [--json]` (seed /tsa/restamp) and
// `sealdesk chain <record-id> [--json] [--export <folder>]`: archive time-stamp chains of standalone stamps.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainOf, restamp, type Chain } from '../../core/archive/index.js';
import { UsageError } from '../../core/errors.js';
import { writeNewFile } from '../../core/fs/atomic.js';
import { parse } from '../args.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';

export async function restampCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: ids } = parse('restamp', argv, { tsa: { type: 'string', default: 'auto' } });
  if (ids.length === 0) throw new UsageError('restamp: name at least one record id (`sealdesk history` shows them)');
  return withLedger(io, async (db) => {
    const ctx = stampContext(db, io);
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const id of ids) {
      try {
        const r = await restamp(ctx, id, values.tsa!);
        codes.push(EXIT.ok);
        out.push({ id: r.record.id, parentTransactionId: r.parent.id, tsaName: r.record.tsaName, genTime: r.record.genTime, tsrPath: r.tsrPath });
        if (!values.json) io.stdout(`${id}: restamped by ${r.record.tsaName} at ${r.record.genTime} → ${r.tsrPath} (new record ${r.record.id})\n`);
      } catch (err) {
        codes.push(exitFor(err));
        out.push(errorJson(err, { id }));
        printError(io, err, `${id}: `);
      }
    }
    if (values.json) printJson(io, ids.length === 1 ? out[0] : out);
    return combineExit(codes);
  });
}

export async function chainCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('chain', argv, { export: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('chain: name one record id');
  const chain = await withLedger(io, (db) => chainOf(db, positionals[0]!));
  if (values.export) await exportChain(chain, resolve(values.export));
  if (values.json) printJson(io, chainJson(chain));
  else io.stdout(chainText(chain) + (values.export ? `exported to ${resolve(values.export)}\n` : ''));
  return chain.intact ? EXIT.ok : EXIT.verifyFailed;
}

function chainJson(c: Chain) {
  return {
    id: c.id, protectedUntil: c.protectedUntil, intact: c.intact,
    links: c.links.map((l, i) => ({
      n: i + 1, id: l.record.id, parentTransactionId: l.record.parentId, tsaName: l.record.tsaName, genTime: l.record.genTime, serial: l.record.serialHex,
      hashAlgorithm: l.record.imprintAlgorithm, tsaCertNotAfter: l.record.tsaCertNotAfter, tsrPath: l.record.tsrPath, coversPrevious: l.coversPrevious, madeInTime: l.madeInTime, problems: l.problems,
    })),
  };
}

function chainText(c: Chain): string {
  const lines = c.links.map((l, i) => `${String(i + 1).padStart(3)}  ${l.record.genTime ?? 'queued'}  ${l.record.tsaName ?? ''}  until ${l.record.tsaCertNotAfter?.slice(0, 10) ?? '?'}${l.problems.length ? `  ! ${l.problems.join('; ')}` : ''}`);
  return `${lines.join('\n')}\n${c.intact ? 'chain intact' : 'chain BROKEN'}; protected until ${c.protectedUntil ?? 'unknown'} (restamp before then)\n`;
}

/** Every link's exact bytes (link-1.tsr, …) and manifest.json, so an auditor can check the chain with OpenSSL alone. */
async function exportChain(c: Chain, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [i, l] of c.links.entries()) if (l.record.tsr) await writeNewFile(join(dir, `link-${i + 1}.tsr`), l.record.tsr);
  await writeNewFile(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(chainJson(c), null, 2)}\n`));
}
