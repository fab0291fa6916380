// Use case "import": records made elsewhere join the ledger — .tsr tokens beside their documents, signed PDFs and
// .p7s seals, or folders holding them — so `restamp` and `chain` work on them. In a folder, a PDF without any
// signature is a document, not a seal: skipped. One result per input, in input order; the batch goes on past errors.
import { importToken, type Imported } from '../archive/import.js';
import { importP7s, importSealedPdf, type ImportedSeal } from '../archive/import-sealed.js';
import { CoreError, UsageError } from '../errors.js';
import { isPdfFile } from '../fs/sniff.js';
import type { Ledger } from '../ledger/open.js';
import { listTrustAnchors } from '../ledger/trust-anchors.js';
import { expandInputs } from './expand-inputs.js';

const IMPORTABLE = /\.(tsr|p7s|pdf)$/i;

export type ImportItem =
  | { readonly path: string; readonly kind: 'stamp'; readonly stamp: Imported }
  | { readonly path: string; readonly kind: 'seal'; readonly seal: ImportedSeal }
  | { readonly path: string; readonly kind: 'skipped'; readonly reason: string }
  | { readonly path: string; readonly kind: 'error'; readonly error: unknown };

export type ImportOptions = { readonly now?: Date; readonly onItem?: (item: ImportItem, done: number) => void };

/** Imports every input (a folder: its .tsr, .p7s and .pdf files, sorted); `now` is the import time recorded. */
export async function importFiles(db: Ledger, inputs: readonly string[], o: ImportOptions = {}): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  const push = (item: ImportItem) => {
    out.push(item);
    o.onItem?.(item, out.length);
  };
  for (const input of inputs) {
    const { files, fromFolder, unreadable } = expandInputs([input], {
      skip: 'none',
      accept: (name) => IMPORTABLE.test(name),
    });
    for (const u of unreadable) push({ path: u.path, kind: 'error', error: u.error });
    for (const path of files) {
      try {
        push(await importOne(db, path, o.now ?? new Date()));
      } catch (error) {
        if (fromFolder.has(path) && error instanceof CoreError && error.code === 'NO_SIGNATURE_FOUND') {
          push({ path, kind: 'skipped', reason: 'no signature (a document, not a seal)' });
        } else push({ path, kind: 'error', error });
      }
    }
  }
  return out;
}

async function importOne(db: Ledger, path: string, now: Date): Promise<ImportItem> {
  if (/\.tsr$/i.test(path)) return { path, kind: 'stamp', stamp: await importToken(db, path, now) };
  const o = { anchors: listTrustAnchors(db).map((a) => a.der), now };
  const seal = /\.p7s$/i.test(path)
    ? await importP7s(db, path, o)
    : (await isPdfFile(path))
      ? await importSealedPdf(db, path, o)
      : null;
  if (!seal) throw new UsageError(`${path} is neither a .tsr, a PDF nor a .p7s`);
  return { path, kind: 'seal', seal };
}
