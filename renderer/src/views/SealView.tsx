// Seal: PDFs sealed inside (PAdES), other files with a .p7s beside them; with a chosen certificate or the default seal,
// or, with a sync account, one of its server's certificates (`seal --remote-cert`: main asks before a file leaves).
import { useEffect, useState } from 'react';
import type { CertificateItem, FileRef, SealItem, ServerCertificate, TsaItem } from '../../../preload/api.js';
import { useJob } from '../useJob.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';
import { ShowInFolder } from '../components/ShowInFolder.js';
import { SealPlacement } from '../components/SealPlacement.js';
import { TsaFailures } from '../components/TsaFailures.js';
import { useAccountServer } from '../components/SyncIndicator.js';

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
/** The certificate select's value for a certificate of the account's server. */
const SERVER = 'server:';

export function SealView() {
  const [files, setFiles] = useState<FileRef[]>([]);
  const [certs, setCerts] = useState<readonly CertificateItem[]>([]);
  const [cert, setCert] = useState('');
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('B-T');
  const [reason, setReason] = useState('');
  const [location, setLocation] = useState('');
  const [contact, setContact] = useState('');
  const [label, setLabel] = useState(''); // `sealdesk seal --label`: kept in the ledger, synced with the record
  const [rsaPss, setRsaPss] = useState(false);
  // As `sealdesk seal --tsa`: '' any enabled TSA in turn (auto), a TSA's slug, or 'none' (PAdES B-B, a .p7s unstamped).
  const [tsa, setTsa] = useState('');
  const [tsas, setTsas] = useState<readonly TsaItem[]>([]);
  useEffect(
    () =>
      void api()
        .tsaList({})
        .then((r) => r.ok && setTsas(r.value.filter((t) => t.enabled && t.url))),
    [],
  );
  const server = useAccountServer();
  const [serverCerts, setServerCerts] = useState<readonly ServerCertificate[]>([]);
  useEffect(() => {
    if (server)
      void api()
        .accountCertificates({})
        .then((r) => setServerCerts(r.ok ? r.value.filter((c) => c.status === 'active') : []));
    else setServerCerts([]);
  }, [server]);
  const remoteCert = cert.startsWith(SERVER) ? cert.slice(SERVER.length) : null;
  const [pin, setPin] = useState('');
  const [showSeal, setShowSeal] = useState(false);
  const [visible, setVisible] = useState<string | undefined>(undefined);
  const firstPdf = files.find((f) => f.kind === 'file' && /\.pdf$/i.test(f.name));
  const needsPin = certs.find((c) => c.id === cert)?.kind === 'pkcs11';
  // A protected default seal without a keychain to keep its passphrase: asked for each time (never stored).
  const [askPassphrase, setAskPassphrase] = useState(false);
  useEffect(
    () =>
      void api()
        .defaultSealState({})
        .then((r) => r.ok && setAskPassphrase(r.value.protected && !r.value.keychain)),
    [],
  );
  const needsPassphrase = cert === '' && askPassphrase;
  // A certificate whose key needs a password the ledger does not keep (a PKCS#12 from `sealdesk cert import --p12`):
  // asked once the seal answers KEY_LOCKED, sent with the next request only (`seal --cert <id> --password-env`).
  const [askPassword, setAskPassword] = useState(false);
  const needsPassword = askPassword && cert !== '' && !remoteCert && !needsPin;
  const sealing = useJob();
  const { job } = sealing;
  const busy = sealing.running;
  const [results, setResults] = useState<readonly SealItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      void api()
        .certsList({})
        .then((r) => r.ok && setCerts(r.value.filter((c) => c.status === 'active'))),
    [],
  );
  useEffect(() => (setPin(''), setAskPassword(false)), [cert]);
  // The PIN goes with the request once and is not kept.
  const run = async () => {
    setError(null);
    setResults([]);
    const sent = {
      files: files.map((f) => f.handle),
      reason: reason || undefined,
      location: location || undefined,
      label: label || undefined,
    };
    const request = remoteCert
      ? { ...sent, remoteCert }
      : {
          ...sent,
          certificateId: cert || undefined,
          level: tsa === 'none' ? ('B-B' as const) : level,
          tsa: tsa || undefined,
          contact: contact || undefined,
          rsaPss: rsaPss || undefined,
          pin: needsPin ? pin : undefined,
          password: needsPassphrase || needsPassword ? pin : undefined,
          visible: showSeal && firstPdf ? visible : undefined,
        };
    setPin('');
    try {
      const done = await sealing.run(() => api().jobsSeal(request));
      if (done.kind === 'seal') setResults(done.results);
      if (done.error) setError(done.error.message);
      if (done.error?.code === 'KEY_LOCKED' && cert && !remoteCert && !needsPin) setAskPassword(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section aria-labelledby="seal-title">
      <h2 id="seal-title">Seal</h2>
      <FilePicker label="Files to seal" files={files} onChange={setFiles} accept="PDFs or other files" />
      <div className="grid">
        <label htmlFor="seal-cert">Certificate</label>
        <select id="seal-cert" value={cert} onChange={(e) => setCert(e.target.value)}>
          <option value="">Default seal of this computer (self-signed)</option>
          {certs
            .filter((c) => c.kind !== 'default')
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          {serverCerts.length > 0 && (
            <optgroup label={`Via the server ${server ?? ''}: the file leaves this computer`}>
              {serverCerts.map((c) => (
                <option key={c.id} value={`${SERVER}${c.id}`}>
                  {c.label} (server)
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {remoteCert && (
          <p className="hint" role="note">
            Each file is sent to {server} and sealed there; Sealdesk asks you first, naming each file and its size.
          </p>
        )}
        {(needsPin || needsPassphrase || needsPassword) && (
          <>
            <label htmlFor="seal-pin">
              {needsPin ? 'Token PIN' : needsPassword ? 'Key password' : 'Default seal passphrase'}
            </label>
            <input
              id="seal-pin"
              type="password"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
          </>
        )}
        <label htmlFor="seal-tsa">Time-stamp</label>
        <select id="seal-tsa" value={tsa} onChange={(e) => setTsa(e.target.value)}>
          <option value="">Any enabled TSA, in order</option>
          {tsas.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
          <option value="none">None (PAdES B-B; the .p7s without a time-stamp)</option>
        </select>
        <label htmlFor="seal-level">Level (PDFs)</label>
        <select
          id="seal-level"
          value={tsa === 'none' ? 'B-B' : level}
          disabled={tsa === 'none'}
          onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}
        >
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              PAdES {l}
            </option>
          ))}
        </select>
        <label htmlFor="seal-reason">Reason</label>
        <input id="seal-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        <label htmlFor="seal-location">Location</label>
        <input id="seal-location" value={location} onChange={(e) => setLocation(e.target.value)} />
        <label htmlFor="seal-contact">Contact</label>
        <input id="seal-contact" value={contact} onChange={(e) => setContact(e.target.value)} />
        <label htmlFor="seal-label">Label</label>
        <input
          id="seal-label"
          maxLength={255}
          placeholder="kept in History, not in the file"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
        />
      </div>
      <label className="row">
        <input type="checkbox" checked={rsaPss} onChange={(e) => setRsaPss(e.target.checked)} /> RSA-PSS for the .p7s of
        other files (RSA keys)
      </label>
      {firstPdf && !remoteCert && (
        <label className="row">
          <input type="checkbox" checked={showSeal} onChange={(e) => setShowSeal(e.target.checked)} /> Visible seal on
          the page
        </label>
      )}
      {showSeal && firstPdf && !remoteCert && <SealPlacement pdf={firstPdf.handle} onChange={setVisible} />}
      <button
        type="button"
        className="primary"
        disabled={busy || files.length === 0 || ((needsPin || needsPassphrase || needsPassword) && !pin)}
        onClick={() => void run()}
      >
        {busy ? 'Sealing…' : 'Seal'}
      </button>
      {busy && (
        <button type="button" onClick={sealing.cancel}>
          Cancel
        </button>
      )}
      {job && (
        <progress aria-label="Sealing progress" max={job.total} value={job.done}>
          {job.done} of {job.total}
        </progress>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="results" aria-label="Seal results">
        {results.map((r) => (
          <li key={r.file} className={r.error ? 'bad' : r.queued ? 'warn' : 'good'}>
            <strong>{r.file}</strong>
            {r.error ? (
              <>
                <span> — {r.error.message}</span>
                <TsaFailures error={r.error} />
              </>
            ) : r.queued && r.server && !r.outputPath ? (
              <span> — queued for the server: sent when it answers (the file must not change meanwhile)</span>
            ) : (
              <span>
                {' '}
                — sealed{r.server ? ' by the server' : ''} (
                {r.format === 'pades' ? `PAdES ${r.level ?? ''}`.trim() : 'CAdES'}
                {r.timestampedBy ? `, time-stamped by ${r.timestampedBy}` : ''}){r.queued ? ', the rest is queued' : ''}{' '}
                → <code>{r.outputPath}</code>
              </span>
            )}
            {r.outputPath && <ShowInFolder path={r.outputPath} />}
            {r.warnings?.map((w) => (
              <p key={w} className="hint">
                Warning: {w}
              </p>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
