// `import`: .tsr files made before Sealdesk (or elsewhere) join the ledger — their tokens, TSA certificates and
// expiry — so their chains can be restamped too. The document must sit beside its token and match its imprint.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fromHex, toHex } from '../asn1/bytes.js';
import { CoreError, InputError } from '../errors.js';
import { hashFile } from '../hash/hash-file.js';
import { insertStamp, stampsForFile } from '../ledger/stamps.js';
import type { Ledger } from '../ledger/open.js';
import type { StampRecord } from '../model/stamp.js';
import { inspectTimeStamp } from '../tsp/token-report.js';

export type Imported = { readonly tsrPath: string; readonly record: StampRecord; readonly already: boolean };

export async function importToken(db: Ledger, tsrPath: string, now: Date): Promise<Imported> {
  const path = resolve(tsrPath);
  const tsr = new Uint8Array(readFileSync(path));
  const report = await inspectTimeStamp(tsr);
  if (report.kind !== 'response')
    throw new InputError(
      'TOKEN_MALFORMED',
      `${path} is a bare token, not a TimeStampResp: Sealdesk keeps the TSA's response as received`,
    );
  if (report.problems.length || !report.genTime || !report.hashAlgorithm || !report.imprintHex)
    throw new InputError('TOKEN_REJECTED', `${path} is not a sound time-stamp: ${report.problems.join('; ')}`);
  const document = path.replace(/(\.\d+)?\.tsr$/i, '');
  if (document === path || !existsSync(document))
    throw new CoreError('NOT_FOUND', `${path}: the document it stamps is not beside it (expected ${document})`);
  const alg = report.hashAlgorithm;
  const { digests } = await hashFile(document, [...new Set(['sha512', alg] as const)]);
  if (toHex(digests[alg]) !== report.imprintHex)
    throw new InputError('TOKEN_REJECTED', `${path} does not stamp ${document}: the imprints differ`);
  const fileSha512 = toHex(digests.sha512);
  const tsrSha256 = createHash('sha256').update(tsr).digest('hex');
  const known = stampsForFile(db, fileSha512).find(
    (s) => s.tsr && createHash('sha256').update(s.tsr).digest('hex') === tsrSha256,
  );
  if (known) return { tsrPath: path, record: known, already: true };
  const record = insertStamp(db, {
    id: randomUUID(),
    fileSha512,
    imprintAlgorithm: alg,
    imprint: fromHex(report.imprintHex),
    label: null,
    filePath: document,
    tsrPath: path,
    requestedTsa: 'imported',
    createdAt: now.toISOString(),
    token: {
      tsaSlug: 'imported',
      tsaName: report.tsaName ?? 'unknown TSA',
      genTime: report.genTime,
      serialHex: report.serialHex ?? '',
      policyOid: report.policyOid ?? '',
      tsaCertNotAfter: report.signer?.notAfter ?? null,
      tsr,
      tsrSha256,
      qualified: false,
    },
  });
  return { tsrPath: path, record, already: false };
}
