// The seed's trust vocabulary for a signer certificate: chained | dev_ca | self_signed | untrusted.
import { sameName } from '../asn1/names.js';
import { TlvError } from '../asn1/tlv.js';
import { signatureValueValid } from '../cms/signature-value.js';
import { verifyParams } from '../cms/signature-algorithms.js';
import { validateChain } from './chain.js';
import { pathCertificate } from './path-certificate.js';
import type { Trust } from '../model/facts.js';
import type { TrustSource } from '../model/qualification.js';

export type { Trust };

export type TrustOptions = {
  /** Real trust anchors (`--trust`, the trust store). Never the OS or web-PKI roots. */
  readonly anchors: readonly Uint8Array[];
  /** Test anchors (`--trust-dev`): a chain to these is reported `dev_ca`, never `chained`. */
  readonly devAnchors?: readonly Uint8Array[];
  readonly intermediates: readonly Uint8Array[];
  readonly at: Date;
  /** Another source of trust tried after the explicit anchors (the EU trusted lists with `--trust-eu`:
   * core/tl/trust.ts); a path it finds is `chained`, reported with its source. */
  readonly extraTrust?: ExtraTrust;
};

export type ExtraTrust = (
  leaf: Uint8Array,
  intermediates: readonly Uint8Array[],
  at: Date,
) => Promise<{ path: readonly string[]; message: string; source: TrustSource } | null>;

export type TrustResult = { trust: Trust; path: readonly string[]; message: string; source: TrustSource | null };

export async function evaluateTrust(leaf: Uint8Array, o: TrustOptions): Promise<TrustResult> {
  const real = await validateChain(leaf, { anchors: o.anchors, intermediates: o.intermediates, at: o.at });
  if (real.status === 'chained')
    return { trust: 'chained', path: real.path, message: real.message, source: { kind: 'anchor' } };
  const extra = o.extraTrust ? await o.extraTrust(leaf, o.intermediates, o.at) : null;
  if (extra) return { trust: 'chained', ...extra };
  const dev = await validateChain(leaf, { anchors: o.devAnchors ?? [], intermediates: o.intermediates, at: o.at });
  if (dev.status === 'chained')
    return { trust: 'dev_ca', path: dev.path, message: `${dev.message} (a test anchor)`, source: { kind: 'dev-ca' } };
  if (await selfSigned(leaf))
    return {
      trust: 'self_signed',
      path: [],
      message: 'the certificate is self-signed: it proves only that the same key signed',
      source: null,
    };
  return {
    source: null,
    trust: 'untrusted',
    path: real.path,
    message: o.anchors.length
      ? real.message
      : 'no trust anchor was given (--trust <ca.pem>, or the trust store: `sealdesk trust add <ca.pem>`)',
  };
}

/** Subject equals issuer and the certificate's own key verifies its signature (node:crypto, as for every path step). */
async function selfSigned(der: Uint8Array): Promise<boolean> {
  try {
    const c = pathCertificate(der);
    const params = verifyParams(c.signatureAlgorithm);
    return (
      sameName(c.subject, c.issuer) &&
      params !== null &&
      signatureValueValid(
        {
          certificate: der,
          signatureAlgorithm: c.signatureAlgorithm,
          digest: params.hash ?? '',
          data: c.tbs,
          signature: c.signature,
        },
        params,
      )
    );
  } catch (err) {
    if (err instanceof TlvError) return false;
    throw err;
  }
}

/** Why a TSA is not trusted, as sentences (none when its certificate chains to an anchor of the trust store). */
export function tsaTrustProblems(tsa: { readonly trust: Trust; readonly message: string } | null): string[] {
  if (!tsa) return ['no TSA certificate to check against the trust anchors'];
  return tsa.trust === 'chained'
    ? []
    : [`its TSA certificate does not chain to an anchor of the trust store: ${tsa.message}`];
}
