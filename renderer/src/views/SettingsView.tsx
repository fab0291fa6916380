// Settings: the time-stamping authorities (on/off), the trust anchors verification uses, and the sync account.
import { useEffect, useState } from 'react';
import type { TrustItem, TsaFailureItem, TsaItem, TsaTest } from '../../../preload/api.js';
import { api } from '../api.js';
import { TokensPanel } from '../components/TokensPanel.js';
import { CertificatesPanel } from '../components/CertificatesPanel.js';
import { DefaultSealPanel } from '../components/DefaultSealPanel.js';
import { ShowInFolder } from '../components/ShowInFolder.js';
import { AccountPanel } from '../components/AccountPanel.js';

export function SettingsView({ dataDir }: { dataDir: string }) {
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [anchors, setAnchors] = useState<readonly TrustItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [failures, setFailures] = useState<readonly TsaFailureItem[]>([]);
  const [tests, setTests] = useState<Record<string, TsaTest | 'running'>>({});
  // `sealdesk tsa add <slug> <url> [--name] [--hash] [--qualified]`.
  const noDraft = { slug: '', url: '', name: '', hash: '' as '' | 'sha256' | 'sha384' | 'sha512', qualified: false };
  const [draft, setDraft] = useState(noDraft);
  useEffect(() => {
    void api()
      .tsaList({})
      .then((r) => r.ok && setTsas(r.value));
    void api()
      .tsaFailures({})
      .then((r) => r.ok && setFailures(r.value));
    void api()
      .trustList({})
      .then((r) => r.ok && setAnchors(r.value));
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
      setDraft(noDraft);
    } else setError(r.error.message);
  };
  /** The certificate is chosen in main's dialog, and main asks the user to confirm what it is before trusting it. */
  const addAnchor = async () => {
    const chosen = await api().desktopChooseFiles({ multiple: false });
    if (!chosen.ok) return setError(chosen.error.message);
    const cert = chosen.value[0];
    if (!cert) return;
    const r = await api().trustAdd({ file: cert.handle });
    if (r.ok) setAnchors(r.value);
    else if (r.error.code !== 'CANCELLED') setError(r.error.message);
  };
  /** `sealdesk trust remove <id>`: verification stops trusting what chains only to it. */
  const removeAnchor = async (id: string) => {
    const r = await api().trustRemove({ id });
    if (r.ok) setAnchors(r.value);
    else setError(r.error.message);
  };
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h3>Time-stamping authorities</h3>
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
      <h3>Account</h3>
      <AccountPanel />
      <h3>Default seal</h3>
      <DefaultSealPanel />
      <h3>Certificates</h3>
      <CertificatesPanel />
      <h3>Tokens and smart cards</h3>
      <TokensPanel />
      <h3>Trust anchors</h3>
      <ul className="plain" aria-label="Trust anchors">
        {anchors.length === 0 && (
          <li className="hint">None: no signature can be fully trusted until you add your CA.</li>
        )}
        {anchors.map((a) => (
          <li key={a.id}>
            {a.subject} <span className="hint">until {a.notAfter.slice(0, 10)}</span>{' '}
            <button
              type="button"
              className="link"
              aria-label={`Remove the trust anchor ${a.subject}`}
              onClick={() => void removeAnchor(a.id)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void addAnchor()}>
        Add a CA certificate…
      </button>
      <h3>Data folder</h3>
      <p>
        <code>{dataDir}</code> {dataDir && <ShowInFolder path={dataDir} />}
      </p>
      <p className="hint">
        The ledger, keys and settings live here, shared with the <code>sealdesk</code> command line (
        <code>SEALDESK_HOME</code> moves it).
      </p>
    </section>
  );
}
