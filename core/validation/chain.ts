// RFC 5280 §6 certification path building and validation to the user's own trust anchors (never the OS or web-PKI roots).
// The path is built and each step checked here, not by pkijs' CertificateChainValidationEngine: that engine recurses
// over every issuer candidate with no visited set, so two cross-signed CAs in a CMS made it loop for ever, and it checks
// signatures with WebCrypto (fewer schemes than core/cms/signature-value.ts). Here: candidates by issuer name (and the
// AKI/SKI key identifiers when both are present), a visited set by certificate hash and by key, at most MAX_DEPTH
// certificates, MAX_CANDIDATES per step and MAX_WORK steps in all; each step checks the signature (node:crypto), the
// validity at `at`, basicConstraints cA and pathLenConstraint for issuers, keyUsage keyCertSign when present, and
// refuses critical extensions it does not know. Name constraints and policy processing (§6.1.3 (b)-(d), §6.1.4) are
// not written twice: a path whose certificates carry them is handed, alone, to pkijs' engine for that part (with one
// key per path its issuer search is linear).
import * as pkijs from 'pkijs';
import { exactBuffer } from '../asn1/bytes.js';
import { nameToString, sameName } from '../asn1/names.js';
import { nodeCryptoEngine, type CryptoEngine } from '../asn1/engine.js';
import { TlvError } from '../asn1/tlv.js';
import { signatureValueValid } from '../cms/signature-value.js';
import { verifyParams } from '../cms/signature-algorithms.js';
import { pathCertificate, type PathCertificate } from './path-certificate.js';

import type { ChainResult, TrustStatus } from '../model/facts.js';

export type { ChainResult, TrustStatus };

export type ChainOptions = {
  readonly anchors: readonly Uint8Array[];
  /** Other certificates that may serve as intermediates (e.g. the token's own). */
  readonly intermediates?: readonly Uint8Array[];
  /** The time the chain must be valid at (a timestamp's genTime). */
  readonly at: Date;
  /** Used only for the name-constraint and policy pass pkijs makes over a path that needs one. */
  readonly engine?: CryptoEngine;
};

/** Certificates in a path, leaf and anchor included. */
export const MAX_DEPTH = 10;
/** Issuer candidates tried for one certificate. */
export const MAX_CANDIDATES = 8;
/** Candidate steps examined in all (each at most one signature check) before the search gives up. */
export const MAX_WORK = 256;
/** Certificates read from `intermediates` (a CMS can carry any number). */
export const MAX_INTERMEDIATES = 512;

/** Extensions whose meaning this module (or the pkijs pass) takes into account, or that constrain nothing here. */
const UNDERSTOOD = new Set([
  '2.5.29.19',
  '2.5.29.15',
  '2.5.29.37',
  '2.5.29.14',
  '2.5.29.35',
  '2.5.29.17',
  '2.5.29.18',
  '2.5.29.32',
  '2.5.29.31',
  '2.5.29.46',
  '2.5.29.9',
  '2.5.29.16',
  '1.3.6.1.5.5.7.1.1',
  '1.3.6.1.5.5.7.1.11',
  '1.3.6.1.5.5.7.1.3',
  '1.3.6.1.5.5.7.48.1.5',
  ...['2.5.29.30', '2.5.29.36', '2.5.29.33', '2.5.29.54'],
]);
/** nameConstraints, policyConstraints, policyMappings, inhibitAnyPolicy: evaluated by the pkijs pass. */
const NEEDS_PKIJS = ['2.5.29.30', '2.5.29.36', '2.5.29.33', '2.5.29.54'];

type Node = PathCertificate & { readonly anchor: boolean };

/** One comparable key per encoded Name (sameName's rule: the same RFC 4514 text), computed once per certificate. */
function nameKey(der: Uint8Array): string {
  try {
    return nameToString(der);
  } catch {
    return `der:${Buffer.from(der).toString('hex')}`;
  }
}

