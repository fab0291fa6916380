// Settings: the time-stamping authorities (on/off) and the trust anchors verification uses.
import { useEffect, useState } from 'react';
import type { TrustItem, TsaItem } from '../../../preload/api.js';
import { api } from '../api.js';

export function SettingsView({ dataDir }: { dataDir: string }) {
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [anchors, setAnchors] = useState<readonly TrustItem[]>([]);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api().tsaList({}).then((r) => r.ok && setTsas(r.value));
    void api().trustList({}).then((r) => r.ok && setAnchors(r.value));
  }, []);
  const toggle = async (slug: string, enabled: boolean) => {
    const r = await api().tsaSetEnabled({ slug, enabled });
    if (r.ok) setTsas(r.value);
    else setError(r.error.message);
  };
  const addAnchor = async () => {
    const r = await api().trustAdd({ path });
    if (r.ok) {
      setAnchors(r.value);
      setPath('');
    } else setError(r.error.message);
  };
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <h3>Time-stamping authorities</h3>
      <ul className="plain">
        {tsas.map((t) => (
          <li key={t.slug}>
            <label><input type="checkbox" checked={t.enabled} disabled={!t.url} onChange={(e) => void toggle(t.slug, e.target.checked)} /> {t.name}</label>
            <span className="hint"> {t.url ?? 'needs a contract URL (command line: tsa enable --url)'}{t.qualified ? ' · qualified' : ''}</span>
          </li>
        ))}
      </ul>
      <h3>Trust anchors</h3>
      <ul className="plain" aria-label="Trust anchors">
        {anchors.length === 0 && <li className="hint">None: no signature can be fully trusted until you add your CA.</li>}
        {anchors.map((a) => <li key={a.id}>{a.subject} <span className="hint">until {a.notAfter.slice(0, 10)}</span></li>)}
      </ul>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void addAnchor(); }}>
        <label htmlFor="anchor-path">CA certificate</label>
        <input id="anchor-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/ca.pem" spellCheck={false} />
        <button type="submit" disabled={!path.trim()}>Trust</button>
      </form>
      <h3>Data folder</h3>
      <p><code>{dataDir}</code></p>
    </section>
  );
}
