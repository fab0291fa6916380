// Seal any files (the CLI's `seal` and the desktop's Seal view): PDFs, by their first bytes, get a PAdES signature
// inside them (core/pades), every other file a detached CAdES .p7s beside it (core/seal). Folders are expanded
// (core/app/expand-inputs, without their .p7s/.tsr); the signer is opened once for the batch and closed at the end.
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CoreError, UsageError } from '../errors.js';
import { isPdfFile } from '../fs/sniff.js';
import { parseLevel, parseVisible, sealPdf, sealedName, type PadesLevel, type PadesOutcome } from '../pades/index.js';
import type { VisibleSpec } from '../pades/visible.js';
import { sealFile, type SealOutcome } from '../seal/index.js';
import type { StampContext } from '../stamp/index.js';
import { mapPool } from '../util/pool.js';
import { expandInputs } from './expand-inputs.js';
import { openSigner, type AskSecret, type OpenedSigner, type SignerSpec } from './open-signer.js';

/** What a user action needs from its surroundings: the ledger and TSA transport, and the data folder (keys). */
export type AppContext = StampContext & { readonly home: string };

/** Every option of `sealdesk seal` (the desktop's Seal view has the same). */
export type SealAnyOptions = {
  readonly signer: SignerSpec;
  /** CAdES with RSA-PSS (RFC 4056) instead of PKCS#1 v1.5; needs an RSA key. */
  readonly rsaPss?: boolean;
  readonly label?: string;
  /** 'auto' (the default: each enabled TSA in turn), a TSA's slug, or 'none' (no time-stamp; PAdES B-B). */
  readonly tsa?: string;
  /** The output file (one input), or an existing folder (several). Default: beside each input. */
  readonly out?: string;
  /** PDFs: PAdES baseline level (default B-T, B-B with tsa 'none'), or the CLI's spelling of it. */
  readonly level?: PadesLevel | string;
  readonly reason?: string;
  readonly location?: string;
  readonly contact?: string;
  /** PDFs: a visible seal, `page:x,y,w,h` in points. */
  readonly visible?: string;
};

export type SealAnyRun = {
  /** Once aborted, the files not started end as CANCELLED. */
  readonly signal?: AbortSignal;
  /** After each file, with the number done so far and the total. */
  readonly onItem?: (done: number, total: number) => void;
  /** Asked for a PIN, password or passphrase the signer needs and `signer` does not carry. */
  readonly ask?: AskSecret;
  /** Files sealed at once (default 4: one file's fsync overlaps the next one's hashing and signing). */
  readonly concurrency?: number;
};

/** One input's result: `file` is the name the user gave (or the path inside a folder). */
export type SealAnyItem =
  | { readonly file: string; readonly path: string; readonly kind: 'pades'; readonly outcome: PadesOutcome }
  | { readonly file: string; readonly path: string; readonly kind: 'cades'; readonly outcome: SealOutcome }
  | { readonly file: string; readonly path: string; readonly error: unknown };

type Plan = { level: PadesLevel; visible: VisibleSpec | undefined; many: boolean };

export async function sealAny(
  ctx: AppContext,
  inputs: readonly string[],
  o: SealAnyOptions,
  run: SealAnyRun = {},
): Promise<SealAnyItem[]> {
  const entries = expandInputs(inputs, { skip: 'companions' }).entries;
  const plan = planOf(o, entries.length > 1);
  if (!entries.some((e) => !e.error)) return entries.map((e) => ({ file: e.given, path: e.path, error: e.error }));
  let opened: OpenedSigner | undefined;
  try {
    opened = await openSigner({ db: ctx.db, home: ctx.home, ask: run.ask, now: ctx.now }, o.signer);
    const signer = opened;
    const settled = await mapPool(
      entries,
      run.concurrency ?? 4,
      async (e) => {
        if (e.error) throw e.error;
        if (run.signal?.aborted) throw new CoreError('CANCELLED', 'cancelled before it was sealed');
        return sealOne(ctx, e.path, signer, o, plan);
      },
      (done) => run.onItem?.(done, entries.length),
    );
    return settled.map(({ value, error }, i) => {
      const { given: file, path } = entries[i]!;
      return value ? { file, path, ...value } : { file, path, error };
    });
  } finally {
    await opened?.signer.close();
  }
}

/** The options checked before any key is opened: the level against the TSA choice, --out, the visible seal. */
function planOf(o: SealAnyOptions, many: boolean): Plan {
  if (o.out && many && !isDir(o.out))
    throw new UsageError(`--out must be an existing folder when sealing several files (${o.out} is not)`);
  const level = o.level ? parseLevel(o.level) : o.tsa === 'none' ? 'B-B' : 'B-T';
  if (o.tsa === 'none' && level !== 'B-B')
    throw new UsageError(`--level ${level} needs a time-stamp; it cannot be combined with --tsa none`);
  return { level, visible: o.visible ? parseVisible(o.visible) : undefined, many };
}

type Sealed = { kind: 'pades'; outcome: PadesOutcome } | { kind: 'cades'; outcome: SealOutcome };

async function sealOne(ctx: AppContext, file: string, s: OpenedSigner, o: SealAnyOptions, p: Plan): Promise<Sealed> {
  const tsa = o.tsa ?? 'auto';
  if (await isPdfFile(file)) {
    const out = o.out ? (p.many ? join(o.out, basename(sealedName(file))) : o.out) : undefined;
    const outcome = await sealPdf(ctx, file, {
      signer: s.signer,
      certificate: s.certificate,
      level: p.level,
      tsa: tsa === 'none' ? 'auto' : tsa,
      reason: o.reason,
      location: o.location,
      contactInfo: o.contact,
      label: o.label,
      visible: p.visible,
      out,
    });
    return { kind: 'pades', outcome };
  }
  const out = o.out ? (p.many ? join(o.out, `${basename(file)}.p7s`) : o.out) : undefined;
  return {
    kind: 'cades',
    outcome: await sealFile(ctx, file, {
      signer: s.signer,
      certificate: s.certificate,
      tsa,
      label: o.label,
      out,
      rsaPss: o.rsaPss,
    }),
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
