// What each time-stamping authority answered when all of them failed (ALL_TSAS_FAILED): the error's structured
// details, one line per TSA, so a person sees which failed how (unreachable, timed out, refused, a bad answer).
import type { ApiError } from '../../../preload/api.js';

const CLASS_WORDS = {
  network: 'unreachable',
  timeout: 'timed out',
  http_status: 'refused (HTTP)',
  parse: 'answered with a bad response',
  unknown: 'failed',
} as const;

export function TsaFailures({ error }: { readonly error: ApiError | undefined }) {
  const tsas = error?.code === 'ALL_TSAS_FAILED' ? (error.details?.tsas ?? []) : [];
  if (tsas.length === 0) return null;
  return (
    <ul className="reasons" aria-label="Time-stamping authorities tried">
      {tsas.map((t) => (
        <li key={t.slug}>
          <strong>{t.name}</strong> ({t.slug}): {CLASS_WORDS[t.errorClass]} — {t.message}
        </li>
      ))}
    </ul>
  );
}
