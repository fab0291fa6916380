// Every real certificate the repository and the shared corpus hold, for the equivalence tests of the TLV readers
// against @peculiar/x509: the EU trusted lists' service and signing certificates, and every certificate inside the
// corpus's PDFs (each /Contents CMS), .p7s/.p7m and .tsr/.tst files and test/fixtures' .cer files. Files are read in
// place; certificates are found by walking the CMS (and OCTET STRINGs holding DER, e.g. OCSP responses) with core's
// TLV reader, so the collector does not depend on the readers under test.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenOf, readTlv, rootOf, slice, type Tlv } from '../../../core/asn1/tlv.js';

/** The shared corpus beside the repository, as test/helpers/corpus-verdicts.ts finds it (absent: only the lists). */
export const CORPUS = fileURLToPath(new URL('../../../../shared/corpus', import.meta.url));
const TRUSTED_LISTS = 'test/fixtures/real-world/trusted-lists';

function files(dir: string, test: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, test) : test(n) ? [p] : [];
  });
}

/** Certificates by source (file), de-duplicated across sources (base64 of the DER as key). */
export function collectCertificates(): Map<string, { der: Uint8Array; from: string }> {
  const out = new Map<string, { der: Uint8Array; from: string }>();
  const add = (der: Uint8Array, from: string) => {
    const key = Buffer.from(der).toString('base64');
    if (!out.has(key)) out.set(key, { der: new Uint8Array(der), from });
  };
  for (const f of files(TRUSTED_LISTS, (n) => n.endsWith('.xml'))) {
    for (const m of readFileSync(f, 'latin1').matchAll(/X509Certificate>\s*([A-Za-z0-9+/=\s]+?)\s*</g))
      add(new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'base64')), f);
  }
  for (const f of files('test/fixtures', (n) => /\.(cer|crt|der)$/.test(n))) walkFile(readFileSync(f), f, add);
  for (const f of files(CORPUS, (n) => /\.(p7s|p7m|tsr|tst)$/.test(n))) walkFile(readFileSync(f), f, add);
  for (const f of files(`${CORPUS}/pdf`, (n) => n.endsWith('.pdf'))) {
    for (const m of readFileSync(f, 'latin1').matchAll(/\/Contents\s*<([0-9A-Fa-f\s]+)>/g)) {
      const cms = new Uint8Array(Buffer.from(m[1]!.replace(/\s/g, ''), 'hex'));
      walkFile(cms.subarray(0, cmsLength(cms)), f, add);
    }
  }
  return out;
}

/** A PDF's /Contents is zero-padded after the CMS: its length from the outer header. */
function cmsLength(b: Uint8Array): number {
  try {
    return readTlv(b, 0).end;
  } catch {
    return b.length;
  }
}

function walkFile(bytes: Uint8Array, from: string, add: (der: Uint8Array, from: string) => void): void {
  const der = bytes[0] === 0x30 ? bytes : pemToDer(bytes);
  try {
    walk(der, rootOf(der), 0, (c) => add(c, from));
  } catch {
    /* not DER: nothing to collect */
  }
}

function pemToDer(bytes: Uint8Array): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1');
  const b64 = /-----BEGIN [^-]+-----([\s\S]+?)-----END/.exec(text)?.[1];
  return b64 ? new Uint8Array(Buffer.from(b64.replace(/\s/g, ''), 'base64')) : bytes;
}

function walk(b: Uint8Array, t: Tlv, depth: number, found: (der: Uint8Array) => void): void {
  if (depth > 40) return;
  if ((t.tag & 0x20) !== 0) {
    let kids: Tlv[];
    try {
      kids = childrenOf(b, t);
    } catch {
      return;
    }
    if (looksLikeCertificate(b, t, kids)) found(slice(b, t));
    for (const k of kids) walk(b, k, depth + 1, found);
  } else if (t.tag === 0x04 && t.contentEnd - t.contentStart > 2 && b[t.contentStart] === 0x30) {
    const inner = b.subarray(t.contentStart, t.contentEnd);
    try {
      walk(inner, rootOf(inner), depth + 1, found);
    } catch {
      /* an OCTET STRING that is not DER */
    }
  }
}

/** SEQUENCE { tbs SEQUENCE { [0]? INTEGER SEQUENCE SEQUENCE SEQUENCE{time time} ... }, SEQUENCE, BIT STRING }. */
function looksLikeCertificate(b: Uint8Array, t: Tlv, kids: Tlv[]): boolean {
  if (t.tag !== 0x30 || kids.length !== 3 || kids[0]!.tag !== 0x30 || kids[1]!.tag !== 0x30 || kids[2]!.tag !== 0x03)
    return false;
  try {
    const all = childrenOf(b, kids[0]!);
    const f = all[0]?.tag === 0xa0 ? all.slice(1) : all;
    if (f[0]?.tag !== 0x02 || f[3]?.tag !== 0x30) return false;
    const v = childrenOf(b, f[3]);
    return v.length === 2 && v.every((x) => x.tag === 0x17 || x.tag === 0x18);
  } catch {
    return false;
  }
}
