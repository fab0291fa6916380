// Opt-in: real CMS signatures from public test suites that exercise the CMS rules (RFC 5652 §5.4 DER signed attributes,
// RFC 8419 Ed448/SHAKE256, RSA-PSS), the `cms-rules` rows of test/fixtures/real-world/MANIFEST.tsv (repository, path,
// commit, SHA-256, what the source's own test asserts), read where SEALDESK_REAL_WORLD=<dir> holds them as
// <dir>/<repo>/<path>. They are never committed here. Each runs through `sealdesk verify --json`.
//   expected: `;`-separated — `intact` (every signature intact), `HASH_FAILURE` (every signature TOTAL-FAILED so, for a
//   signature over non-DER signed attributes), `FORMAT_FAILURE=damaged` (the PDF is refused before any signature),
//   `warning=non-DER`, `digest=<name>`, `signature=<name>`, `constraint=<text in a reason>`.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const dir = process.env.SEALDESK_REAL_WORLD;
const manifest = fileURLToPath(new URL('../fixtures/real-world/MANIFEST.tsv', import.meta.url));
const [header, ...lines] = readFileSync(manifest, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const cols = header!.split('\t');
const rows = lines
  .map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i]!, v])) as Record<string, string>)
  .filter((r) => r.kind === 'cms-rules');
if (!dir)
  console.warn(
    'SEALDESK_REAL_WORLD is not set: real-world CMS tests skipped (test/fixtures/real-world/MANIFEST.tsv, cms-rules)',
  );

const NON_DER = 'signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)';

type Sig = {
  indication: string;
  subIndication: string | null;
  intact: boolean;
  reasons: string[];
  warnings: string[];
  digest: string | null;
  signature: string | null;
};
type PdfSig = Sig & { kind: string; algorithms: Pick<Sig, 'digest' | 'signature'> };

describe.skipIf(!dir)('real-world CMS signatures (SEALDESK_REAL_WORLD)', () => {
  const home = tempDir('real-world-cms');
  afterAll(() => home.remove());
  const sealdesk = cliRunner({ SEALDESK_HOME: home.path });

  it.each(rows)('$repo $path: $expected', async (row) => {
    const file = join(dir!, row.repo!, row.path!);
    expect(existsSync(file), `${file} is missing: fetch ${row.repo} at ${row.commit}`).toBe(true);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex'), 'not the file the manifest names').toBe(
      row.sha256,
    );
    const out = (await sealdesk('verify', file, '--json')).json();
    // A .p7m gives one CAdES report; a PDF one report per signature.
    const sigs: Sig[] = out.cades
      ? [
          {
            ...out.cades,
            reasons: out.cades.problems,
            warnings: out.cades.warnings ?? [],
            digest: null,
            signature: null,
          },
        ]
      : (out.signatures ?? [])
          .filter((s: PdfSig) => s.kind === 'signature')
          .map((s: PdfSig) => ({ ...s, ...s.algorithms }));
    const overall = out.cades?.indication ?? out.indication;
    const each = sigs
      .map((s) => `${s.indication}${s.subIndication ? `/${s.subIndication}` : ''}${s.intact ? ' intact' : ''}`)
      .join(', ');
    const verdict = `${overall}/${out.cades?.subIndication ?? out.subIndication}`;
    console.log(`${row.path!.split('/').pop()}: Sealdesk ${verdict} [${each}]; source: ${row.source_verdict}`);
    for (const want of row.expected!.split(';')) {
      const [what, value] = want.split('=') as [string, string | undefined];
      if (what === 'intact') {
        expect(sigs.length).toBeGreaterThan(0);
        for (const s of sigs) expect(s, s.reasons.join('; ')).toMatchObject({ intact: true });
        expect(overall).not.toBe('TOTAL-FAILED');
      } else if (what === 'HASH_FAILURE') {
        expect(sigs.length).toBeGreaterThan(0);
        for (const s of sigs)
          expect(s).toMatchObject({
            intact: false,
            indication: 'TOTAL-FAILED',
            subIndication: 'HASH_FAILURE',
            reasons: expect.arrayContaining([NON_DER]),
          });
      } else if (what === 'FORMAT_FAILURE') {
        expect({ indication: out.indication, subIndication: out.subIndication, signatures: sigs.length }).toEqual({
          indication: 'TOTAL-FAILED',
          subIndication: 'FORMAT_FAILURE',
          signatures: 0,
        });
        expect(out.problems.join(' ')).toMatch(new RegExp(value!));
      } else if (what === 'warning') {
        const nonDer = /non-DER encoding \(a SET OF not sorted\); the signature verifies over their DER encoding/;
        for (const s of sigs) expect(s.warnings).toEqual([expect.stringMatching(nonDer)]);
      } else if (what === 'digest') {
        for (const s of sigs) expect(s.digest).toBe(value);
      } else if (what === 'signature') {
        for (const s of sigs) expect(s.signature).toBe(value);
      } else if (what === 'constraint') {
        for (const s of sigs) expect(s.reasons.join('\n')).toMatch(new RegExp(value!));
      } else throw new Error(`unknown expectation ${want}`);
    }
  });
});
