// Inspect: every field of a time-stamp token and its TSA certificate.
import { useState } from 'react';
import type { InspectedToken } from '../../../preload/api.js';
import { api } from '../api.js';

export function InspectView({ path, setPath }: { path: string; setPath: (p: string) => void }) {
  const [token, setToken] = useState<InspectedToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [out, setOut] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (what: 'token' | 'tsa-certificate') => {
    const r = await api().inspectExport({ path, what, out: out.trim() });
    if (r.ok) setSaved(r.value.path);
    else setError(r.error.message);
  };
  const run = async () => {
    setError(null);
    const r = await api().inspectToken({ path });
    if (r.ok) setToken(r.value);
    else setError(r.error.message);
  };
  return (
    <section aria-labelledby="inspect-title">
      <h2 id="inspect-title">Inspect</h2>
      <form className="row" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <label htmlFor="inspect-path">Token (.tsr)</label>
        <input id="inspect-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/file.tsr" spellCheck={false} />
        <button type="submit" className="primary" disabled={!path.trim()}>Inspect</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {token && (
        <article className={`card ${token.problems.length ? 'bad' : 'good'}`} aria-label="Token fields">
          <dl>
            <dt>Time</dt><dd>{token.genTime}</dd>
            <dt>Authority</dt><dd>{token.tsaName}</dd>
            <dt>Serial</dt><dd><code>{token.serialHex}</code></dd>
            <dt>Policy</dt><dd><code>{token.policyOid}</code></dd>
            <dt>Imprint</dt><dd><code>{token.hashAlgorithm}: {token.imprintHex}</code></dd>
            <dt>Nonce</dt><dd><code>{token.nonceHex ?? 'none'}</code></dd>
            <dt>Signature</dt><dd>{token.signatureValid ? 'verifies with the TSA certificate' : 'does NOT verify'}</dd>
            {token.signer && <><dt>TSA certificate</dt><dd>{token.signer.subject}<br /><span className="hint">issued by {token.signer.issuer}, valid {token.signer.notBefore} to {token.signer.notAfter}</span></dd></>}
            <dt>Certificates</dt><dd>{token.certificateCount}</dd>
          </dl>
          {token.problems.length > 0 && <ul className="reasons">{token.problems.map((p) => <li key={p}>{p}</li>)}</ul>}
          <div className="row">
            <label htmlFor="inspect-out">Save to</label>
            <input id="inspect-out" value={out} onChange={(e) => setOut(e.target.value)} placeholder="/path/to/token.der" spellCheck={false} />
            <button type="button" disabled={!out.trim()} onClick={() => void save('token')}>Save token (DER)</button>
            <button type="button" disabled={!out.trim()} onClick={() => void save('tsa-certificate')}>Save TSA certificate (PEM)</button>
          </div>
          {saved && <p className="hint" role="status">Saved to <code>{saved}</code></p>}
        </article>
      )}
    </section>
  );
}
