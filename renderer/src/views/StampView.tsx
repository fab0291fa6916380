// Stamp: files hashed on this computer, an RFC 3161 time-stamp each, the .tsr saved beside it; with a sync account,
// also via its server (`stamp --remote`: only the hash leaves, the server's TSAs answer).
import { useEffect, useState } from 'react';
import type { FileRef, StampItem, TsaItem } from '../../../preload/api.js';
import { useJob } from '../useJob.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';
import { ShowInFolder } from '../components/ShowInFolder.js';
import { TsaFailures } from '../components/TsaFailures.js';
import { QualifiedPlan } from '../components/QualifiedPlan.js';
import { useAccountServer } from '../components/SyncIndicator.js';

const mb = (n: number) => `${(n / 1048576).toFixed(n < 10485760 ? 1 : 0)} MB`;

export function StampView() {
  const [files, setFiles] = useState<FileRef[]>([]);
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  const [tsa, setTsa] = useState('auto');
  const [label, setLabel] = useState('');
  // `sealdesk stamp --hash` / `--force`: the imprint hash (default: the TSA's choice), and stamping known content again.
  const [hash, setHash] = useState<'' | 'sha256' | 'sha384' | 'sha512'>('');
  const [force, setForce] = useState(false);
  // `sealdesk stamp --qualified`: only TSAs the cached EU trusted lists show as qualified (via the server: its own).
  const [qualified, setQualified] = useState(false);
  const server = useAccountServer();
  const [viaServer, setViaServer] = useState(false);
  const remote = viaServer && server !== null;
  const stamping = useJob();
  const { job, cancel } = stamping;
  const busy = stamping.running;
  const [results, setResults] = useState<readonly StampItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      void api()
        .tsaList({})
        .then((r) => r.ok && setTsas(r.value.filter((t) => t.enabled))),
    [],
  );
  const run = async () => {
    setError(null);
    setResults([]);
    try {
      const done = await stamping.run(() =>
        api().jobsStamp({
          files: files.map((f) => f.handle),
          tsa: remote ? undefined : tsa,
          label: label || undefined,
          hash: remote ? undefined : hash || undefined,
          force,
          remote: remote || undefined,
          qualified: qualified || undefined,
        }),
      );
      if (done.kind === 'stamp') setResults(done.results);
      if (done.error) setError(done.error.message);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="stamp-title">
      <h2 id="stamp-title">Stamp</h2>
      <p className="hint">Each file is hashed here; only its hash goes to the time-stamping authority.</p>
      <FilePicker label="Files to stamp" files={files} onChange={setFiles} />
      <div className="row">
        <label htmlFor="stamp-tsa">Time-stamping authority</label>
        <select id="stamp-tsa" value={tsa} disabled={remote} onChange={(e) => setTsa(e.target.value)}>
          <option value="auto">Automatic (round-robin, failover)</option>
          {tsas.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
        <label htmlFor="stamp-label">Label</label>
        <input id="stamp-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <label htmlFor="stamp-hash">Hash</label>
        <select id="stamp-hash" value={hash} disabled={remote} onChange={(e) => setHash(e.target.value as typeof hash)}>
          <option value="">Default (SHA-512; a chosen TSA's own)</option>
          <option value="sha256">SHA-256</option>
          <option value="sha384">SHA-384</option>
          <option value="sha512">SHA-512</option>
        </select>
        <label>
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Stamp again if already
          stamped
        </label>
        <label>
          <input type="checkbox" checked={qualified} onChange={(e) => setQualified(e.target.checked)} /> Qualified
          time-stamps only (TSAs the EU trusted lists show as qualified)
        </label>
        {qualified && !remote && <QualifiedPlan tsa={tsa} />}
        {server && (
          <label>
            <input type="checkbox" checked={viaServer} onChange={(e) => setViaServer(e.target.checked)} /> Via the
            server ({server}): only the hash leaves, queued while offline
          </label>
        )}
      </div>
      <div className="row">
        <button type="button" className="primary" disabled={busy || files.length === 0} onClick={() => void run()}>
          {busy ? 'Stamping…' : 'Stamp'}
        </button>
        {busy && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
        {job && (
          <progress aria-label="Stamping progress" max={job.total} value={job.done}>
            {job.done} of {job.total}
          </progress>
        )}
        {job && (
          <span className="hint">
            {job.done} of {job.total} file(s)
            {job.bytes && job.bytes.total > 0 ? ` · ${mb(job.bytes.done)} of ${mb(job.bytes.total)} hashed here` : ''}
            {job.state === 'cancelled' ? ' — cancelled' : ''}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="results" aria-label="Stamp results">
        {results.map((r) => (
          <li key={r.file} className={r.error ? 'bad' : r.queued ? 'warn' : 'good'}>
            <strong>{r.file}</strong>
            {r.error ? (
              <>
                <span> — {r.error.message}</span>
                <TsaFailures error={r.error} />
              </>
            ) : r.queued && r.server ? (
              <span> — queued for the server: its hash is sent when the server answers</span>
            ) : r.queued ? (
              <span> — queued: no TSA answered; it is stamped when one does</span>
            ) : (
              <span>
                {' '}
                — {r.existing ? 'already stamped' : 'stamped'} by {r.tsaName} at {r.genTime} (serial {r.serial}) →{' '}
                <code>{r.tsrPath}</code>
              </span>
            )}
            {r.tsrPath && <ShowInFolder path={r.tsrPath} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
