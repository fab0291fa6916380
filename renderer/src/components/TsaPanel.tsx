// Settings → Time-stamping authorities (`sealdesk tsa`): the list in round-robin order, each enabled or not, moved,
// tested; a built-in one without an address enabled with your contract's URL; a new one added (name, hash,
// qualified); the recent failures.
import { useEffect, useState } from 'react';
import type { TsaFailureItem, TsaItem, TsaTest } from '../../../preload/api.js';
import { api } from '../api.js';

/** `sealdesk tsa add <slug> <url> [--name] [--hash] [--qualified]`, empty. */
const NO_DRAFT = { slug: '', url: '', name: '', hash: '' as '' | 'sha256' | 'sha384' | 'sha512', qualified: false };

export function TsaPanel({ onError: setError }: { readonly onError: (message: string) => void }) {
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [failures, setFailures] = useState<readonly TsaFailureItem[]>([]);
  const [tests, setTests] = useState<Record<string, TsaTest | 'running'>>({});
  const [draft, setDraft] = useState(NO_DRAFT);
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
  const addTsa = async () => {
    const r = await api().tsaAdd({
      slug: draft.slug.trim(),
      url: draft.url.trim(),
      name: draft.name.trim() || undefined,
      hash: draft.hash || undefined,
      qualified: draft.qualified || undefined,
    });
    if (r.ok) {
      setTsas(r.value);
      setDraft(NO_DRAFT);
    } else setError(r.error.message);
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
            {tests[t.slug] && (
              <span
                className={`hint ${tests[t.slug] === 'running' ? '' : (tests[t.slug] as TsaTest).ok ? 'ok' : 'error'}`}
                role="status"
              >
                {' '}
                {tests[t.slug] === 'running'
                  ? 'testing…'
                  : `${(tests[t.slug] as TsaTest).ok ? 'OK' : 'Failed'} (${(tests[t.slug] as TsaTest).latencyMs} ms): ${(tests[t.slug] as TsaTest).message}`}
              </span>
            )}
          </li>
        ))}
      </ul>
      <form
        className="row"
        aria-label="Add a time-stamping authority"
        onSubmit={(e) => {
          e.preventDefault();
          void addTsa();
        }}
      >
        <label htmlFor="tsa-slug">Short name</label>
        <input
          id="tsa-slug"
          value={draft.slug}
          onChange={(e) => setDraft({ ...draft, slug: e.target.value })}
          placeholder="inhouse"
        />
        <label htmlFor="tsa-url">URL</label>
        <input
          id="tsa-url"
          value={draft.url}
          onChange={(e) => setDraft({ ...draft, url: e.target.value })}
          placeholder="https://tsa.example.org/tsr"
        />
        <label htmlFor="tsa-name">Display name</label>
        <input
          id="tsa-name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          placeholder="In-house TSA"
        />
        <label htmlFor="tsa-hash">Hash</label>
        <select
          id="tsa-hash"
          value={draft.hash}
          onChange={(e) => setDraft({ ...draft, hash: e.target.value as typeof draft.hash })}
        >
          <option value="">Default (SHA-512)</option>
          <option value="sha256">SHA-256</option>
          <option value="sha384">SHA-384</option>
          <option value="sha512">SHA-512</option>
        </select>
        <label>
          <input
            type="checkbox"
            checked={draft.qualified}
            onChange={(e) => setDraft({ ...draft, qualified: e.target.checked })}
          />{' '}
          Qualified (eIDAS) service
        </label>
        <button type="submit" disabled={!draft.slug.trim() || !draft.url.trim()}>
          Add TSA
        </button>
      </form>
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
