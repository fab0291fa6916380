// `sealdesk chain <record-id> [--json] [--export <folder>] [--online [--allow-private-network]]`: the archive chain of
// a stamp, a sealed PDF or a .p7s seal — intact (every token sound, covering what it must, made in time) and trusted (every TSA certificate
// chains to an anchor of the trust store) reported apart; exit 0 only when both hold.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chainOf, exportP7sChain, exportPdfChain, p7sChainOf, pdfChainOf, type Chain, type ChainVerdict, type LinkVerdict } from '../../core/archive/index.js';
import { UsageError } from '../../core/errors.js';
import { writeNewFile } from '../../core/fs/atomic.js';
import { getOperation, listTrustAnchors } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { printJson } from '../output.js';

export async function chainCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('chain', argv, {
    export: { type: 'string' }, online: { type: 'boolean' }, 'allow-private-network': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('chain: name one record id');
  const id = positionals[0]!;
  const out = values.export ? resolve(values.export) : null;
  // Each TSA certificate's revocation as the ledger knows it (--online: asked first), its trust by the trust store.
  const found = await withLedger(io, async (db) => {
    const anchors = listTrustAnchors(db).map((a) => a.der);
    const network = { allowPrivateNetwork: values['allow-private-network'] === true };
    const timeoutMs = Number(io.env.SEALDESK_TSA_TIMEOUT_MS) || undefined;
    const online = values.online ? { db, now: () => new Date(), timeoutMs, network } : null;
    const op = getOperation(db, id);
    if (op?.signatureType === 'cades') return { kind: 'p7s', chain: await p7sChainOf(db, id, anchors, online), sealed: op } as const;
    if (op) return { kind: 'pdf', chain: await pdfChainOf(db, id, anchors, online) } as const;
    return { kind: 'stamp', chain: await chainOf(db, id, { anchors, online }) } as const;
  });
  if (found.kind !== 'stamp') {
    const exported = !out ? null : found.kind === 'p7s' ? await exportP7sChain(found.chain, found.sealed, out) : await exportPdfChain(found.chain, out);
    if (values.json) printJson(io, exported ? { ...found.chain, exported } : found.chain);
    else io.stdout(chainText(found.chain, found.chain.links.map((l) => [l.genTime ?? '?', l.tsaName ?? '', l.kind, l.tsaCertNotAfter])) + (out ? `exported to ${out}\n` : ''));
  } else {
    const c = found.chain;
    if (out) await exportChain(c, out);
    if (values.json) printJson(io, chainJson(c));
    else io.stdout(chainText(c, c.links.map((l) => [l.record.genTime ?? 'queued', l.record.tsaName ?? '', null, l.record.tsaCertNotAfter])) + (out ? `exported to ${out}\n` : ''));
  }
  return found.chain.intact && found.chain.trusted ? EXIT.ok : EXIT.verifyFailed;
}

function chainJson(c: Chain) {
  return {
    id: c.id, protectedUntil: c.protectedUntil, intact: c.intact, trusted: c.trusted,
    links: c.links.map((l, i) => ({
      n: i + 1, id: l.record.id, parentTransactionId: l.record.parentId, tsaName: l.record.tsaName, genTime: l.record.genTime, serial: l.record.serialHex,
      hashAlgorithm: l.record.imprintAlgorithm, tsaCertNotAfter: l.record.tsaCertNotAfter, tsaRevokedAt: l.tsaRevokedAt, tsrPath: l.record.tsrPath, coversPrevious: l.coversPrevious, madeInTime: l.madeInTime,
      intact: l.intact, trusted: l.trusted, problems: l.problems, trustProblems: l.trustProblems,
    })),
  };
}

type LinkColumns = readonly [time: string, tsa: string, kind: string | null, until: string | null];

/** One line per link (its problems after `!`, why its TSA is not trusted after `?`), then the verdict. */
function chainText(c: ChainVerdict<LinkVerdict>, columns: readonly LinkColumns[]): string {
  const lines = c.links.map((l, i) => {
    const [time, tsa, kind, until] = columns[i]!;
    const head = [String(i + 1).padStart(3), time, tsa, kind, `until ${until?.slice(0, 10) ?? '?'}`].filter((x) => x !== null).join('  ');
    return `${head}${l.problems.length ? `  ! ${l.problems.join('; ')}` : ''}${l.trustProblems.length ? `  ? not trusted: ${l.trustProblems.join('; ')}` : ''}`;
  });
  const verdict = !c.intact ? `chain BROKEN${c.trusted ? '' : ', and not trusted'}`
    : c.trusted ? 'chain intact'
    : 'chain intact, but NOT TRUSTED (why after each `?`; a TSA\'s CA joins the trust store with `sealdesk trust add <ca.pem>`)';
  return `${lines.join('\n')}\n${verdict}; protected until ${c.protectedUntil ?? 'unknown'} (restamp before then)\n`;
}

/** Every link's exact bytes (link-1.tsr, …) and manifest.json, so an auditor can check the chain with OpenSSL alone. */
async function exportChain(c: Chain, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const [i, l] of c.links.entries()) if (l.record.tsr) await writeNewFile(join(dir, `link-${i + 1}.tsr`), l.record.tsr);
  await writeNewFile(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(chainJson(c), null, 2)}\n`));
}
