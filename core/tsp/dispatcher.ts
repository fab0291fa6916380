// Seed 001 "Automatic TSA selection": round-robin over enabled TSAs, failover within one request.
import { randomBytes } from 'node:crypto';
import type { RequestHash } from '../asn1/oids.js';
import { AllTsasFailedError, CoreError, TimestampError, errorMessage, type TsaFailure } from '../errors.js';
import { checkTimeStampResponse } from './check.js';
import type { DecodedTimeStamp } from './decode.js';
import type { TsaProvider } from './registry.js';
import { buildTimeStampRequest, type TimeStampRequest } from './request.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT_MS, type TimeStampTransport } from './transport.js';
import type { TokenSignatureCheck } from './check.js';

export type TsaChoice = 'auto' | (string & {});

/** Which TSAs to try, in order, and which hash to ask for. */
export type AttemptPlan = {
  readonly order: readonly TsaProvider[];
  readonly hashAlgorithm: RequestHash;
  readonly advancesCursor: boolean;
};

/**
 * `auto`: every enabled TSA with a URL, starting at the persisted cursor, SHA-512 imprint.
 * A slug: that TSA alone (the user wants a record of which TSA stamped), with its preferred hash.
 */
export function planAttempts(
  providers: readonly TsaProvider[],
  choice: TsaChoice,
  cursor: number,
  hashOverride?: RequestHash,
): AttemptPlan {
  if (choice === 'auto') {
    const enabled = providers.filter((p) => p.enabled && p.url).sort((a, b) => a.position - b.position);
    if (enabled.length === 0)
      throw new CoreError(
        'TSA_NONE_ENABLED',
        'no TSA is enabled: enable one with `sealdesk tsa enable <slug>` or add one with `sealdesk tsa add <slug> <url>`',
      );
    const start = ((cursor % enabled.length) + enabled.length) % enabled.length;
    const order = [...enabled.slice(start), ...enabled.slice(0, start)];
    return { order, hashAlgorithm: hashOverride ?? 'sha512', advancesCursor: true };
  }
  const provider = providers.find((p) => p.slug === choice);
  if (!provider) throw new CoreError('TSA_UNKNOWN', `unknown TSA "${choice}": see \`sealdesk tsa list\``);
  if (!provider.url)
    throw new CoreError(
      'TSA_NO_URL',
      `TSA "${choice}" has no URL yet: give the URL of your contract with \`sealdesk tsa enable ${choice} --url <url>\``,
    );
  return { order: [provider], hashAlgorithm: hashOverride ?? provider.preferredHash, advancesCursor: false };
}

export type DispatchOptions = {
  readonly transport: TimeStampTransport;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** Receives each failed attempt as it happens (the ledger's failure log). */
  readonly onFailure?: (failure: TsaFailure, provider: TsaProvider) => void;
  /** Asked right before each attempt (e.g. a rate limiter, which counts it): false skips this TSA. */
  readonly mayAttempt?: (provider: TsaProvider) => boolean;
  readonly nonce?: () => Uint8Array;
  readonly clock?: () => number;
};

export type StampResult = {
  readonly provider: TsaProvider;
  readonly request: TimeStampRequest;
  /** The exact DER TimeStampResp the TSA sent. */
  readonly responseDer: Uint8Array;
  readonly decoded: DecodedTimeStamp;
  readonly signature: TokenSignatureCheck;
  readonly failures: readonly TsaFailure[];
};

/** Tries each TSA of the plan until one returns a response that passes every RFC 3161 check. */
export async function requestTimestamp(
  plan: AttemptPlan,
  imprint: Uint8Array,
  opts: DispatchOptions,
): Promise<StampResult> {
  const clock = opts.clock ?? Date.now;
  const failures: TsaFailure[] = [];
  for (const provider of plan.order) {
    if (opts.mayAttempt && !opts.mayAttempt(provider)) continue;
    const request = buildTimeStampRequest({
      hashAlgorithm: plan.hashAlgorithm,
      imprint,
      nonce: (opts.nonce ?? (() => randomBytes(8)))(),
    });
    const started = clock();
    try {
      const responseDer = await opts.transport.post(provider.url!, request.der, {
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      });
      // The TSA answered 2xx from here on: a failure is the response's fault (class parse, status 200).
      const { decoded, signature } = await checkTimeStampResponse(responseDer, request).catch((err: unknown) => {
        throw err instanceof TimestampError
          ? new TimestampError(err.errorClass, err.message, err.statusCode ?? 200)
          : err;
      });
      return { provider, request, responseDer, decoded, signature, failures };
    } catch (err) {
      const failure = toFailure(err, provider, clock() - started);
      failures.push(failure);
      opts.onFailure?.(failure, provider);
    }
  }
  throw new AllTsasFailedError(failures);
}

function toFailure(err: unknown, provider: TsaProvider, latencyMs: number): TsaFailure {
  const e = err instanceof TimestampError ? err : new TimestampError('unknown', errorMessage(err));
  return {
    tsa: provider.name,
    slug: provider.slug,
    errorClass: e.errorClass,
    statusCode: e.statusCode,
    message: e.message,
    latencyMs: Math.round(latencyMs),
  };
}
