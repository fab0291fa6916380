// How verify-any routes its inputs: a file with a `.p7s` or `.tsr` of the same name beside it among the inputs is
// verified against it; a PDF (by its first bytes, or its name) alone; a CMS SignedData (or a .p7m) as enveloping;
// a companion whose file is missing, or a file none of these fits, is an error when named, skipped inside a folder
// (a .p7s named alone goes to the CAdES verifier, which says what is missing).
import { open } from 'node:fs/promises';
import { InputError, UsageError } from '../errors.js';
import { describeFsError } from '../hash/hash-file.js';
import { isPdfFile } from '../fs/sniff.js';
import { expandInputs, type ExpandedEntry } from './expand-inputs.js';

type Named = { readonly file: string; readonly path: string };
export type VerifyTarget =
  | (Named & { readonly kind: 'pdf' | 'p7m' })
  | (Named & { readonly kind: 'p7s'; readonly signature: string })
  | (Named & { readonly kind: 'tsr'; readonly token: string })
  | (Named & { readonly kind: 'error'; readonly error: unknown });

const COMPANION = /\.(p7s|tsr)$/i;

/** `p7s` / `tsr`: given explicitly for the one input (the CLI's --p7s / --tsr). */
export async function planVerify(
  inputs: readonly string[],
  given: { p7s?: string; tsr?: string } = {},
): Promise<VerifyTarget[]> {
  if (given.p7s || given.tsr) {
    if (inputs.length !== 1) throw new UsageError('verify: --p7s and --tsr check exactly one file');
    const file = inputs[0]!;
    const path = expandInputs([file]).entries[0]!.path;
    return [
      given.p7s ? { file, path, kind: 'p7s', signature: given.p7s } : { file, path, kind: 'tsr', token: given.tsr! },
    ];
  }
  const entries = expandInputs(inputs, { skip: 'none' }).entries;
  const byPath = new Map(entries.map((e) => [e.path.toLowerCase(), e]));
  const companionOf = (e: ExpandedEntry, ext: string) => byPath.get(`${e.path.toLowerCase()}.${ext}`);
  const consumed = new Set<ExpandedEntry>();
  for (const e of entries)
    for (const ext of ['p7s', 'tsr']) if (!e.error && companionOf(e, ext)) consumed.add(companionOf(e, ext)!);
  const targets = await Promise.all(entries.filter((e) => !consumed.has(e)).map((e) => route(e, companionOf)));
  return targets.filter((t): t is VerifyTarget => t !== null);
}

/** Before any file is read: how many items the inputs make at most (a companion matched by name is none). */
export function estimateTargets(inputs: readonly string[]): number {
  const entries = expandInputs(inputs, { skip: 'none' }).entries;
  const paths = new Set(entries.map((e) => e.path.toLowerCase()));
  return entries.filter((e) => !(COMPANION.test(e.path) && paths.has(e.path.toLowerCase().slice(0, -4)))).length;
}

async function route(
  e: ExpandedEntry,
  companionOf: (e: ExpandedEntry, ext: string) => ExpandedEntry | undefined,
): Promise<VerifyTarget | null> {
  const named = { file: e.given, path: e.path };
  if (e.error) return { ...named, kind: 'error', error: e.error };
  const p7s = companionOf(e, 'p7s');
  if (p7s) return { ...named, kind: 'p7s', signature: p7s.path };
  const tsr = companionOf(e, 'tsr');
  if (tsr) return { ...named, kind: 'tsr', token: tsr.path };
  if (COMPANION.test(e.path)) {
    if (e.fromFolder) return null;
    // A detached signature named alone: the CAdES verifier reports it (no content; give the file with --p7s).
    if (/\.p7s$/i.test(e.path)) return { ...named, kind: 'p7m' };
    const flag = `--${e.path.slice(-3).toLowerCase()}`;
    const why = `${e.given}: the file it belongs to is not among the inputs (name both, or give it with ${flag})`;
    return { ...named, kind: 'error', error: new UsageError(why) };
  }
  try {
    if (/\.pdf$/i.test(e.path) || (await isPdfFile(e.path))) return { ...named, kind: 'pdf' };
    if (/\.p7m$/i.test(e.path) || (await isSignedData(e.path))) return { ...named, kind: 'p7m' };
  } catch (err) {
    return { ...named, kind: 'error', error: err };
  }
  if (e.fromFolder) return null;
  const why = 'not a PDF and no signature: give its .p7s or .tsr with it (same name plus the extension)';
  return { ...named, kind: 'error', error: new UsageError(why) };
}

/** DER ContentInfo of id-signedData (RFC 5652 §3, §5.1): a SEQUENCE whose first element is OID 1.2.840.113549.1.7.2 */
const SIGNED_DATA_OID = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]);

async function isSignedData(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  });
  try {
    const head = Buffer.alloc(32);
    const { bytesRead } = await handle.read(head, 0, 32, 0);
    return head[0] === 0x30 && head.subarray(0, bytesRead).indexOf(SIGNED_DATA_OID) > 0;
  } finally {
    await handle.close();
  }
}
