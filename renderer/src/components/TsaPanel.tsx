// Settings → Time-stamping authorities (`sealdesk tsa`): the list in round-robin order, each enabled or not, moved,
// tested, removed (asked once more); a built-in one without an address enabled with your contract's URL; a new one
// added (TsaAddForm); the recent failures.
import { useEffect, useState } from 'react';
import type { TsaFailureItem, TsaItem, TsaTest } from '../../../preload/api.js';
import { api } from '../api.js';
import { TsaAddForm } from './TsaAddForm.js';

export function TsaPanel({ onError: setError }: { readonly onError: (message: string) => void }) {
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [failures, setFailures] = useState<readonly TsaFailureItem[]>([]);
  const [tests, setTests] = useState<Record<string, TsaTest | 'running'>>({});
  useEffect(() => {
    void api()
      .tsaList({})
      .then((r) => r.ok && setTsas(r.value));
    void api()
      .tsaFailures({})
      .then((r) => r.ok && setFailures(r.value));
  }, []);
  // `sealdesk tsa enable <slug> --url`: a built-in TSA without an address gets your contract's.
  const [contractUrls, setContractUrls] = useState<Record<string, string>>({});
  const toggle = async (slug: string, enabled: boolean, url?: string) => {
    const r = await api().tsaSetEnabled({ slug, enabled, url });
    if (r.ok) setTsas(r.value);
    else setError(r.error.message);
  };
  const test = async (slug: string) => {
    setTests((t) => ({ ...t, [slug]: 'running' }));
    const r = await api().tsaTest({ slug });
    setTests((t) => ({ ...t, [slug]: r.ok ? r.value : { ok: false, latencyMs: 0, message: r.error.message } }));
    void api()
      .tsaFailures({})
      .then((f) => f.ok && setFailures(f.value));
  };
  const move = async (slug: string, by: -1 | 1) => {
    const r = await api().tsaMove({ slug, by });
    if (r.ok) setTsas(r.value);
    else setError(r.error.message);
  };
  const [removing, setRemoving] = useState<string | null>(null); // asked once more before it goes
  const remove = async (slug: string) => {
    setRemoving(null);
    const r = await api().tsaRemove({ slug });
    if (r.ok) setTsas(r.value);
    else setError(r.error.message);
  };
  return (
    <>
      <ul className="plain" aria-label="Time-stamping authorities, in round-robin order">
        {tsas.map((t, i) => (
          <li key={t.slug}>
            <label>
              <input
                type="checkbox"
                checked={t.enabled}
                disabled={!t.url}
                onChange={(e) => void toggle(t.slug, e.target.checked)}
              />{' '}
              {t.name}
            </label>
            <span className="hint">
              {' '}
              {t.url ?? 'needs the URL of your contract'}
              {t.qualified ? ' · qualified' : ''}
            </span>
            {!t.url && (
              <>
                {' '}
                <input
                  aria-label={`Contract URL for ${t.name}`}
                  placeholder="https://…"
                  value={contractUrls[t.slug] ?? ''}
                  onChange={(e) => setContractUrls({ ...contractUrls, [t.slug]: e.target.value })}
                />
                <button
                  type="button"
                  className="link"
                  aria-label={`Enable ${t.name} with this URL`}
                  disabled={!contractUrls[t.slug]?.trim()}
                  onClick={() => void toggle(t.slug, true, contractUrls[t.slug]!.trim())}
                >
                  Enable
                </button>
              </>
            )}
            <button
              type="button"
              className="link"
              aria-label={`Move ${t.name} earlier`}
              disabled={i === 0}
              onClick={() => void move(t.slug, -1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="link"
              aria-label={`Move ${t.name} later`}
              disabled={i === tsas.length - 1}
              onClick={() => void move(t.slug, 1)}
            >
              ↓
            </button>
            {t.url && t.enabled && (
              <button type="button" className="link" aria-label={`Test ${t.name}`} onClick={() => void test(t.slug)}>
                Test
              </button>
            )}
            {removing === t.slug ? (
              <span role="group" aria-label={`Remove ${t.name}?`}>
                {' '}
                Remove it from the list?{' '}
                <button type="button" className="link" onClick={() => void remove(t.slug)}>
                  Yes, remove
                </button>
                <button type="button" className="link" onClick={() => setRemoving(null)}>
                  Keep it
                </button>
              </span>
            ) : (
              <button
                type="button"
                className="link"
                aria-label={`Remove ${t.name}`}
                onClick={() => setRemoving(t.slug)}
              >
                Remove
              </button>
            )}
            {tests[t.slug] && <TestResult test={tests[t.slug]!} />}
          </li>
        ))}
      </ul>
      <TsaAddForm onAdded={setTsas} onError={setError} />
      <details>
        <summary>Recent failures ({failures.length})</summary>
        <ul className="plain">
          {failures.map((f, i) => (
            <li key={i}>
              <span className="hint">{f.at.slice(0, 19)}</span> {f.tsa}: {f.errorClass} — {f.message}
            </li>
          ))}
        </ul>
      </details>
    </>
  );
}

/** A TSA's Test: running, or how it answered and how fast. */
function TestResult({ test }: { readonly test: TsaTest | 'running' }) {
  const done = test === 'running' ? null : test;
  const said = done && `${done.ok ? 'OK' : 'Failed'} (${done.latencyMs} ms): ${done.message}`;
  return (
    <span className={`hint ${done ? (done.ok ? 'ok' : 'error') : ''}`} role="status">
      {' '}
      {said ?? 'testing…'}
    </span>
  );
}
