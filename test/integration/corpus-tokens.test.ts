// Real-world tokens from ../shared/corpus/tsr: parsed like OpenSSL parses them, verified against their content where known.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectTimeStamp } from '../../core/tsp/index.js';
import { verifyFileAgainstToken } from '../../core/stamp/index.js';
import { tsText } from '../helpers/openssl.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
const tsrDir = join(corpus, 'tsr');
const present = existsSync(join(corpus, 'MANIFEST.tsv'));
if (!present) console.warn(`SKIPPED: corpus tests need ${corpus} (the shared real-world corpus); it is absent here`);

type Row = { path: string; producer: string; expected: string; notes: string };
const manifest: Row[] = present
  ? readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((c) => c[0]!.startsWith('tsr/'))
      .map((c) => ({ path: c[0]!, producer: c[5]!, expected: c[6]!, notes: c[7]! }))
  : [];

/** The content each token was made over, as the MANIFEST's notes state it (the test checks the note says so). */
const CONTENT: Record<string, { data: string; noted: string }> = {
  'ietfcms_digicert-sha2.tsr': { data: 'hello\n', noted: "sha256('hello\\n')" },
  'ietfcms_symantec-g3-with-certs.tsr': { data: 'hello\n', noted: "sha256('hello\\n')" },
  'ietfcms_comodo-sha256-nocerts.tsr': { data: 'hello\n', noted: "sha256('hello\\n')" },
  'ietfcms_globalsign-standard-g2-nocerts.tsr': { data: 'hello\n', noted: "sha256('hello\\n')" },
  'tob_identrust_issue-104.tsr': { data: 'hello', noted: "sha512('hello')" },
  'tob_sigstage_sha384.tsr': { data: 'hello', noted: "sha384('hello')" },
  'tob_sigstage_invalid-signature.tsr': { data: 'hello', noted: 'signature bytes twiddled' },
  'digitorus_globalsign-adobecds-g2_nonce.tsr': {
    data: 'RhT49MYCgJzWssTF+LXtFZbLD4pe94q4uezLWoTLzyM=\n',
    noted: 'RhT49MYCgJzWssTF+LXtFZbLD4pe94q4uezLWoTLzyM=',
  },
};

/**
 * Tokens whose TSA signed the stored, unsorted signed attributes rather than their DER (RFC 5652 §5.4): OpenSSL (which
 * verifies the stored bytes) accepts them, as the MANIFEST records; Sealdesk, like Bouncy Castle and EU DSS, does not.
 */
const SIGNED_OVER_NON_DER = new Set(['ietfcms_digicert-sha2.tsr']);
const NON_DER_PROBLEM =
  "the TSA's signature over the token: signed over a non-DER encoding of the signed attributes, RFC 5652 §5.4 (a SET OF not sorted)";

/** OpenSSL prints built-in names for a few OIDs (never configurable away) and cuts very long ones. */
const OPENSSL_OID_NAMES: Record<string, string> = { 'ISO Member Body': '1.2' };
function sameOid(ours: string, printed: string): boolean {
  if (OPENSSL_OID_NAMES[printed]) return OPENSSL_OID_NAMES[printed] === ours;
  return ours === printed || (printed.length >= 79 && ours.startsWith(printed));
}

