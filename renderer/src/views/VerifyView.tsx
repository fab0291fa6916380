// Verify: a sealed PDF, or a file with its .p7s or .tsr (paired by name) — one card per signature.
import { useState } from 'react';
import type { VerifyItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { FilePicker } from '../components/FilePicker.js';
import { useJob } from '../useJob.js';
import { Verdict, toneOf } from '../components/Verdict.js';

type Sig = { index: number; fieldName: string; kind: string; indication: string; subIndication: string | null; reasons: string[]; coversWholeDocument: boolean; revision: number | null; signer: { subject: string; trust: string; trustMessage: string } | null; timestamp: { genTime: string | null; tsaName: string | null } | null; changesAfter: { allowed: boolean; kind: string; detail: string }[] };
type Pdf = { indication: string; subIndication: string | null; signatures: Sig[]; problems: string[]; revisions: number };

export function VerifyView({ files, setFiles }: { files: string[]; setFiles: (f: string[]) => void }) {
  const verifying = useJob();
  const busy = verifying.running;
  const [reportPath, setReportPath] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [results, setResults] = useState<readonly VerifyItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setError(null);
    setResults([]);
    try {
      const done = await verifying.run(() => api().jobsVerify({ paths: files }));
      setResults(done.results as VerifyItem[]);
      if (done.error) setError(done.error.message);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const exportReport = async () => {
    const r = await api().verifyReport({ paths: results.filter((x) => x.kind === 'pdf').map((x) => x.file), out: reportPath.trim() });
    if (r.ok) setSaved(r.value.path);
    else setError(r.error.message);
  };
  return (
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">Verify</h2>
      <p className="hint">Offline, against the trust anchors in Settings only.</p>
      <FilePicker label="Files to verify" files={files} onChange={setFiles} accept="a sealed PDF, or a file with its .p7s or .tsr" />
      <button type="button" className="primary" disabled={busy || files.length === 0} onClick={() => void run()}>{busy ? 'Verifying…' : 'Verify'}</button>
      {busy && <button type="button" onClick={verifying.cancel}>Cancel</button>}
      {verifying.job && <progress aria-label="Verification progress" max={verifying.job.total} value={verifying.job.done}>{verifying.job.done} of {verifying.job.total}</progress>}
      {error && <p role="alert" className="error">{error}</p>}
      {results.map((r) => <Result key={r.file} item={r} onError={setError} />)}
      {results.some((r) => r.kind === 'pdf') && (
        <form className="row" onSubmit={(e) => { e.preventDefault(); void exportReport(); }}>
          <label htmlFor="report-path">Report file (.html or .pdf)</label>
          <input id="report-path" value={reportPath} onChange={(e) => setReportPath(e.target.value)} placeholder="/path/to/report.pdf" spellCheck={false} />
          <button type="submit" disabled={!reportPath.trim()}>Export report</button>
        </form>
      )}
      {saved && <p className="hint" role="status">Report saved to <code>{saved}</code></p>}
    </section>
  );
}

function Result({ item, onError }: { item: VerifyItem; onError: (m: string) => void }) {
  const [extracted, setExtracted] = useState<string | null>(null);
  const extract = async (revision: number) => {
    const out = item.file.replace(/(\.pdf)?$/i, `_revision-${revision}.pdf`);
    const r = await api().verifyExtractRevision({ path: item.file, revision, out });
    if (r.ok) setExtracted(r.value.path);
    else onError(r.error.message);
  };
  if (item.error) return <article className="card bad"><h3>{item.file}</h3><p>{item.error.message}</p></article>;
  if (item.kind !== 'pdf') {
    const c = (item.report as { cades?: { indication: string; subIndication: string | null; problems: string[] } }).cades;
    const t = item.report as { verdict?: { valid: boolean; message: string } };
    return (
      <article className={`card ${c ? toneOf(c.indication) : t.verdict?.valid ? 'good' : 'bad'}`}>
        <h3>{item.file}</h3>
        {c ? <><Verdict indication={c.indication} subIndication={c.subIndication} /><ul>{c.problems.map((p) => <li key={p}>{p}</li>)}</ul></> : <p>{t.verdict?.message}</p>}
      </article>
    );
  }
  const pdf = item.report as Pdf;
  return (
    <article className={`card ${toneOf(pdf.indication)}`} aria-label={`Report for ${item.file}`}>
      <h3>{item.file}</h3>
      <Verdict indication={pdf.indication} subIndication={pdf.subIndication} />
      {pdf.problems.map((p) => <p key={p}>{p}</p>)}
      {extracted && <p className="hint" role="status">Signed revision saved to <code>{extracted}</code></p>}
      {pdf.signatures.map((s) => (
        <div key={s.index} className={`signature ${toneOf(s.indication)}`}>
          <h4>#{s.index} {s.fieldName} — {s.kind === 'document-timestamp' ? 'document time-stamp' : 'signature'} <Verdict indication={s.indication} subIndication={s.subIndication} /></h4>
          {s.signer && <p>{s.kind === 'document-timestamp' ? 'Time-stamp authority' : 'Signed by'} {s.signer.subject} — {s.signer.trustMessage}</p>}
          <p className="hint">Covers revision {s.revision ?? '?'} of {pdf.revisions}{s.coversWholeDocument ? ', the whole document' : ' (later changes listed below)'}</p>
          {s.reasons.length > 0 && <ul className="reasons">{s.reasons.map((why) => <li key={why}>{why}</li>)}</ul>}
          <details>
            <summary>Details</summary>
            {s.timestamp && <p>Time-stamp: {s.timestamp.genTime} by {s.timestamp.tsaName}</p>}
            <ul>{s.changesAfter.map((c, i) => <li key={i}>{c.allowed ? 'Allowed' : c.kind === 'unclassified' ? 'Could not be judged' : 'Not allowed'}: {c.detail}</li>)}</ul>
            {s.revision && !s.coversWholeDocument && <button type="button" onClick={() => void extract(s.revision!)}>Extract signed revision {s.revision}</button>}
          </details>
        </div>
      ))}
    </article>
  );
}
