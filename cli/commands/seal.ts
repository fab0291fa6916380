// `sealdesk seal <file>...`: PAdES inside PDFs, a detached CAdES .p7s beside any other file.
import { basename, join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { isPdfFile } from '../../core/fs/sniff.js';
import { parseLevel, parseVisible, sealPdf, sealedName, type PadesLevel, type PadesOutcome } from '../../core/pades/index.js';
import { sealFile, type SealOutcome } from '../../core/seal/index.js';
import type { Signer } from '../../core/signers/index.js';
import type { CertificateRecord } from '../../core/ledger/index.js';
import type { StampContext } from '../../core/stamp/index.js';
import { parse } from '../args.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults, progress } from '../output.js';
import { mapPool } from '../../core/util/pool.js';
import { SIGNER_OPTIONS, resolveSigner } from '../signer-options.js';

const OPTIONS = {
  ...SIGNER_OPTIONS, label: { type: 'string' }, tsa: { type: 'string', default: 'auto' }, out: { type: 'string' }, 'rsa-pss': { type: 'boolean' },
  level: { type: 'string' }, reason: { type: 'string' }, location: { type: 'string' }, contact: { type: 'string' }, visible: { type: 'string' },
} as const;

type Values = { label?: string; tsa?: string; out?: string; 'rsa-pss'?: boolean; level?: string; reason?: string; location?: string; contact?: string; visible?: string };
type Sealed = { kind: 'pades'; o: PadesOutcome } | { kind: 'cades'; o: SealOutcome };

export async function sealCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: files } = parse('seal', argv, OPTIONS);
  if (files.length === 0) throw new UsageError('seal: name at least one file');
  if (values.out && files.length > 1 && !isDir(values.out)) throw new UsageError(`--out must be an existing folder when sealing several files (${values.out} is not)`);
  const level: PadesLevel = values.level ? parseLevel(values.level) : values.tsa === 'none' ? 'B-B' : 'B-T';
  if (values.tsa === 'none' && level !== 'B-B') throw new UsageError(`--level ${level} needs a time-stamp; it cannot be combined with --tsa none`);
  const visible = values.visible ? parseVisible(values.visible) : undefined;
  return withLedger(io, async (db) => {
    const { signer, certificate } = await resolveSigner(db, io, values);
    const ctx = stampContext(db, io);
    const show = progress(io, files.length > 1);
    let settled;
    try {
      // A few in flight: one file's fsync overlaps the next one's hashing and signing.
      settled = await mapPool(files, files.length > 1 ? 4 : 1, (file) => sealOne(ctx, file, { signer, certificate, values, level, visible, many: files.length > 1 }), (done) => show(done, files.length, ''));
    } finally {
      await signer.close();
    }
    const codes: ExitCode[] = [];
    const results: unknown[] = [];
    settled.forEach(({ value, error }, i) => {
      const file = files[i]!;
      if (value) {
        codes.push(value.o.queued ? EXIT.queued : EXIT.ok);
        results.push(value.kind === 'pades' ? padesJson(value.o, file) : cadesJson(value.o, file));
        if (!values.json) io.stdout(value.kind === 'pades' ? padesLine(value.o, file) : cadesLine(value.o, file));
        if (value.kind === 'pades') for (const w of value.o.warnings) io.stderr(`${file}: warning: ${w}\n`);
      } else {
        codes.push(exitFor(error));
        results.push(errorJson(error, { file: resolve(file) }));
        printError(io, error, `${file}: `);
      }
    });
    if (values.json) printJsonResults(io, results);
    return combineExit(codes);
  });
}

type One = { signer: Signer; certificate: CertificateRecord; values: Values; level: PadesLevel; visible: ReturnType<typeof parseVisible> | undefined; many: boolean };

async function sealOne(ctx: StampContext, file: string, a: One): Promise<Sealed> {
  const v = a.values;
  if (await isPdfFile(resolve(file))) {
    const out = v.out ? (a.many ? join(v.out, basename(sealedName(file))) : v.out) : undefined;
    const o = await sealPdf(ctx, file, { signer: a.signer, certificate: a.certificate, level: a.level, tsa: v.tsa === 'none' ? 'auto' : v.tsa!, reason: v.reason, location: v.location, contactInfo: v.contact, label: v.label, visible: a.visible, out });
    return { kind: 'pades', o };
  }
  const out = v.out ? (a.many ? join(v.out, `${basename(file)}.p7s`) : v.out) : undefined;
  return { kind: 'cades', o: await sealFile(ctx, file, { signer: a.signer, certificate: a.certificate, tsa: v.tsa!, label: v.label, out, rsaPss: v['rsa-pss'] }) };
}

/** The seed's X-Seal-* facts as an object (+ where the seal was written). */
function cadesJson(o: SealOutcome, file: string) {
  return {
    operationId: o.operation.id, certificateId: o.operation.certificateId, timestampedBy: o.timestampedBy ?? 'none', format: 'cades', qualified: o.qualified,
    file: resolve(file), outputPath: o.outputPath, p7sPath: o.outputPath, queued: o.queued, ...(o.queued ? { failures: o.failures } : {}),
  };
}

function padesJson(o: PadesOutcome, file: string) {
  return {
    operationId: o.operation.id, certificateId: o.operation.certificateId, timestampedBy: o.timestampedBy ?? 'none', format: 'pades', qualified: o.qualified,
    file: resolve(file), outputPath: o.outputPath, level: o.level, requestedLevel: o.operation.level, queued: o.queued,
    ...(o.queued ? { pendingReason: o.pendingReason, failures: o.failures } : {}), warnings: o.warnings,
  };
}

function cadesLine(o: SealOutcome, file: string): string {
  const ts = o.timestampedBy ? `time-stamped by ${o.timestampedBy}` : o.queued ? 'no TSA answered: sealed without a time-stamp, which is queued (`sealdesk queue run`)' : 'no time-stamp (--tsa none)';
  return `${file}: sealed (CAdES, ${ts}) → ${o.outputPath}\n`;
}

function padesLine(o: PadesOutcome, file: string): string {
  const by = o.timestampedBy ? `, time-stamped by ${o.timestampedBy}` : '';
  const rest = o.queued ? ` — ${o.pendingReason}; the rest (to ${o.operation.level}) is queued (\`sealdesk queue run\`)` : '';
  return `${file}: sealed (PAdES ${o.level}${by}) → ${o.outputPath}${rest}\n`;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
