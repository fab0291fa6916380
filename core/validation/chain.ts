// RFC 5280 §6 path validation to the user's own trust anchors (never the OS or web-PKI roots), via pkijs.
import * as pkijs from 'pkijs';
import { exactBuffer, bytesEqual } from '../asn1/bytes.js';
import { certificateFacts } from '../asn1/certificate.js';
import { nodeCryptoEngine, type CryptoEngine } from '../asn1/engine.js';

export type TrustStatus = 'chained' | 'untrusted' | 'not_checked';

export type ChainResult = {
  readonly status: TrustStatus;
  /** Subjects from the leaf to the anchor, when a path was found. */
  readonly path: readonly string[];
  readonly message: string;
};

export type ChainOptions = {
  readonly anchors: readonly Uint8Array[];
  /** Other certificates that may serve as intermediates (e.g. the token's own). */
  readonly intermediates?: readonly Uint8Array[];
  /** The time the chain must be valid at (a timestamp's genTime). */
  readonly at: Date;
  readonly engine?: CryptoEngine;
};

export async function validateChain(leaf: Uint8Array, opts: ChainOptions): Promise<ChainResult> {
  if (opts.anchors.length === 0) return { status: 'not_checked', path: [], message: 'no trust anchor given' };
  const parse = (der: Uint8Array) => pkijs.Certificate.fromBER(exactBuffer(der));
  const others = (opts.intermediates ?? []).filter((c) => !bytesEqual(c, leaf) && !opts.anchors.some((a) => bytesEqual(a, c)));
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: opts.anchors.map(parse),
    certs: [...others.map(parse), parse(leaf)],
    checkDate: opts.at,
  });
  try {
    const result = await engine.verify({}, opts.engine ?? nodeCryptoEngine());
    const path = (result.certificatePath ?? []).map((c) => certificateFacts(new Uint8Array(c.toSchema().toBER(false))).subject);
    if (result.result) return { status: 'chained', path, message: `chains to ${path.at(-1) ?? 'a trust anchor'}` };
    return { status: 'untrusted', path, message: `the certificate does not chain to a given trust anchor at ${opts.at.toISOString()}: ${result.resultMessage}` };
  } catch (err) {
    const message = (err as { resultMessage?: string }).resultMessage ?? (err as Error).message;
    return { status: 'untrusted', path: [], message: `the certificate does not chain to a given trust anchor at ${opts.at.toISOString()}: ${message}` };
  }
}
