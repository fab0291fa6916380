// Real-world detached CMS/CAdES from ../shared/corpus/cms: the verdicts their MANIFEST rows give.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashFile } from '../../core/hash/index.js';
import { verifyCades } from '../../core/validation/index.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const present = existsSync(join(corpus, 'MANIFEST.tsv'));
if (!present) console.warn(`SKIPPED: corpus tests need ${corpus} (the shared real-world corpus); it is absent here`);

type Row = { path: string; expected: string; notes: string };
const rows: Row[] = present
  ? readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((c) => c[0]!.startsWith('cms/'))
      .map((c) => ({ path: c[0]!, expected: c[6]!, notes: c[7]! }))
  : [];
const detached = rows.filter((r) => r.path.endsWith('.p7s'));
const attached = rows.filter((r) => r.path.endsWith('.p7m'));

describe.skipIf(!present)('corpus CMS', () => {
  for (const row of attached) {
    it(`${row.path} (${row.expected}): enveloping signature checked over its own content`, async () => {
      const report = await verifyCades(new Uint8Array(readFileSync(join(corpus, row.path))), {
        now: new Date('2026-01-01T00:00:00Z'),
      });
      expect(report.valid).toBe(false); // no anchor given
      if (row.path === 'cms/ietfcms_smimesign-attached-with-timestamp.p7m') {
        // smimesign signed its stored, unsorted signed attributes, and so did the DigiCert TSA for the token inside
        // (corpus-tokens.test.ts): OpenSSL verifies those bytes and accepts both; by RFC 5652 §5.4 the value must cover
        // their DER, so Sealdesk (as Bouncy Castle and EU DSS) reports HASH_FAILURE and a time-stamp that proves nothing.
        expect(report).toMatchObject({
          intact: false,
          hashMatch: true,
          indication: 'TOTAL-FAILED',
          subIndication: 'HASH_FAILURE',
        });
        expect(report.tsrSource).toBeNull();
        expect(report.problems[0]).toBe(
          'signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)',
        );
        const nonDer = /signature time-stamp is not valid: .*signed over a non-DER encoding/;
        expect(report.problems.filter((p) => /time-stamp/.test(p))).toEqual([expect.stringMatching(nonDer)]);
      } else if (row.expected === 'valid') {
        expect(report.intact).toBe(true);
        expect(report.tsrSource).toBe('embedded');
        expect(report.problems.filter((p) => /time-stamp/.test(p))).toEqual([]);
      } else {
        expect(report.intact).toBe(true); // the content itself is untouched
        // DSS1220 "brokenT": the signature time-stamp's imprint was modified
        expect(report.tsrSource).toBeNull();
        expect(report.problems.join(' ')).toMatch(/time-stamp is (for other data|not valid)/);
      }
    });
  }

  for (const row of detached) {
    it(`${row.path} (${row.expected}): intact over its content; untrusted without an anchor`, async () => {
      const content = rows.find((r) => r.path.startsWith(`${row.path}.content`));
      expect(content, 'its content file is listed').toBeDefined();
      const report = await verifyCades(new Uint8Array(readFileSync(join(corpus, row.path))), {
        digestContent: async (alg) => (await hashFile(join(corpus, content!.path), [alg])).digests[alg],
        now: new Date('2026-01-01T00:00:00Z'),
      });
      expect(report.intact).toBe(row.expected === 'valid');
      expect(report.valid).toBe(false); // no trust anchor given: never valid
      expect(['untrusted', 'self_signed']).toContain(report.certificate?.trust);
      // Rows whose notes name a (signature) time-stamp carry one, and it verifies over the signature value.
      expect(report.tsrSource).toBe(/timestamp|\btst\b/i.test(row.notes) ? 'embedded' : null);
    });
  }
});