const work = mkdtempSync(join(tmpdir(), 'sealdesk-corpus-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!present)('corpus tokens', () => {
  it('the manifest lists every token file present', () => {
    expect(manifest.map((r) => r.path.slice(4)).sort()).toEqual(readdirSync(tsrDir).sort());
  });

  for (const row of manifest) {
    const name = row.path.slice(4);
    const path = join(tsrDir, name);
    it(`${name}: same serial, genTime, policy and imprint algorithm as OpenSSL`, async () => {
      const der = new Uint8Array(readFileSync(path));
      const ours = await inspectTimeStamp(der);
      const theirs = await tsText(path, { tokenIn: ours.kind === 'token' });
      if (ours.status && ours.status.status >= 2) {
        expect(theirs.status).toMatch(/reject/i);
        expect(ours.genTime).toBeNull();
        return;
      }
      expect(ours.serialHex).toBe(theirs.serialHex);
      expect(ours.genTime).toBe(theirs.genTime.toISOString());
      expect(sameOid(ours.policyOid!, theirs.policyOid), `${ours.policyOid} vs ${theirs.policyOid}`).toBe(true);
      expect(ours.hashAlgorithm).toBe(theirs.hashAlgorithm);
      expect(ours.imprintHex).toBe(theirs.messageImprintHex);
      expect(ours.tsaName).toBeTruthy();
    });
  }

  for (const [name, content] of Object.entries(CONTENT)) {
    it(`${name}: verified against the content its manifest row names`, async () => {
      const row = manifest.find((r) => r.path === `tsr/${name}`)!;
      expect(row.notes).toContain(content.noted);
      const data = join(work, `${name}.content`);
      writeFileSync(data, content.data);
      const result = await verifyFileAgainstToken(data, new Uint8Array(readFileSync(join(tsrDir, name))));
      expect(result.verdict.hashMatch).toBe(true);
      if (row.expected === 'invalid') {
        expect(result.verdict.valid).toBe(false);
        expect(result.report.problems.join(' ')).toMatch(/signature over the token does not verify/);
      } else if (name.includes('nocerts')) {
        expect(result.verdict.valid).toBe(false); // no certificate to check the signature with
        expect(result.report.problems[0]).toMatch(/--tsa-cert/);
      } else if (SIGNED_OVER_NON_DER.has(name)) {
        expect(result.verdict.valid).toBe(false);
        expect(result.report.problems).toEqual([NON_DER_PROBLEM]);
      } else {
        expect(result.verdict.valid, result.verdict.message).toBe(true);
      }
    });
  }

  it('a token for other content does not verify', async () => {
    const data = join(work, 'other');
    writeFileSync(data, 'hello, world');
    const result = await verifyFileAgainstToken(
      data,
      new Uint8Array(readFileSync(join(tsrDir, 'ietfcms_digicert-sha2.tsr'))),
    );
    expect(result.verdict).toMatchObject({ valid: false, hashMatch: false });
  });

  it('the injected-certificates attack: the signer is found by its sid, not the spoofed certificate', async () => {
    const r = await inspectTimeStamp(new Uint8Array(readFileSync(join(tsrDir, 'tob_test-tsa_injected-certs.tsr'))));
    expect(r.certificateCount).toBeGreaterThan(1);
    expect(r.signer?.subject).not.toMatch(/Spoofed/);
    expect(r.tsaName).not.toMatch(/Spoofed/);
  });

  it('the OpenSSL rejection response reports its status, text and failure info', async () => {
    const r = await inspectTimeStamp(new Uint8Array(readFileSync(join(tsrDir, 'digitorus_openssl_rejection.tsr'))));
    expect(r.status).toMatchObject({
      statusText: 'rejection',
      statusStrings: ['Error during serial number generation.'],
      failInfo: ['addInfoNotAvailable'],
    });
    expect(r.signatureValid).toBe(false);
  });

  it('every token marked valid passes our signature, ESS, EKU and validity checks (where it carries its certificate)', async () => {
    for (const row of manifest.filter((r) => r.expected === 'valid' && !/without certificates/i.test(r.notes))) {
      const r = await inspectTimeStamp(new Uint8Array(readFileSync(join(corpus, row.path))));
      expect(r.problems, row.path).toEqual(SIGNED_OVER_NON_DER.has(row.path.slice(4)) ? [NON_DER_PROBLEM] : []);
    }
  });

  it('the SHA-1 imprint token is read, and reported as SHA-1', async () => {
    const r = await inspectTimeStamp(
      new Uint8Array(readFileSync(join(tsrDir, 'pkijs_globalsign-standard-g1_sha1.tsr'))),
    );
    expect(r.hashAlgorithm).toBe('sha1');
  });
});
