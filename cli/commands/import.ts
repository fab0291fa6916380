// `sealdesk import <file.tsr | signed.pdf | file.p7s | folder>... [--json]`: records made elsewhere join the ledger
// (then `restamp` and `chain` work on them). In a folder, PDFs without any signature are documents, not seals: skipped.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importP7s, importSealedPdf, importToken, type ImportedSeal } from '../../core/archive/index.js';
import { CoreError, UsageError } from '../../core/errors.js';
import { isPdfFile } from '../../core/fs/sniff.js';
import { listTrustAnchors, type Ledger } from '../../core/ledger/index.js';
import { parse } from '../args.js';
import { withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJson } from '../output.js';

const IMPORTABLE = /\.(tsr|p7s|pdf)$/i;

type Input = { readonly path: string; readonly fromFolder: boolean };

export async function importCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parse('import', argv, {});
  if (positionals.length === 0) throw new UsageError('import: name .tsr files, signed PDFs, .p7s files, or folders holding them');
  const inputs: Input[] = positionals.flatMap((p) =>
    statSync(p, { throwIfNoEntry: false })?.isDirectory()
      ? readdirSync(p, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && IMPORTABLE.test(e.name)).map((e) => ({ path: join(e.parentPath, e.name), fromFolder: true })).sort((a, b) => a.path.localeCompare(b.path))
      : [{ path: resolve(p), fromFolder: false }],
  );
  return withLedger(io, async (db) => {
    const codes: ExitCode[] = [];
    const out: unknown[] = [];
    for (const input of inputs) {
      try {
        const line = await importOne(db, input.path);
        codes.push(EXIT.ok);
        out.push(line.json);
        if (!values.json) io.stdout(`${input.path}: ${line.text}\n`);
      } catch (err) {
        if (input.fromFolder && err instanceof CoreError && err.code === 'NO_SIGNATURE_FOUND') {
          out.push({ path: input.path, skipped: true, reason: 'no signature (a document, not a seal)' });
          continue;
        }
        codes.push(exitFor(err));
        out.push(errorJson(err, { path: input.path }));
        printError(io, err, `${input.path}: `);
      }
    }
    if (values.json) printJson(io, out);
    return combineExit(codes);
  });
}

async function importOne(db: Ledger, path: string): Promise<{ json: Record<string, unknown>; text: string }> {
  if (/\.tsr$/i.test(path)) {
    const r = await importToken(db, path, new Date());
    return {
      json: { kind: 'stamp', path: r.tsrPath, tsrPath: r.tsrPath, id: r.record.id, already: r.already, tsaName: r.record.tsaName, genTime: r.record.genTime, tsaCertNotAfter: r.record.tsaCertNotAfter },
      text: `${r.already ? 'already in the ledger' : 'imported'} as ${r.record.id} (${r.record.tsaName}, ${r.record.genTime}; TSA certificate until ${r.record.tsaCertNotAfter?.slice(0, 10) ?? '?'})`,
    };
  }
  const o = { anchors: listTrustAnchors(db).map((a) => a.der), now: new Date() };
  const seal = /\.p7s$/i.test(path) ? await importP7s(db, path, o) : (await isPdfFile(path)) ? await importSealedPdf(db, path, o) : null;
  if (!seal) throw new UsageError(`${path} is neither a .tsr, a PDF nor a .p7s`);
  return { json: sealJson(seal), text: sealText(seal) };
}

function sealJson(s: ImportedSeal): Record<string, unknown> {
  const op = s.operation;
  return { kind: 'seal', path: s.path, id: op.id, already: s.already, format: op.signatureType, level: op.reachedLevel ?? null, signer: op.certLabel, tsaName: op.tsaName, indication: s.already ? null : s.indication, signatures: s.already ? null : s.signatures };
}

function sealText(s: ImportedSeal): string {
  const op = s.operation;
  if (s.already) return `already in the ledger as ${op.id}`;
  const what = op.signatureType === 'pades' ? `${s.signatures} signature(s), ${op.reachedLevel}` : 'CAdES';
  return `imported as ${op.id} (${what}; signed by ${op.certLabel ?? '?'}; ${s.indication} with the trust store's anchors)`;
}
