// Seeds for the fuzz targets, made at fuzz start into a git-ignored folder: the shared real-world corpus (linked in
// place, never copied into the repo), files the test helpers generate (a PDF sealed once and twice by the real CLI,
// qpdf's xref-stream variants, a detached .p7s, a forged TimeStampResp, a rejection) and the CMS and time-stamp
// tokens found inside the corpus PDFs.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { readTlv } from '../core/asn1/tlv.js';
import { PdfDocument, PdfString, signatureFields, FileSource } from '../core/pdf/index.js';
import { buildTimeStampRequest } from '../core/tsp/request.js';
import { cliRunner } from '../test/helpers/cli.js';
import { brokenXrefPdf, minimalPdf, qpdfVariant } from '../test/helpers/pdfs.js';
import { createTestPki } from '../test/helpers/pki.js';
import { forgeResponse, rejectionResponse } from '../test/helpers/tsa-forge.js';
import type { TargetName } from './targets.js';

/** Larger inputs make every execution slow and mostly exercise the same code; libFuzzer's -max_len matches. */
export const MAX_SEED_BYTES = 64 * 1024;

const CORPUS = process.env.SEALDESK_CORPUS ?? join(process.cwd(), '..', 'shared', 'corpus');

function corpusFiles(sub: string, accept: (name: string) => boolean): string[] {
  const dir = join(CORPUS, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile() && accept(basename(p)) && statSync(p).size <= MAX_SEED_BYTES)
    .sort();
}

/** Writes every target's seeds into `<dir>/<target>/` (corpus files as symlinks); returns the count per target. */
export async function makeSeeds(dir: string): Promise<Record<TargetName, number>> {
  rmSync(dir, { recursive: true, force: true });
  const out: Record<TargetName, Map<string, string | Uint8Array>> = {
    pdf: new Map(),
    cms: new Map(),
    tsp: new Map(),
    tlv: new Map(),
  };
  const add = (t: TargetName, name: string, v: string | Uint8Array) => out[t].set(name, v);
  const work = join(dir, '.gen');
  mkdirSync(work, { recursive: true });

  // PDFs: the real-world ones, then generated ones with 1-3 revisions (changesAfter needs two).
  const pdfs = corpusFiles('pdf', (n) => n.endsWith('.pdf'));
  for (const p of pdfs) add('pdf', `corpus-${basename(p)}`, p);
  const plain = join(work, 'plain.pdf');
  writeFileSync(plain, minimalPdf({ pages: 2, text: 'fuzz seed' }));
  writeFileSync(join(work, 'broken-xref.pdf'), brokenXrefPdf());
  const sealdesk = cliRunner({ SEALDESK_HOME: join(work, 'home') });
  const seal = async (input: string, output: string) => {
    const r = await sealdesk('seal', input, '--tsa', 'none', '--out', output, '--json');
    if (r.code !== 0) throw new Error(`seal ${input}: ${r.stderr || r.stdout}`);
    return output;
  };
  const once = await seal(plain, join(work, 'sealed-once.pdf'));
  const twice = await seal(once, join(work, 'sealed-twice.pdf'));
  const xrefStream = await qpdfVariant(plain, 'xref-stream', join(work, 'xref-stream.pdf'));
  const sealedXrefStream = await seal(xrefStream, join(work, 'sealed-xref-stream.pdf'));
  for (const p of [plain, join(work, 'broken-xref.pdf'), once, twice, xrefStream, sealedXrefStream])
    add('pdf', `gen-${basename(p)}`, p);

  // CMS: corpus .p7s/.p7m, a generated .p7s, and every /Contents of the corpus and generated PDFs.
  for (const p of corpusFiles('cms', (n) => /\.p7[sm]$/.test(n))) add('cms', `corpus-${basename(p)}`, p);
  const text = join(work, 'text.txt');
  writeFileSync(text, 'fuzz seed text\n');
  add('cms', 'gen-text.p7s', await seal(text, join(work, 'text.txt.p7s')));
  for (const p of [...pdfs, once, twice, sealedXrefStream]) {
    for (const [i, der] of signatureContents(p).entries()) {
      add(der.length > 0 && isTimestampToken(der) ? 'tsp' : 'cms', `pdf-${basename(p)}-${i}.der`, der);
    }
  }

  // Time-stamps: corpus .tsr/.tst, a forged granted reply to a real request, a rejection.
  for (const p of corpusFiles('tsr', (n) => /\.ts[rt]$/.test(n))) add('tsp', `corpus-${basename(p)}`, p);
  const pki = await createTestPki(join(work, 'pki'));
  const imprint = createHash('sha256').update('fuzz').digest();
  const request = buildTimeStampRequest({
    hashAlgorithm: 'sha256',
    imprint,
    nonce: Buffer.from('0123456789abcdef', 'hex'),
  });
  add('tsp', 'gen-granted.tsr', await forgeResponse({ request: request.der, signer: pki.tsa, chain: [pki.root] }));
  add('tsp', 'gen-rejection.tsr', rejectionResponse());

  // TLV: everything DER above, plus certificates.
  for (const t of ['cms', 'tsp'] as const) for (const [n, v] of out[t]) add('tlv', `${t}-${n}`, v);
  add('tlv', 'root-cert.der', pki.root.der);

  const counts = {} as Record<TargetName, number>;
  for (const [t, files] of Object.entries(out) as [TargetName, Map<string, string | Uint8Array>][]) {
    const d = join(dir, t);
    mkdirSync(d, { recursive: true });
    for (const [name, v] of files) {
      const to = join(d, name.replace(/[^\w.-]/g, '_'));
      if (typeof v === 'string' && v.startsWith(CORPUS)) symlinkSync(v, to);
      else writeFileSync(to, typeof v === 'string' ? readFileSync(v) : v);
    }
    counts[t] = files.size;
  }
  rmSync(work, { recursive: true, force: true });
  return counts;
}

/** The exact DER in each signature's /Contents (the zero padding after it cut off). */
function signatureContents(path: string): Uint8Array[] {
  const src = FileSource.open(path);
  try {
    const doc = PdfDocument.open(src, { tolerant: true });
    const out: Uint8Array[] = [];
    for (const f of signatureFields(doc)) {
      const c = f.value.get('Contents');
      if (!(c instanceof PdfString) || c.bytes.length < 2) continue;
      try {
        out.push(c.bytes.slice(0, readTlv(c.bytes, 0).end));
      } catch {
        out.push(c.bytes.slice());
      }
    }
    return out;
  } catch {
    return [];
  } finally {
    src.close();
  }
}

/** id-ct-TSTInfo (1.2.840.113549.1.9.16.1.4) as DER content octets: a time-stamp token's eContentType. */
const TST_INFO_OID = Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x10, 0x01, 0x04]);

function isTimestampToken(der: Uint8Array): boolean {
  return Buffer.from(der.subarray(0, 64)).includes(TST_INFO_OID);
}
