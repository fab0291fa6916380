// Settings: the time-stamping authorities (components/TsaPanel), the sync account, the default seal, certificates,
// tokens, the trust anchors verification uses (added with main's confirmation, removed), and the data folder.
import { useEffect, useState } from 'react';
import type { TrustItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { TokensPanel } from '../components/TokensPanel.js';
import { CertificatesPanel } from '../components/CertificatesPanel.js';
import { DefaultSealPanel } from '../components/DefaultSealPanel.js';
import { ShowInFolder } from '../components/ShowInFolder.js';
import { AccountPanel } from '../components/AccountPanel.js';
import { TsaPanel } from '../components/TsaPanel.js';

export function SettingsView({ dataDir }: { dataDir: string }) {
  const [anchors, setAnchors] = useState<readonly TrustItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api()
      .trustList({})
      .then((r) => r.ok && setAnchors(r.value));
  }, []);
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
      <TsaPanel onError={setError} />
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
