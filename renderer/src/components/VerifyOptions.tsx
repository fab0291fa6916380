// Verify → Options: what `sealdesk verify` takes beyond its files. Extra trust anchors, test CAs (reported as dev_ca)
// and TSA certificates come as handles from main's open dialog (never paths); a time to validate at; fetching missing
// revocation data online; the worker's limits; and where a .p7m's content goes (main's save dialog asks).
import { useState } from 'react';
import type { FileRef, WireRequestOf } from '../../../preload/api.js';
import { api } from '../api.js';

type Limit = 'maxHeapMb' | 'timeoutS' | 'maxDecodedMb' | 'maxObjects';
type Anchors = 'trust' | 'trustDev' | 'tsaCertificates';
/** What the panel holds; `requestOptions` makes it the request's fields. */
export type VerifyOptionsState = {
  readonly files: { readonly [K in Anchors]: readonly FileRef[] };
  readonly at: string;
  readonly online: boolean;
  readonly allowPrivateNetwork: boolean;
  /** Trust the EU trusted lists (`--trust-eu`). */
  readonly trustEu: boolean;
  readonly limits: { readonly [K in Limit]: string };
  readonly extract: boolean;
};
export const NO_VERIFY_OPTIONS: VerifyOptionsState = {
  files: { trust: [], trustDev: [], tsaCertificates: [] },
  at: '',
  online: false,
  allowPrivateNetwork: false,
  trustEu: false,
  limits: { maxHeapMb: '', timeoutS: '', maxDecodedMb: '', maxObjects: '' },
  extract: false,
};
type Options = Omit<WireRequestOf<'jobs:verify'>, 'files'>;

/** The request's fields for what is set (an empty or invalid limit: the app's default; main checks the bounds). */
export function requestOptions(s: VerifyOptionsState): Options {
  const o: { -readonly [K in keyof Options]: Options[K] } = {};
  for (const k of ['trust', 'trustDev', 'tsaCertificates'] as const)
    if (s.files[k].length) o[k] = s.files[k].map((f) => f.handle);
  const at = s.at ? new Date(s.at) : null; // datetime-local: the user's local time
  if (at && !Number.isNaN(at.getTime())) o.at = at.toISOString();
  if (s.online) o.online = true;
  if (s.online && s.allowPrivateNetwork) o.allowPrivateNetwork = true;
  if (s.trustEu) o.trustEu = true;
  for (const k of LIMITS.map((l) => l.key)) if (s.limits[k].trim()) o[k] = Number(s.limits[k]);
  if (s.extract) o.extractAs = '';
  return o;
}

const ANCHORS: readonly { key: Anchors; add: string; what: string }[] = [
  { key: 'trust', add: 'Add trust anchor…', what: 'Extra trust anchors (this verification only)' },
  { key: 'trustDev', add: 'Add test CA…', what: 'Test CAs: chains to them are reported as dev_ca, not qualified' },
  { key: 'tsaCertificates', add: 'Add TSA certificate…', what: "TSA certificates a .tsr doesn't carry" },
];
const LIMITS: readonly { key: Limit; label: string; max: number }[] = [
  { key: 'maxHeapMb', label: 'Memory per file (MB, default 256)', max: 64 * 1024 },
  { key: 'timeoutS', label: 'Time per file (s, default 60)', max: 7 * 24 * 3600 },
  { key: 'maxDecodedMb', label: 'Decompressed data per PDF (MB, default 200)', max: 1024 * 1024 },
  { key: 'maxObjects', label: 'Objects per PDF (default 2000000)', max: 1_000_000_000 },
];

type Props = { readonly value: VerifyOptionsState; readonly onChange: (v: VerifyOptionsState) => void };

export function VerifyOptions({ value: v, onChange }: Props) {
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<VerifyOptionsState>) => onChange({ ...v, ...patch });
  const setFiles = (key: Anchors, files: readonly FileRef[]) => set({ files: { ...v.files, [key]: files } });
  const add = async (key: Anchors) => {
    const r = await api().desktopChooseFiles({ multiple: true });
    setError(r.ok ? null : r.error.message);
    if (r.ok)
      setFiles(key, [...v.files[key], ...r.value.filter((f) => !v.files[key].some((x) => x.handle === f.handle))]);
  };
  const count =
    Object.values(v.files).flat().length +
    (v.at ? 1 : 0) +
    (v.online ? 1 : 0) +
    (v.trustEu ? 1 : 0) +
    (v.extract ? 1 : 0) +
    Object.values(v.limits).filter((x) => x.trim()).length;
  return (
    <details className="verify-options">
      <summary>Options{count ? ` (${count} set)` : ''}</summary>
      {ANCHORS.map(({ key, add: label, what }) => (
        <fieldset key={key}>
          <legend>{what}</legend>
          {v.files[key].length > 0 && (
            <ul aria-label={`${what}: chosen`}>
              {v.files[key].map((f) => (
                <li key={f.handle}>
                  {f.name}{' '}
                  <button
                    type="button"
                    aria-label={`Remove ${f.name}`}
                    onClick={() =>
                      setFiles(
                        key,
                        v.files[key].filter((x) => x.handle !== f.handle),
                      )
                    }
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={() => void add(key)}>
            {label}
          </button>
        </fieldset>
      ))}
      <fieldset>
        <legend>Validation</legend>
        <label>
          Validate as at (PDFs; empty: now){' '}
          <input type="datetime-local" step="1" value={v.at} onChange={(e) => set({ at: e.target.value })} />
        </label>
        <label>
          <input type="checkbox" checked={v.online} onChange={(e) => set({ online: e.target.checked })} /> Fetch missing
          revocation data online (PDFs)
        </label>
        <label>
          <input
            type="checkbox"
            checked={v.allowPrivateNetwork}
            disabled={!v.online}
            onChange={(e) => set({ allowPrivateNetwork: e.target.checked })}
          />{' '}
          Private-network addresses too
        </label>
        <label>
          <input type="checkbox" checked={v.trustEu} onChange={(e) => set({ trustEu: e.target.checked })} /> Trust the
          EU trusted lists (qualified CAs and time-stamp authorities as anchors)
        </label>
        <label>
          <input type="checkbox" checked={v.extract} onChange={(e) => set({ extract: e.target.checked })} /> Save a
          .p7m&apos;s signed content (asks where)
        </label>
      </fieldset>
      <fieldset>
        <legend>Limits (empty: the app&apos;s default)</legend>
        {LIMITS.map(({ key, label, max }) => (
          <label key={key}>
            {label}{' '}
            <input
              type="number"
              min={1}
              max={max}
              step={1}
              inputMode="numeric"
              value={v.limits[key]}
              onChange={(e) => set({ limits: { ...v.limits, [key]: e.target.value } })}
            />
          </label>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </details>
  );
}
