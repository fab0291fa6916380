// The window: one view at a time (Stamp, Seal, Verify, Inspect, History, Restamp, Settings) and a status bar. Nothing
// is polled: state arrives as pushed events (window.api.onEvent).
import { useEffect, useState } from 'react';
import type { AppInfo, FileRef } from '../../preload/api.js';
import { api } from './api.js';
import { StatusBar } from './components/StatusBar.js';
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
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api()
      .appInfo({})
      .then((r) => (r.ok ? setInfo(r.value) : setError(r.error.message)));
  }, []);
  const [verifyFiles, setVerifyFiles] = useState<FileRef[]>([]);
  const [inspectFiles, setInspectFiles] = useState<FileRef[]>([]);
  useEffect(() => {
    // Files opened with Sealdesk (file associations, a second launch) go to the view they belong in: those waiting
    // at start, then each time main says more arrived.
    const take = () =>
      void api()
        .appOpened({})
        .then((r) => {
          if (!r.ok || r.value.length === 0) return;
          const last = r.value[r.value.length - 1]!;
          const verify = r.value.filter((f) => f.view === 'Verify').map((f) => f.file);
          if (verify.length)
            setVerifyFiles((old) => [...old, ...verify.filter((f) => !old.some((o) => o.handle === f.handle))]);
          if (last.view === 'Inspect') setInspectFiles([last.file]);
          setView(last.view);
        });
    take();
    return api().onEvent((e) => e.kind === 'opened' && take());
  }, []);
  return (
    <div className="app">
      <header className="top">
        <h1>Sealdesk</h1>
        <nav aria-label="Views">
          {VIEWS.map((v) => (
            <button key={v} type="button" aria-current={v === view ? 'page' : undefined} onClick={() => setView(v)}>
              {v}
            </button>
          ))}
        </nav>
      </header>
      <main className="page">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {view === 'Stamp' && <StampView />}
        {view === 'Seal' && <SealView />}
        {view === 'Verify' && <VerifyView files={verifyFiles} setFiles={setVerifyFiles} />}
        {view === 'Inspect' && <InspectView files={inspectFiles} setFiles={setInspectFiles} />}
        {view === 'History' && <HistoryView />}
        {view === 'Restamp' && <RestampView />}
        {view === 'Settings' && <SettingsView dataDir={info?.dataDir ?? ''} />}
      </main>
      <StatusBar info={info} />
    </div>
  );
}
