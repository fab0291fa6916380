// What the EU trusted lists say about a signature's certificate or a time-stamp's TSA (ETSI TS 119 615, EN 319 102-1
// §5.2.5), and which source made a certificate trusted. Plain data for --json, the reports and the desktop's cards.

/**
 * QESig / QESeal: qualified electronic signature / seal (qualified certificate on a QSCD); AdESig-QC / AdESeal-QC:
 * advanced, with a qualified certificate; QTST: qualified electronic time-stamp; not-qualified: none of these (the
 * reason says why, including "the list is not trusted").
 */
export type QualificationLevel = 'QESig' | 'QESeal' | 'AdESig-QC' | 'AdESeal-QC' | 'QTST' | 'not-qualified';

export type Qualification = {
  readonly level: QualificationLevel;
  /** Why, in words: the TL service and its qualifiers, or what is missing or contradictory. */
  readonly reason: string;
  /** The level the listed facts give when the list's own signature did not verify (then `level` is not-qualified). */
  readonly levelIfListTrusted: QualificationLevel | null;
  /** The TL service the certificate (or its issuer) is listed under, when one is. */
  readonly service: {
    readonly territory: string;
    readonly tspName: string;
    readonly serviceName: string;
    readonly type: string;
  } | null;
  /** The service's status at the time asked about (the signature's proof of existence, the token's genTime). */
  readonly statusAtTime: { readonly time: string; readonly status: string | null; readonly since: string | null };
  /** The list the service came from: its signature check and whether it is past its next update. */
  readonly list: {
    readonly territory: string;
    readonly sequenceNumber: number;
    readonly signature: 'valid' | 'invalid' | 'unverified';
    readonly nextUpdate: string | null;
    readonly stale: boolean;
  } | null;
  /** Time-stamps: the token's own EN 319 422 qtstStatement claim (0.4.0.19422.1.1): a claim, never proof. */
  readonly qtstClaim?: boolean;
};

/** Which source made a certificate trusted: an explicit anchor, the EU trusted lists, or a test (dev) CA. */
export type TrustSource =
  | { readonly kind: 'anchor' }
  | {
      readonly kind: 'eu-tl';
      readonly territory: string;
      readonly tspName: string;
      readonly serviceName: string;
      readonly type: string;
    }
  | { readonly kind: 'dev-ca' };
