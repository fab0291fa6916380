// Settings view: the TSAs (add, enable, test, failures) and the trust anchors.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { certificateFacts, parsePemCertificates, type CertificateFacts } from '../../core/asn1/certificate.js';
import { AllTsasFailedError, CoreError, InputError, errorMessage } from '../../core/errors.js';
import { hashBytes } from '../../core/hash/hash-file.js';
import {
  addTrustAnchor,
  addTsa,
  listTrustAnchors,
  removeTrustAnchor,
  listTsas,
  moveTsa,
  removeTsa,
  recentFailures,
  setTsaEnabled,
  type Ledger,
} from '../../core/ledger/index.js';
import { planAttempts, requestTimestamp } from '../../core/tsp/dispatcher.js';
import type { RequestOf, TrustItem, TsaItem, TsaTest } from '../../preload/api.js';
import type { ServiceContext } from './context.js';

const tsaItems = (db: Ledger): TsaItem[] =>
  listTsas(db).map((t) => ({ slug: t.slug, name: t.name, url: t.url, enabled: t.enabled, qualified: t.qualified }));

export function tsaServices(c: ServiceContext) {
  return {
    list: () => c.withDb(tsaItems),
    add: (r: RequestOf<'tsa:add'>) =>
      c.withDb((db) => {
        addTsa(db, { slug: r.slug, url: r.url, name: r.name, preferredHash: r.hash, qualified: r.qualified });
        return tsaItems(db);
      }),
    /** As `sealdesk tsa remove <slug>`: the others move up one place. */
    remove: (r: { slug: string }) =>
      c.withDb((db) => {
        removeTsa(db, r.slug);
        return tsaItems(db);
      }),
    /** Round-robin order: one place earlier (or later). */
    move: (r: { slug: string; by: -1 | 1 }) =>
      c.withDb((db) => {
        const all = listTsas(db);
        const at = all.findIndex((t) => t.slug === r.slug) + 1;
        const to = Math.min(all.length, Math.max(1, at + r.by));
        if (at > 0 && to !== at) moveTsa(db, r.slug, to);
        return tsaItems(db);
      }),
    failures: () =>
      c.withDb((db) =>
        recentFailures(db, 20).map((f) => ({ at: f.at, tsa: f.tsa, errorClass: f.errorClass, message: f.message })),
      ),
    /** A real request for a random digest to this TSA alone, checked like any stamp; nothing is recorded. */
    test: (r: { slug: string }) =>
      c.withDb(async (db): Promise<TsaTest> => {
        const plan = planAttempts(listTsas(db), r.slug, 0);
        const started = Date.now();
        try {
          const res = await requestTimestamp(plan, hashBytes(plan.hashAlgorithm, randomBytes(32)), {
            transport: c.stampContext(db).transport,
            timeoutMs: c.opts.tsaTimeoutMs,
          });
          return {
            ok: true,
            latencyMs: Date.now() - started,
            message: `answered with a valid token (${res.decoded.token?.tstInfo.genTime.toISOString() ?? ''})`,
          };
        } catch (err) {
          const f = err instanceof AllTsasFailedError ? err.failures[0] : undefined;
          return {
            ok: false,
            latencyMs: Date.now() - started,
            message: f ? `${f.errorClass}: ${f.message}` : errorMessage(err),
          };
        }
      }),
    setEnabled: (r: RequestOf<'tsa:setEnabled'>) =>
      c.withDb((db) => {
        setTsaEnabled(db, r.slug, r.enabled, r.url);
        return tsaItems(db);
      }),
  };
}

const trustItems = (db: Ledger): TrustItem[] =>
  listTrustAnchors(db).map((a) => ({ id: a.id, subject: a.subject, notAfter: a.notAfter }));

/** The most a certificate file may hold (a CA bundle is far smaller). */
const MAX_CERT_FILE = 1024 * 1024;

/** The certificates in a PEM (one or more) or DER file, each with its SHA-256 (hex) and facts. */
export async function certificatesInFile(
  path: string,
): Promise<{ der: Uint8Array; sha256: string; facts: CertificateFacts }[]> {
  const { size } = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InputError('INPUT_UNREADABLE', `cannot read ${basename(path)}: ${err.code ?? err.message}`);
  });
  if (size > MAX_CERT_FILE)
    throw new InputError('CERT_MALFORMED', `${basename(path)} is ${size} bytes: not a certificate file`);
  const bytes = await readFile(path);
  const text = bytes.toString('utf8');
  const ders = text.includes('-----BEGIN CERTIFICATE-----') ? parsePemCertificates(text) : [new Uint8Array(bytes)];
  if (ders.length === 0) throw new InputError('CERT_MALFORMED', `${basename(path)} holds no certificate`);
  return ders.map((der) => ({
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    facts: certificateFacts(der),
  }));
}

export function trustServices(c: ServiceContext) {
  return {
    list: () => c.withDb(trustItems),
    /** `sha256`: what the user confirmed in main's dialog; a file that changed since adds nothing. */
    add: (r: { path: string; sha256?: readonly string[] }) =>
      c.withDb(async (db) => {
        const certs = await certificatesInFile(r.path);
        if (r.sha256 && certs.map((x) => x.sha256).join() !== r.sha256.join()) {
          throw new CoreError('CANCELLED', `${basename(r.path)} changed after it was confirmed: nothing was added`);
        }
        for (const { der } of certs) {
          const f = certificateFacts(der);
          addTrustAnchor(db, {
            subject: f.subject,
            der,
            notAfter: f.notAfter.toISOString(),
            at: new Date().toISOString(),
          });
        }
        return trustItems(db);
      }),
    /** As `sealdesk trust remove <id>`, with an id trust:list gave the window. */
    remove: (r: { id: string }) =>
      c.withDb((db) => {
        if (!removeTrustAnchor(db, r.id)) throw new CoreError('NOT_FOUND', `no trust anchor ${r.id}`);
        return trustItems(db);
      }),
  };
}
