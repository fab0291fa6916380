// History → "Was this file stamped?" (`sealdesk lookup <file>`): a file chosen here (a handle) is hashed in the
// worker host, and the stamps of that content are listed, made here or pulled from the account's server. The window
// never reads the file; it sees the digest and the records.
import { useState } from 'react';
import type { FileRef, LookupResult } from '../../../preload/api.js';
import { api } from '../api.js';
import { FilePicker } from './FilePicker.js';

export function LookupPanel() {
  const [files, setFiles] = useState<FileRef[]>([]);
  const [found, setFound] = useState<LookupResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const file = files[0];
  const run = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setFound(null);
    const r = await api().historyLookup({ file: file.handle });
    setBusy(false);
    if (r.ok) setFound(r.value);
    else setError(r.error.message);
  };
  const n = found?.records.length ?? 0;
  return (
    <details className="card">
      <summary>Was this file stamped?</summary>
      <FilePicker
        label="File to look up"
        accept="a file"
        files={files}
        onChange={(f) => (setFiles(f), setFound(null))}
        single
      />
      <button type="button" disabled={!file || busy} onClick={() => void run()}>
        {busy ? 'Looking up…' : 'Look up'}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {found && (
        <div role="status" aria-label="Lookup result">
          <p>
            {n === 0 ? 'Not stamped: no record of this content' : `Stamped ${n} time(s)`} (SHA-512{' '}
            <code>{found.sha512.slice(0, 16)}…</code>)
          </p>
          <ul className="plain">
            {found.records.map((s) => (
              <li key={s.id}>
                {s.status === 'pending' ? 'queued' : `${s.tsaName ?? '?'} at ${s.genTime ?? '?'}`} · record{' '}
                <code>{s.id}</code>
                {s.label ? ` · "${s.label}"` : ''}
                {s.origin === 'remote' ? ' · made elsewhere (from the server)' : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
