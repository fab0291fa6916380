// `sealdesk seal <file>... [--cert <id> | --key PEM --chain PEM] [--label TEXT] [--tsa auto|<slug>] [--out PATH] [--json]`
import { basename, join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { UsageError } from '../../core/errors.js';
import { sealFile, type SealOutcome } from '../../core/seal/index.js';
import { parse } from '../args.js';
import { stampContext, withLedger } from '../context.js';
import { EXIT, combineExit, exitFor, type ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { errorJson, printError, printJsonResults, progress } from '../output.js';
import { mapPool } from '../../core/util/pool.js';
import { SIGNER_OPTIONS, resolveSigner } from '../signer-options.js';

export async function sealCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals: files } = parse('seal', argv, { ...SIGNER_OPTIONS, label: { type: 'string' }, tsa: { type: 'string', default: 'auto' }, out: { type: 'string' }, 'rsa-pss': { type: 'boolean' } });
  if (files.length === 0) throw new UsageError('seal: name at least one file');
  if (values.out && files.length > 1 && !isDir(values.out)) throw new UsageError(`--out must be an existing folder when sealing several files (${values.out} is not)`);
  return withLedger(io, async (db) => {
    const { signer, certificate } = await resolveSigner(db, io, values);
    const ctx = stampContext(db, io);
    const codes: ExitCode[] = [];
    const results: unknown[] = [];
    const show = progress(io, files.length > 1);
    const outFor = (file: string) => (values.out ? (files.length > 1 ? join(values.out, `${basename(file)}.p7s`) : values.out) : undefined);
    let settled;
    try {
      // A few in flight: one file's fsync overlaps the next one's hashing and signing.
      settled = await mapPool(files, 4, (file) => sealFile(ctx, file, { signer, certificate, tsa: values.tsa!, label: values.label, out: outFor(file), rsaPss: values['rsa-pss'] }), (done) => show(done, files.length, ''));
    } finally {
      await signer.close();
    }
    settled.forEach(({ value: o, error }, i) => {
      const file = files[i]!;
      if (o) {
        codes.push(o.queued ? EXIT.queued : EXIT.ok);
        results.push(sealJson(o, file));
        if (!values.json) io.stdout(sealLine(o, file));
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

/** The seed's X-Seal-* facts as an object (+ where the seal was written). */
function sealJson(o: SealOutcome, file: string) {
  return {
    operationId: o.operation.id,
    certificateId: o.operation.certificateId,
    timestampedBy: o.timestampedBy ?? 'none',
    format: 'cades',
    qualified: o.qualified,
    file: resolve(file),
    p7sPath: o.outputPath,
    queued: o.queued,
    ...(o.queued ? { failures: o.failures } : {}),
  };
}

function sealLine(o: SealOutcome, file: string): string {
  const ts = o.timestampedBy ? `time-stamped by ${o.timestampedBy}` : o.queued ? 'no TSA answered: sealed without a time-stamp, which is queued (`sealdesk queue run`)' : 'no time-stamp (--tsa none)';
  return `${file}: sealed (CAdES, ${ts}) → ${o.outputPath}\n`;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
