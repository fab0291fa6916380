// The first page: what Sealdesk is, where its data lives, what the ledger holds. The views come next.
import { useEffect, useState } from 'react';
import type { AppInfo, LedgerSummary } from '../../preload/api.js';
import { api } from './api.js';

type Loaded = { info: AppInfo; summary: LedgerSummary | null; summaryError: string | null };

export function App() {
  const [state, setState] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const info = await api().appInfo({});
      if (!info.ok) return setError(info.error.message);
      const summary = await api().ledgerSummary({});
      setState({ info: info.value, summary: summary.ok ? summary.value : null, summaryError: summary.ok ? null : summary.error.message });
    })();
  }, []);

  return (
    <main className="page">
      <header>
        <h1>Sealdesk</h1>
        <p className="lede">Timestamp and seal documents on this computer. Files never leave it; only their hashes do.</p>
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      {state && (
        <section aria-labelledby="status-title" className="card">
          <h2 id="status-title">This workstation</h2>
          <dl>
            <dt>Version</dt>
            <dd>{state.info.version}</dd>
            <dt>Data folder</dt>
            <dd><code>{state.info.dataDir}</code></dd>
            <dt>Ledger</dt>
            <dd>{state.summary ? `${state.summary.stamped} stamped, ${state.summary.pending} queued` : `unavailable: ${state.summaryError}`}</dd>
          </dl>
        </section>
      )}
      <p className="hint">Stamping, sealing and verification are available from the <code>sealdesk</code> command line today; their desktop views are on the way.</p>
    </main>
  );
}
