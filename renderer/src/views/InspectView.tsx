// Inspect: every field of a time-stamp token and its TSA certificate.
import { useState } from 'react';
import type { FileRef, InspectedToken } from '../../../preload/api.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';

export function InspectView({ files, setFiles }: { files: FileRef[]; setFiles: (f: FileRef[]) => void }) {
  const token0 = files[0];
  const [token, setToken] = useState<InspectedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // `sealdesk inspect --tsa-cert`: certificates a token does not carry, chosen in main's dialog (handles).
  const [tsaCerts, setTsaCerts] = useState<readonly FileRef[]>([]);
  const addTsaCert = async () => {
    const r = await api().desktopChooseFiles({ multiple: true });
    if (r.ok) setTsaCerts((c) => [...c, ...r.value.filter((f) => !c.some((x) => x.handle === f.handle))]);
    else setError(r.error.message);
  };
  const save = async (what: 'token' | 'tsa-certificate') => {
    if (!token0) return;
    const r = await api().inspectExport({ file: token0.handle, what }); // where: main's save dialog
    if (r.ok) setSaved(r.value.path);
    else if (r.error.code !== 'CANCELLED') setError(r.error.message);
  };
  const run = async () => {
    setError(null);
    if (!token0) return;
    const tsaCertificates = tsaCerts.length ? tsaCerts.map((f) => f.handle) : undefined;
    const r = await api().inspectToken({ file: token0.handle, tsaCertificates });
    if (r.ok) setToken(r.value);
    else setError(r.error.message);
  };
  return (
    <section aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect</h2>
      <FilePicker label="Token (.tsr)" files={files} onChange={setFiles} accept="a time-stamp (.tsr)" single />
      <div className="row">
        <button type="button" onClick={() => void addTsaCert()}>
          Add TSA certificate…
        </button>
        {tsaCerts.map((f) => (
          <span key={f.handle} className="hint">
            {f.name}{' '}
            <button
              type="button"
              className="link"
              aria-label={`Remove ${f.name}`}
              onClick={() => setTsaCerts((c) => c.filter((x) => x.handle !== f.handle))}
            >
              Remove
            </button>
          </span>
        ))}
      </div>
      <button type="button" className="primary" disabled={!token0} onClick={() => void run()}>
        Inspect
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {token && (
        <article className={`card ${token.problems.length ? 'bad' : 'good'}`} aria-label="Token fields">
          <dl>
            <dt>Time</dt>
            <dd>{token.genTime}</dd>
            <dt>Authority</dt>
            <dd>{token.tsaName}</dd>
            <dt>Serial</dt>
            <dd>
              <code>{token.serialHex}</code>
            </dd>
            <dt>Policy</dt>
            <dd>
              <code>{token.policyOid}</code>
            </dd>
            <dt>Imprint</dt>
            <dd>
              <code>
                {token.hashAlgorithm}: {token.imprintHex}
              </code>
            </dd>
            <dt>Nonce</dt>
            <dd>
              <code>{token.nonceHex ?? 'none'}</code>
            </dd>
            <dt>Signature</dt>
            <dd>{token.signatureValid ? 'verifies with the TSA certificate' : 'does NOT verify'}</dd>
            {token.signer && (
              <>
                <dt>TSA certificate</dt>
                <dd>
                  {token.signer.subject}
                  <br />
                  <span className="hint">
                    issued by {token.signer.issuer}, valid {token.signer.notBefore} to {token.signer.notAfter}
                  </span>
                </dd>
              </>
            )}
            <dt>Certificates</dt>
            <dd>{token.certificateCount}</dd>
          </dl>
          {token.problems.length > 0 && (
            <ul className="reasons">
              {token.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <button type="button" onClick={() => void save('token')}>
              Save token (DER)…
            </button>
            <button type="button" onClick={() => void save('tsa-certificate')}>
              Save TSA certificate (PEM)…
            </button>
          </div>
          {saved && (
            <p className="hint" role="status">
              Saved to <code>{saved}</code>
            </p>
          )}
        </article>
      )}
    </section>
  );
}
