// Stamp: files hashed on this computer, an RFC 3161 time-stamp each, the .tsr saved beside it.
import { useEffect, useState } from 'react';
import type { JobStatus, StampItem, TsaItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';
import { ShowInFolder } from '../components/ShowInFolder.js';

export function StampView() {
  const [files, setFiles] = useState<string[]>([]);
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [tsa, setTsa] = useState('auto');
  const [label, setLabel] = useState('');
  const [job, setJob] = useState<JobStatus | null>(null);
  const busy = job?.state === 'running';
  const [results, setResults] = useState<readonly StampItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void api().tsaList({}).then((r) => r.ok && setTsas(r.value.filter((t) => t.enabled))), []);
  // A job: progress is polled (the same over IPC and the loopback host) and it can be cancelled.
  const run = async () => {
    setError(null);
    setResults([]);
    const started = await api().jobsStamp({ paths: files, tsa, label: label || undefined });
    if (!started.ok) return setError(started.error.message);
    for (;;) {
      const s = await api().jobsStatus({ id: started.value.id });
      if (!s.ok) return setError(s.error.message);
      setJob(s.value);
      if (s.value.state !== 'running') {
        setResults(s.value.results as StampItem[]);
        if (s.value.error) setError(s.value.error.message);
        return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const cancel = () => job && void api().jobsCancel({ id: job.id });
  return (
    <section aria-labelledby="stamp-title">
      <h2 id="stamp-title">Stamp</h2>
      <p className="hint">Each file is hashed here; only its hash goes to the time-stamping authority.</p>
      <FilePicker label="Files to stamp" files={files} onChange={setFiles} />
      <div className="row">
        <label htmlFor="stamp-tsa">Time-stamping authority</label>
        <select id="stamp-tsa" value={tsa} onChange={(e) => setTsa(e.target.value)}>
          <option value="auto">Automatic (round-robin, failover)</option>
          {tsas.map((t) => <option key={t.slug} value={t.slug}>{t.name}</option>)}
        </select>
        <label htmlFor="stamp-label">Label</label>
        <input id="stamp-label" value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div className="row">
        <button type="button" className="primary" disabled={busy || files.length === 0} onClick={() => void run()}>{busy ? 'Stamping…' : 'Stamp'}</button>
        {busy && <button type="button" onClick={cancel}>Cancel</button>}
        {job && <progress aria-label="Stamping progress" max={job.total} value={job.done}>{job.done} of {job.total}</progress>}
        {job && <span className="hint">{job.done} of {job.total}{job.state === 'cancelled' ? ' — cancelled' : ''}</span>}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      <ul className="results" aria-label="Stamp results">
        {results.map((r) => (
          <li key={r.file} className={r.error ? 'bad' : r.queued ? 'warn' : 'good'}>
            <strong>{r.file}</strong>
            {r.error ? <span> — {r.error.message}</span> : r.queued ? <span> — queued: no TSA answered; it is stamped when one does</span> : (
              <span> — {r.existing ? 'already stamped' : 'stamped'} by {r.tsaName} at {r.genTime} (serial {r.serial}) → <code>{r.tsrPath}</code></span>
            )}
            {r.tsrPath && <ShowInFolder path={r.tsrPath} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