export async function validateChain(leafDer: Uint8Array, opts: ChainOptions): Promise<ChainResult> {
  if (opts.anchors.length === 0) return { status: 'not_checked', path: [], message: 'no trust anchor given' };
  const at = opts.at;
  const untrusted = (why: string): ChainResult => ({
    status: 'untrusted',
    path: [],
    message: `the certificate does not chain to a given trust anchor at ${at.toISOString()}: ${why}`,
  });
  let leaf: PathCertificate;
  try {
    leaf = pathCertificate(leafDer);
  } catch (err) {
    if (err instanceof TlvError) return untrusted(`the certificate cannot be read (${err.message})`);
    throw err;
  }
  const pool = readPool(opts.anchors, true).concat(
    readPool((opts.intermediates ?? []).slice(0, MAX_INTERMEDIATES), false),
  );
  const byHash = new Map<string, Node>();
  // an anchor wins over the same certificate given as an intermediate
  for (const n of pool) if (!byHash.has(n.hash) || n.anchor) byHash.set(n.hash, n);
  const search = new PathSearch([...byHash.values()], at);
  const leafAnchor = byHash.get(leaf.hash);
  // A certificate that is itself an anchor: as pkijs did, it must then be a CA certificate valid at `at`.
  const found = leafAnchor?.anchor ? search.anchoredLeaf(leafAnchor) : await search.from(leaf);
  if (!found) return untrusted(search.why());
  if (
    found.some(
      (c) => c.critical.some((o) => NEEDS_PKIJS.includes(o)) || c.extensions.some((o) => NEEDS_PKIJS.includes(o)),
    )
  ) {
    const problem = await pkijsPass(found, at, opts.engine);
    if (problem) return untrusted(problem);
  }
  const path = found.map((c) => subjectText(c));
  return { status: 'chained', path, message: `chains to ${path.at(-1) ?? 'a trust anchor'}` };
}

function readPool(ders: readonly Uint8Array[], anchor: boolean): Node[] {
  const out: Node[] = [];
  for (const der of ders) {
    try {
      out.push({ ...pathCertificate(der), anchor });
    } catch (err) {
      if (!(err instanceof TlvError)) throw err; // an unreadable candidate is no candidate
    }
  }
  return out;
}

const subjectText = (c: PathCertificate): string => {
  try {
    return nameToString(c.subject);
  } catch {
    return '(an unreadable name)';
  }
};

class PathSearch {
  private work = 0;
  private readonly reasons = new Map<string, number>();
  private readonly bySubject = new Map<string, Node[]>();

  constructor(
    pool: readonly Node[],
    private readonly at: Date,
  ) {
    for (const n of pool) {
      const key = nameKey(n.subject);
      this.bySubject.set(key, [...(this.bySubject.get(key) ?? []), n]);
    }
  }

  /** Why no path was found: the distinct reasons, the most frequent first. */
  why(): string {
    if (this.reasons.size === 0) return 'no path was found';
    return [...this.reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([r]) => r)
      .join('; ');
  }

  private note(reason: string): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  anchoredLeaf(anchor: Node): PathCertificate[] | null {
    const problem = this.validityProblem(anchor) ?? this.issuerProblem(anchor, 0);
    if (problem) {
      this.note(problem);
      return null;
    }
    return [anchor];
  }

  /** Depth-first from the leaf: the first path to an anchor whose every step holds. */
  async from(leaf: PathCertificate): Promise<PathCertificate[] | null> {
    const problem = this.validityProblem(leaf) ?? this.criticalProblem(leaf);
    if (problem) {
      this.note(problem);
      return null;
    }
    return this.extend([leaf], new Set([leaf.hash]), new Set([leaf.keyHash]));
  }

  private async extend(
    path: PathCertificate[],
    seen: Set<string>,
    keys: Set<string>,
  ): Promise<PathCertificate[] | null> {
    const child = path.at(-1)!;
    const named = this.bySubject.get(nameKey(child.issuer)) ?? [];
    const aki = child.authorityKeyId;
    const issuers = named.filter((c) => !(aki && c.subjectKeyId && Buffer.compare(aki, c.subjectKeyId) !== 0));
    issuers.sort((a, b) => Number(b.anchor) - Number(a.anchor)); // anchors first
    if (issuers.length === 0) {
      this.note(
        named.length === 0
          ? `no certificate given is the issuer of ${subjectText(child)} (${nameText(child.issuer)})`
          : `${named.length} certificate(s) named ${nameText(child.issuer)}, none with the key identifier the authority key identifier of ` +
              `${subjectText(child)} names`,
      );
      return null;
    }
    const fresh = issuers.filter((c) => !seen.has(c.hash) && !keys.has(c.keyHash));
    if (fresh.length === 0) {
      this.note(
        `the only issuers of ${subjectText(child)} are already in the path (a loop of cross-signed or self-issued certificates)`,
      );
    }
    for (const issuer of fresh.slice(0, MAX_CANDIDATES)) {
      if (this.work >= MAX_WORK) {
        this.note(`the search stopped after ${MAX_WORK} candidate steps`);
        return null;
      }
      this.work++;
      if (!issuer.anchor && path.length + 1 >= MAX_DEPTH) {
        this.note(`a path would be longer than ${MAX_DEPTH} certificates`);
        continue;
      }
      const problem = this.stepProblem(child, issuer, path);
      if (problem) {
        this.note(problem);
        continue;
      }
      const next = [...path, issuer];
      if (issuer.anchor) return next;
      seen.add(issuer.hash);
      keys.add(issuer.keyHash);
      const done = await this.extend(next, seen, keys);
      if (done) return done;
      seen.delete(issuer.hash);
      keys.delete(issuer.keyHash);
    }
    if (fresh.length > MAX_CANDIDATES) {
      this.note(
        `${fresh.length} candidate issuers for ${subjectText(child)}: only the first ${MAX_CANDIDATES} were tried`,
      );
    }
    return null;
  }

