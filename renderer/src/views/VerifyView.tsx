// Verify: a sealed PDF, or a file with its .p7s or .tsr (paired by name). The document as pdf.js draws it beside the
// signature panel (one card per signature); "Compare signed version" shows what changed since a signature.
import { useState } from 'react';
import type { FileRef, VerifyItem } from '../../../preload/api.js';
import { api } from '../api.js';
import { ComparePanel, type LaterChange, type SignedRevision } from '../components/ComparePanel.js';
import { DocumentView } from '../components/DocumentView.js';
import { FilePicker } from '../components/FilePicker.js';
import { SignatureCards } from '../components/SignatureCards.js';
import { NO_VERIFY_OPTIONS, requestOptions, VerifyOptions } from '../components/VerifyOptions.js';
import { useJob } from '../useJob.js';

type Comparing = {
  readonly file: string;
  readonly signature: SignedRevision;
  readonly changes: readonly LaterChange[];
};

export function VerifyView({ files, setFiles }: { files: FileRef[]; setFiles: (f: FileRef[]) => void }) {
  const verifying = useJob();
  const busy = verifying.running;
  const [saved, setSaved] = useState<string | null>(null);
  const [results, setResults] = useState<readonly VerifyItem[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [comparing, setComparing] = useState<Comparing | null>(null);
  const [options, setOptions] = useState(NO_VERIFY_OPTIONS);
  const run = async () => {
    setError(null);
    setResults([]);
    setComparing(null);
    try {
      const request = { files: files.map((f) => f.handle), ...requestOptions(options) };
      const done = await verifying.run(() => api().jobsVerify(request));
      if (done.kind === 'verify') setResults(done.results);
      if (done.error) setError(done.error.message);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const exportReport = async () => {
    // Where it goes is chosen in main's save dialog; the PDFs verified are named by their handles.
    const pdfHandles = results.filter((x) => x.kind === 'pdf').map((x) => handleOf(x, files));
    const handles = pdfHandles.every((h) => h !== null) ? (pdfHandles as string[]) : files.map((f) => f.handle);
    const r = await api().verifyReport({ files: handles });
    if (r.ok) setSaved(r.value.path);
    else if (r.error.code !== 'CANCELLED') setError(r.error.message);
  };
  const pdfs = results.filter((r) => r.kind === 'pdf' && !r.error);
  const doc = pdfs.find((r) => r.file === (comparing?.file ?? shown)) ?? pdfs[0];
  const docHandle = doc ? handleOf(doc, files) : null;
  const compare = comparing && docHandle && comparing.file === doc?.file ? comparing : null;
  return (
    <section aria-labelledby="verify-title">
      <h2 id="verify-title">Verify</h2>
      <p className="hint">Offline, against the trust anchors in Settings only.</p>
      <FilePicker
        label="Files to verify"
        files={files}
        onChange={setFiles}
        accept="a sealed PDF, or a file with its .p7s or .tsr"
      />
      <VerifyOptions value={options} onChange={setOptions} />
      <button type="button" className="primary" disabled={busy || files.length === 0} onClick={() => void run()}>
        {busy ? 'Verifying…' : 'Verify'}
      </button>
      {busy && (
        <button type="button" onClick={verifying.cancel}>
          Cancel
        </button>
      )}
      {verifying.job && (
        <progress aria-label="Verification progress" max={verifying.job.total} value={verifying.job.done}>
          {verifying.job.done} of {verifying.job.total}
        </progress>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {results.length > 0 && (
        <div className={compare ? 'verify-split comparing' : docHandle ? 'verify-split' : 'verify-list'}>
          {compare && docHandle && (
            <ComparePanel
              key={`${compare.file}#${compare.signature.end}`}
              file={docHandle}
              signature={compare.signature}
              changes={compare.changes}
              onClose={() => setComparing(null)}
            />
          )}
          {!compare && doc && docHandle && (
            <DocumentView source={{ file: docHandle }} label={`Document: ${doc.file}`} />
          )}
          <div className="verify-cards" role="region" aria-label="Signatures">
            {results.map((r) => (
              <SignatureCards
                key={r.file}
                item={r}
                handle={r.kind === 'pdf' ? handleOf(r, files) : null}
                shown={r === doc}
                onShow={() => (setShown(r.file), setComparing(null))}
                onCompare={(signature, changes) => (
                  setShown(r.file),
                  setComparing({ file: r.file, signature, changes })
                )}
                onError={setError}
              />
            ))}
          </div>
        </div>
      )}
      {results.some((r) => r.kind === 'pdf') && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void exportReport();
          }}
        >
          <button type="submit">Export report (.pdf or .html)…</button>
        </form>
      )}
      {saved && (
        <p className="hint" role="status">
          Report saved to <code>{saved}</code>
        </p>
      )}
    </section>
  );
}

/** The handle main gave for a verified file: the chosen file itself, or the chosen file of that name. */
function handleOf(
  item: VerifyItem,
  files: readonly (string | { readonly handle: string; readonly name: string })[],
): string | null {
  const name = item.file.split(/[\\/]/).pop();
  for (const f of files) {
    if (typeof f === 'string' ? f === item.file : f.name === name) return typeof f === 'string' ? f : f.handle;
  }
  return null;
}
