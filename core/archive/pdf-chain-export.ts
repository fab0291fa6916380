// `chain <sealed-pdf-operation> --export <folder>`: each link's time-stamp token and exactly the bytes it covers, plus
// manifest.json, so an auditor checks the chain of a sealed PDF with `openssl ts -verify -token_in` alone.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoreError } from '../errors.js';
import { writeNewFile } from '../fs/atomic.js';
import { chainEvidence, writeCoveredBytes } from '../pades/chain-evidence.js';
import type { PdfChain } from './pdf-chain.js';

export type ExportedLink = {
  readonly n: number;
  readonly token: string;
  readonly data: string;
  readonly covers: string;
};

export async function exportPdfChain(chain: PdfChain, dir: string): Promise<ExportedLink[]> {
  const evidence = chainEvidence(chain.path);
  mkdirSync(dir, { recursive: true });
  const out: ExportedLink[] = [];
  for (const [i, link] of chain.links.entries()) {
    const e = evidence.get(link.fieldName);
    if (!e || e.kind !== link.kind)
      throw new CoreError(
        'NOT_FOUND',
        `${chain.path}: the time-stamp of field "${link.fieldName}" cannot be read back for export`,
      );
    const n = i + 1;
    const [token, data] = [`link-${n}.tst`, `link-${n}.data`];
    await writeNewFile(join(dir, token), e.token);
    if (e.signatureValue) await writeNewFile(join(dir, data), e.signatureValue);
    else await writeCoveredBytes(chain.path, e.byteRange!, join(dir, data));
    out.push({
      n,
      token,
      data,
      covers: e.signatureValue
        ? `the signature value of field "${link.fieldName}"`
        : `the PDF's bytes ${JSON.stringify(e.byteRange)} (all but this time-stamp's /Contents)`,
    });
  }
  const manifest = {
    ...chain,
    exported: out,
    check: out.map((l) => `openssl ts -verify -token_in -in ${l.token} -data ${l.data} -CAfile <the TSA's CA>.pem`),
  };
  await writeNewFile(join(dir, 'manifest.json'), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  return out;
}
