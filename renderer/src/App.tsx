// The window: one view at a time (Stamp, Seal, Verify, Inspect, History, Restamp, Settings) and a status bar.
import { useEffect, useState } from 'react';
import type { AppInfo, JobStatus, LedgerSummary, QueueState } from '../../preload/api.js';
import { api } from './api.js';
import { HistoryView } from './views/HistoryView.js';
import { InspectView } from './views/InspectView.js';
import { RestampView } from './views/RestampView.js';
import { SealView } from './views/SealView.js';
import { SettingsView } from './views/SettingsView.js';
import { StampView } from './views/StampView.js';
import { VerifyView } from './views/VerifyView.js';

const VIEWS = ['Stamp', 'Seal', 'Verify', 'Inspect', 'History', 'Restamp', 'Settings'] as const;
type View = (typeof VIEWS)[number];

export function App() {
  const [view, setView] = useState<View>('Stamp');
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [summary, setSummary] = useState<LedgerSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api().appInfo({}).then((r) => (r.ok ? setInfo(r.value) : setError(r.error.message)));
  }, []);
  const [running, setRunning] = useState<readonly JobStatus[]>([]);
  const [queue, setQueue] = useState<QueueState | null>(null);
  const [verifyFiles, setVerifyFiles] = useState<string[]>([]);
  const [inspectPath, setInspectPath] = useState('');
  useEffect(() => {
    const refresh = () => {
      void api().ledgerSummary({}).then((r) => r.ok && setSummary(r.value));
      void api().jobsList({}).then((r) => r.ok && setRunning(r.value));
      void api().queueState({}).then((r) => r.ok && setQueue(r.value));
      // Files opened with Sealdesk (file associations, a second launch) go to the view they belong in.
      void api().appOpened({}).then((r) => {
        if (!r.ok || r.value.length === 0) return;
        const last = r.value[r.value.length - 1]!;
        const verify = r.value.filter((f) => f.view === 'Verify').map((f) => f.path);
        if (verify.length) setVerifyFiles((old) => [...old, ...verify.filter((p) => !old.includes(p))]);
        if (last.view === 'Inspect') setInspectPath(last.path);
        setView(last.view);
      });
    };
    refresh();
    const timer = setInterval(refresh, 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="app">
      <header className="top">
        <h1>Sealdesk</h1>
        <nav aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v} type="button" aria-current={v === view ? 'page' : undefined} onClick={() => setView(v)}>{v}</button>
          ))}
        </nav>
      </header>
      <main className="page">
        {error && <p role="alert" className="error">{error}</p>}
        {view === 'Stamp' && <StampView />}
        {view === 'Seal' && <SealView />}
        {view === 'Verify' && <VerifyView files={verifyFiles} setFiles={setVerifyFiles} />}
        {view === 'Inspect' && <InspectView path={inspectPath} setPath={setInspectPath} />}
        {view === 'History' && <HistoryView />}
        {view === 'Restamp' && <RestampView />}
        {view === 'Settings' && <SettingsView dataDir={info?.dataDir ?? ''} />}
      </main>
      <footer className="status" aria-label="Status">
        <span>Sealdesk {info?.version ?? ''}</span>
        <span>{queue?.online === false ? 'Offline: no TSA answered' : queue?.online ? 'Online' : 'Online status unknown'}</span>
        <span>{summary ? `${summary.stamped} stamped` : ''}{queue ? ` · ${queue.pending} queued` : ''}</span>
        {queue && queue.pending > 0 && (
          <button type="button" className="link" disabled={queue.running} onClick={() => void api().queueRun({}).then((r) => r.ok && setQueue(r.value))}>
            {queue.running ? 'Running the queue…' : 'Run the queue now'}
          </button>
        )}
        <span aria-live="polite">{running.length ? running.map((j) => `${j.kind} ${j.done}/${j.total}${j.paused ? ' (paused)' : ''}`).join(' · ') : 'no job running'}</span>
        <span>Data: <code>{info?.dataDir ?? ''}</code></span>
      </footer>
    </div>
  );
}
