// `sealdesk chain <record-id> [--json] [--export <folder>] [--online [--allow-private-network]]`: the archive chain of
// a stamp, a sealed PDF or a .p7s seal — intact (every token sound, covering what it must, made in time) and trusted
// (every TSA certificate chains to an anchor of the trust store) reported apart; exit 0 only when both hold.
// Argument parsing and printing over core/app/history.ts.
import { resolve } from 'node:path';
import type { ChainVerdict, LinkVerdict } from '../../core/archive/index.js';
import { exportChain, recordChain, stampChainJson } from '../../core/app/history.js';
import { CoreError, UsageError } from '../../core/errors.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function chainCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('chain', argv, {
    export: { type: 'string' },
    online: { type: 'boolean' },
    'allow-private-network': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('chain: name one record id');
  const id = positionals[0]!;
  const out = values.export ? resolve(values.export) : null;
  // Each TSA certificate's revocation as the ledger knows it (--online: asked first), its trust by the trust store.
  const found = await withLedger(io, async (db) => {
    const network = { allowPrivateNetwork: values['allow-private-network'] === true };
    const timeoutMs = Number(io.env.SEALDESK_TSA_TIMEOUT_MS) || undefined;
    return recordChain(db, id, values.online ? { db, now: () => new Date(), timeoutMs, network } : null);
  });
  if (!found)
    throw new CoreError('NOT_FOUND', `seal ${id} has no file yet (its time-stamp is queued): nothing to show`);
  const exported = out ? await exportChain(found, out) : null;
  if (found.kind !== 'stamp') {
    if (values.json) printJson(io, exported ? { ...found.chain, exported } : found.chain);
    else
      io.stdout(
        chainText(
          found.chain,
          found.chain.links.map((l) => [l.genTime ?? '?', l.tsaName ?? '', l.kind, l.tsaCertNotAfter]),
        ) + (out ? `exported to ${out}\n` : ''),
      );
  } else {
    const c = found.chain;
    if (values.json) printJson(io, stampChainJson(c));
    else
      io.stdout(
        chainText(
          c,
          c.links.map((l) => [l.record.genTime ?? 'queued', l.record.tsaName ?? '', null, l.record.tsaCertNotAfter]),
        ) + (out ? `exported to ${out}\n` : ''),
      );
  }
  return found.chain.intact && found.chain.trusted ? EXIT.ok : EXIT.verifyFailed;
}

type LinkColumns = readonly [time: string, tsa: string, kind: string | null, until: string | null];

/** One line per link (its problems after `!`, why its TSA is not trusted after `?`), then the verdict. */
function chainText(c: ChainVerdict<LinkVerdict>, columns: readonly LinkColumns[]): string {
  const lines = c.links.map((l, i) => {
    const [time, tsa, kind, until] = columns[i]!;
    const head = [String(i + 1).padStart(3), time, tsa, kind, `until ${until?.slice(0, 10) ?? '?'}`]
      .filter((x) => x !== null)
      .join('  ');
    return `${head}${l.problems.length ? `  ! ${l.problems.join('; ')}` : ''}${l.trustProblems.length ? `  ? not trusted: ${l.trustProblems.join('; ')}` : ''}`;
  });
  const verdict = !c.intact
    ? `chain BROKEN${c.trusted ? '' : ', and not trusted'}`
    : c.trusted
      ? 'chain intact'
      : "chain intact, but NOT TRUSTED (why after each `?`; a TSA's CA joins the trust store with `sealdesk trust add <ca.pem>`)";
  return `${lines.join('\n')}\n${verdict}; protected until ${c.protectedUntil ?? 'unknown'} (restamp before then)\n`;
}
