// The seed's trust vocabulary for a signer certificate: chained | dev_ca | self_signed | untrusted.
import * as pkijs from 'pkijs';
import { exactBuffer } from '../asn1/bytes.js';
import { nodeCryptoEngine } from '../asn1/engine.js';
import { validateChain } from './chain.js';

export type Trust = 'chained' | 'dev_ca' | 'self_signed' | 'untrusted';

export type TrustOptions = {
  /** Real trust anchors (`--trust`, the trust store). Never the OS or web-PKI roots. */
  readonly anchors: readonly Uint8Array[];
  /** Test anchors (`--trust-dev`): a chain to these is reported `dev_ca`, never `chained`. */
  readonly devAnchors?: readonly Uint8Array[];
  readonly intermediates: readonly Uint8Array[];
  readonly at: Date;
};

export async function evaluateTrust(leaf: Uint8Array, o: TrustOptions): Promise<{ trust: Trust; path: readonly string[]; message: string }> {
  const real = await validateChain(leaf, { anchors: o.anchors, intermediates: o.intermediates, at: o.at });
  if (real.status === 'chained') return { trust: 'chained', path: real.path, message: real.message };
  const dev = await validateChain(leaf, { anchors: o.devAnchors ?? [], intermediates: o.intermediates, at: o.at });
  if (dev.status === 'chained') return { trust: 'dev_ca', path: dev.path, message: `${dev.message} (a test anchor)` };
  if (await selfSigned(leaf)) return { trust: 'self_signed', path: [], message: 'the certificate is self-signed: it proves only that the same key signed' };
  return { trust: 'untrusted', path: real.path, message: o.anchors.length ? real.message : 'no trust anchor was given (--trust <ca.pem>, or the trust store: `sealdesk trust add <ca.pem>`)' };
}

async function selfSigned(der: Uint8Array): Promise<boolean> {
  try {
    const cert = pkijs.Certificate.fromBER(exactBuffer(der));
    return cert.subject.isEqual(cert.issuer) && (await cert.verify(undefined, nodeCryptoEngine()));
  } catch {
    return false;
  }
}

/** Why a TSA is not trusted, as sentences (none when its certificate chains to an anchor of the trust store). */
export function tsaTrustProblems(tsa: { readonly trust: Trust; readonly message: string } | null): string[] {
  if (!tsa) return ['no TSA certificate to check against the trust anchors'];
  return tsa.trust === 'chained' ? [] : [`its TSA certificate does not chain to an anchor of the trust store: ${tsa.message}`];
}
