// What verifying a CAdES signature (.p7s beside its file, or an enveloping .p7m) reports, with the ETSI EN 319 102-1
// outcome as for PDF signatures. Plain data (the CLI's --json, the desktop's verify view).
import type { RevocationFinding, Trust } from './facts.js';
import type { Indication, SubIndication } from './indication.js';
import type { Qualification, TrustSource } from './qualification.js';

/** One signature or archive time-stamp of a CAdES signature as the archive chain judges it. */
export type TimestampCheck = {
  readonly kind: 'signature-timestamp' | 'archive-timestamp';
  /** 1-based among the archive time-stamps; 0 for the signature time-stamp. */
  readonly n: number;
  readonly genTime: string | null;
  readonly tsaName: string | null;
  readonly hashAlgorithm: string | null;
  /** Archive time-stamps: the imprint equals the ATSv3 hash recomputed over the file and the signature as they
   * stand. */
  readonly imprintMatches: boolean | null;
  readonly tsa: {
    readonly subject: string;
    readonly notAfter: string;
    readonly trust: Trust;
    readonly trustPath: readonly string[];
    readonly message: string;
    readonly trustSource?: TrustSource | null;
  } | null;
  /** What the EU trusted lists say of its TSA at genTime (absent or null: no lists loaded). */
  readonly qualification?: Qualification | null;
  readonly revocation: RevocationFinding | null;
  /** The time the TSA's chain was judged at: the next valid archive time-stamp's genTime (its proof of existence),
   * else now. */
  readonly judgedAt: string;
  readonly valid: boolean;
  /** Every reason it is not valid, the trust problems included. */
  readonly problems: readonly string[];
  /** Those of `problems` that concern only whether its TSA is trusted: no chain to an anchor, or no revocation data
   * for its TSA certificate (the token itself may be sound and cover what it must). */
  readonly trustProblems: readonly string[];
};

export type CadesReport = {
  readonly signaturePresent: boolean;
  /** The file's digest equals the signed message-digest attribute. */
  readonly hashMatch: boolean;
  readonly fileHashHex: string | null;
  readonly certificate: {
    readonly subject: string;
    readonly issuer: string;
    readonly notBefore: string;
    readonly notAfter: string;
    readonly trust: Trust;
    readonly trustPath: readonly string[];
    readonly trustMessage: string;
    readonly trustSource?: TrustSource | null;
    /** What the EU trusted lists say of it at the proof of existence (absent or null: no lists loaded). */
    readonly qualification?: Qualification | null;
  } | null;
  /** The time-stamp shown; `trusted`: its TSA chains to a trust anchor, so its time is the proof of existence. */
  readonly timestamp: {
    readonly genTime: string;
    readonly tsaName: string | null;
    readonly trusted: boolean;
    readonly trustSource?: TrustSource | null;
    readonly qualification?: Qualification | null;
  } | null;
  readonly tsrSource: 'embedded' | 'external' | null;
  readonly tsrMatchError: string | null;
  readonly error: string | null;
  /** The content matches and the signature value verifies with the signer's key: nothing was altered. */
  readonly intact: boolean;
  /** Intact, no problem found, and the signer chained to a trust anchor. */
  readonly valid: boolean;
  readonly signingTime: string | null;
  readonly signatureAlgorithmOid: string | null;
  readonly problems: readonly string[];
  /** ETSI EN 319 102-1 outcome, as for PDF signatures. */
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  readonly revocation: RevocationFinding | null;
  /** The embedded signature time-stamp as the archive chain judges it (null without one). */
  readonly signatureTimestamp: TimestampCheck | null;
  /** Every archive-time-stamp-v3 (ETSI EN 319 122-1 §5.5.3), oldest first. */
  readonly archiveTimestamps: readonly TimestampCheck[];
  /** What breaks nothing but is not as it should be (signed attributes stored in a non-DER encoding, …). */
  readonly warnings?: readonly string[];
  /** The sub-indication a signature value that does not verify gets (HASH_FAILURE: signed over a non-DER encoding). */
  readonly signatureFailure?: 'HASH_FAILURE' | 'SIG_CRYPTO_FAILURE' | null;
};