  /** Why `issuer` cannot certify `child` as the next step of `path` (leaf first), or null. */
  private stepProblem(child: PathCertificate, issuer: Node, path: readonly PathCertificate[]): string | null {
    const problem =
      this.validityProblem(issuer) ?? this.issuerProblem(issuer, belowCount(path)) ?? this.criticalProblem(issuer);
    if (problem) return problem;
    const params = verifyParams(child.signatureAlgorithm);
    const alg = child.signatureAlgorithm;
    if (!params)
      return `${subjectText(child)} is signed with an algorithm Sealdesk does not verify (${alg.algorithmId})`;
    const ok = signatureValueValid(
      {
        certificate: issuer.der,
        signatureAlgorithm: alg,
        digest: params.hash ?? '',
        data: child.tbs,
        signature: child.signature,
      },
      params,
    );
    return ok ? null : `the signature on ${subjectText(child)} does not verify with the key of ${subjectText(issuer)}`;
  }

  private validityProblem(c: PathCertificate): string | null {
    if (c.notBefore.getTime() <= this.at.getTime() && this.at.getTime() <= c.notAfter.getTime()) return null;
    return `${subjectText(c)} is not valid at ${this.at.toISOString()} (valid ${c.notBefore.toISOString()} to ${c.notAfter.toISOString()})`;
  }

  /** RFC 5280 §6.1.4 (k), (l)/(m), (n): an issuer is a CA, within its pathLenConstraint, allowed to sign certificates. */
  private issuerProblem(c: PathCertificate, intermediatesBelow: number): string | null {
    if (!c.basicConstraints?.cA) {
      return `${subjectText(c)} is not a CA certificate (basicConstraints cA is not true) and cannot issue certificates`;
    }
    if (c.basicConstraints.pathLen !== null && intermediatesBelow > c.basicConstraints.pathLen) {
      const allowed = c.basicConstraints.pathLen;
      const has = intermediatesBelow;
      return `${subjectText(c)} allows ${allowed} intermediate CA certificate(s) below it (pathLenConstraint), the path has ${has}`;
    }
    if (c.keyCertSign === false) return `${subjectText(c)}'s key usage does not include keyCertSign`;
    return null;
  }

  private criticalProblem(c: PathCertificate): string | null {
    const unknown = c.critical.filter((o) => !UNDERSTOOD.has(o));
    return unknown.length
      ? `${subjectText(c)} has critical extension(s) Sealdesk does not process: ${unknown.join(', ')}`
      : null;
  }
}

/** Non-self-issued intermediate CA certificates between the leaf (path[0]) and the next issuer (RFC 5280 §6.1.4 (l)). */
function belowCount(path: readonly PathCertificate[]): number {
  return path.slice(1).filter((c) => !sameName(c.subject, c.issuer)).length; // at most MAX_DEPTH names: cheap
}

const nameText = (der: Uint8Array): string => {
  try {
    return nameToString(der);
  } catch {
    return 'an unreadable name';
  }
};

/** pkijs' engine on exactly this path (leaf first, anchor last), for name constraints and certificate policies. */
async function pkijsPass(path: readonly PathCertificate[], at: Date, engine?: CryptoEngine): Promise<string | null> {
  const parse = (c: PathCertificate) => pkijs.Certificate.fromBER(exactBuffer(c.der));
  const [leaf, ...rest] = path;
  const anchor = rest.length ? rest.at(-1)! : leaf!;
  const certs = [...rest.slice(0, -1).map(parse), parse(leaf!)]; // the leaf last, as pkijs expects
  const chain = new pkijs.CertificateChainValidationEngine({ trustedCerts: [parse(anchor)], certs, checkDate: at });
  try {
    const result = await chain.verify({}, engine ?? nodeCryptoEngine());
    return result.result ? null : `name constraints or certificate policies: ${result.resultMessage}`;
  } catch (err) {
    return `name constraints or certificate policies: ${(err as { resultMessage?: string }).resultMessage ?? (err as Error).message}`;
  }
}
