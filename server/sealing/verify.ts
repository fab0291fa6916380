// POST /seal/verify's work (seed 001): the uploads written to a private temporary folder and verified by core/app's
// verifyAny — in its resource-limited worker, as the CLI does — then shaped as the seed's PAdES or CAdES answer.
// Trust: the server's configured anchors are `chained`, its development CAs `dev_ca` (SealingConfig.trust/trustDev).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAny, type VerifyAnyItem } from '../../core/app/verify-any.js';
import { CoreError } from '../../core/errors.js';
import { openLedger, type Ledger } from '../../core/ledger/index.js';
import type { CadesReport, PdfReport, Qualification } from '../../core/model/index.js';
import { loadSnapshot } from '../../core/tl/store.js';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { isPdf } from './seal.js';

export type VerifyUpload = { readonly file: Buffer; readonly p7s?: Buffer; readonly tsr?: Buffer };

/** verifyAny reads trust anchors from a ledger; the server's live in its config, so this one stays empty. */
let scratch: Ledger | undefined;
const emptyLedger = () => (scratch ??= openLedger(':memory:'));

export async function verifyUpload(ctx: ServerContext, u: VerifyUpload): Promise<object> {
  if (!u.p7s && !isPdf(u.file))
    throw new HttpError(400, 'malformed PDF: give a sealed PDF, or the original file with its p7s');
  const dir = mkdtempSync(join(tmpdir(), 'sealdesk-verify-'));
  try {
    const file = join(dir, u.p7s ? 'document' : 'document.pdf');
    writeFileSync(file, u.file, { mode: 0o600 });
    const p7s = u.p7s ? write(dir, 'document.p7s', u.p7s) : undefined;
    const tsr = u.tsr ? write(dir, 'document.tsr', u.tsr) : undefined;
    const trust = { trust: ctx.sealing?.trust ?? [], trustDev: ctx.sealing?.trustDev ?? [] };
    // The EU trusted lists, when the server has a cache (SEALDESK_TL_HOME): the seed's qc.isEidasQualified from them.
    const tl = ctx.sealing?.tlHome ? await loadSnapshot(ctx.sealing.tlHome) : null;
    const opts = p7s ? { p7s, tsr, ...trust, tl } : { tsr, ...trust, tl };
    const [item] = await verifyAny({ db: emptyLedger(), ledgerPath: ':memory:', now: ctx.now }, [file], opts, {
      threads: 1,
    });
    return view(item!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes, { mode: 0o600 });
  return path;
}

function view(item: VerifyAnyItem): object {
  if ('error' in item) {
    const e = item.error;
    if (e instanceof CoreError && e.code === 'RESOURCE_LIMIT') throw new HttpError(413, e.message);
    throw new HttpError(400, `malformed .p7s or PDF: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (item.kind === 'pdf') return { format: 'pades', pades: padesView(item.report) };
  if (item.kind === 'p7s') return { format: 'cades', cades: cadesView(item.report) };
  throw new HttpError(400, 'malformed .p7s or PDF');
}

/** The seed's `qc`: what the EU trusted lists say when the server has them, else the certificate's own QC claim. */
const qc = (q: { qcCompliance: boolean } | null | undefined, tl?: Qualification | null) => ({
  isEidasQualified: tl ? tl.level !== 'not-qualified' : q?.qcCompliance === true,
  ...(tl ? { qualification: tl } : {}),
});

function padesView(r: PdfReport) {
  const sig = [...r.signatures].reverse().find((s) => s.kind === 'signature');
  if (!sig) return { signaturePresent: false, hashMatch: false, certificate: null, timestamp: null };
  const ts = sig.timestamp;
  return {
    signaturePresent: true,
    hashMatch: sig.intact,
    certificate: sig.signer
      ? { subject: sig.signer.subject, trust: sig.signer.trust, qc: qc(sig.signer.qc, sig.qualification) }
      : null,
    timestamp: ts?.genTime
      ? { genTime: ts.genTime, tsaName: ts.tsaName ?? '', qc: qc(ts.tsa?.qc, ts.qualification) }
      : null,
  };
}

function cadesView(r: CadesReport) {
  if (!r.signaturePresent) throw new HttpError(400, `malformed .p7s${r.error ? `: ${r.error}` : ''}`);
  if (!r.hashMatch) throw new HttpError(400, 'file hash does not match seal');
  return {
    signaturePresent: r.signaturePresent,
    hashMatch: r.hashMatch,
    fileHashHex: r.fileHashHex,
    certificate: r.certificate ? { subject: r.certificate.subject, trust: r.certificate.trust } : null,
    timestamp: r.timestamp ? { genTime: r.timestamp.genTime, tsaName: r.timestamp.tsaName ?? '' } : null,
    tsrSource: r.tsrSource,
    tsrMatchError: r.tsrMatchError,
    error: r.error,
  };
}
