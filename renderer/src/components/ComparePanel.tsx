// "Compare signed version": the revision a signature covers and the document now, page by page; the pixels that differ
// are boxed on both sides and listed in points, pages added or removed are named, and the report's changes that draw
// nothing (validation data, metadata) are listed as such.
import { useEffect, useState } from 'react';
import type { Change } from '../../../preload/api.js';
import { compareRevisions, describeComparison, type PageComparison } from '../lib/compare-revisions.js';
import type { PdfSource } from '../lib/pdf-source.js';
import { ComparePair } from './ComparePair.js';
import { openPdf, type OpenedPdf } from './PagePreviewPdf.js';

export type SignedRevision = { readonly fieldName: string; readonly revision: number | null; readonly end: number };
/** A change a later revision made, as the verification report lists it. */
export type LaterChange = Change;
type Props = {
  readonly file: string;
  readonly signature: SignedRevision;
  readonly changes: readonly LaterChange[];
  readonly onClose: () => void;
};
type Docs = { readonly signed: OpenedPdf; readonly current: OpenedPdf };

/** Change kinds that never draw on a page: validation data, a document time-stamp, the document's metadata. */
const DRAWS_NOTHING = new Set(['dss', 'document-timestamp', 'metadata']);

export function ComparePanel({ file, signature, changes, onClose }: Props) {
  const docs = useBothRevisions({ file, end: signature.end }, { file });
  const [pages, setPages] = useState<PageComparison[]>([]);
  const [finished, setFinished] = useState(false);
  const [shown, setShown] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!docs || 'error' in docs) return;
    let stopped = false;
    setPages([]);
    setFinished(false);
    setFailure(null);
    compareRevisions(
      docs.signed,
      docs.current,
      (c) => setPages((p) => [...p, c]),
      () => stopped,
    )
      .catch((err: Error) => !stopped && setFailure(err.message))
      .finally(() => !stopped && setFinished(true));
    return () => {
      stopped = true;
    };
  }, [docs]);
  const differing = pages.filter((p) => p.status !== 'same');
  const firstPair = pages.find((p) => 'signedPage' in p)?.page;
  const page = shown ?? differing.find((p) => p.status === 'changed' || p.status === 'resized')?.page ?? firstPair ?? 1;
  // The pair shown: the page now and the signed page it is (pages pair by identity: lib/compare-revisions.ts).
  const pair = pages.find((p) => p.page === page && 'signedPage' in p);
  const quiet = changes.filter((c) => DRAWS_NOTHING.has(c.kind));
  const others = changes.filter((c) => !DRAWS_NOTHING.has(c.kind));
  const total = docs && !('error' in docs) ? Math.max(docs.signed.doc.numPages, docs.current.doc.numPages) : null;
  return (
    <section className="compare" aria-labelledby="compare-title">
      <div className="row">
        <h3 id="compare-title">
          Signed version (revision {signature.revision ?? '?'}, "{signature.fieldName}") and the document now
        </h3>
        <button type="button" onClick={onClose}>
          Back to the document
        </button>
      </div>
      {docs && 'error' in docs && (
        <p role="alert" className="error">
          The two versions could not be drawn: {docs.error}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          The comparison stopped: {failure}
        </p>
      )}
      {!finished && !(docs && 'error' in docs) && (
        <p className="hint" role="status">
          Comparing page {Math.min(pages.length + 1, total ?? 1)}
          {total ? ` of ${total}` : ''}…
        </p>
      )}
      {finished && (
        <p role="status" className={differing.length ? 'hint warn' : 'hint ok'}>
          {differing.length
            ? `${differing.length} page(s) look different from when they were signed.`
            : 'No visible change: every page looks as it did when signed.'}
        </p>
      )}
      <ul className="plain differences" aria-label="Visible differences">
        {differing.map((c) => (
          <li key={`${c.status}-${c.page}`}>
            {describeComparison(c)}
            {(c.status === 'changed' || c.status === 'resized') && c.page !== page && (
              <button type="button" className="link" onClick={() => setShown(c.page)}>
                Show page {c.page}
              </button>
            )}
          </li>
        ))}
      </ul>
      {docs && !('error' in docs) && pair && 'signedPage' in pair && (
        <ComparePair
          signed={docs.signed}
          current={docs.current}
          page={page}
          signedPage={pair.signedPage}
          comparison={pair}
          revision={signature.revision}
        />
      )}
      {quiet.length > 0 && (
        <>
          <h4>Changes that draw nothing</h4>
          <ul className="plain" aria-label="Changes that draw nothing">
            {quiet.map((c, i) => (
              <li key={i}>{c.detail}</li>
            ))}
          </ul>
        </>
      )}
      {others.length > 0 && (
        <>
          <h4>Other changes after signing (what they draw, if anything, is boxed above)</h4>
          <ul className="plain" aria-label="Other changes after signing">
            {others.map((c, i) => (
              <li key={i}>
                {c.allowed ? 'Allowed' : 'Not allowed'}: {c.detail}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Both revisions opened for drawing (closed again when the panel goes), or why they could not be. */
function useBothRevisions(signed: PdfSource, current: PdfSource): Docs | { error: string } | null {
  const [docs, setDocs] = useState<Docs | { error: string } | null>(null);
  const { file, end } = signed;
  useEffect(() => {
    let live = true;
    const opened: OpenedPdf[] = [];
    setDocs(null);
    const open = (src: PdfSource) =>
      openPdf(src).then((d) => {
        if (live) opened.push(d);
        else d.close();
        return d;
      });
    Promise.all([open({ file, ...(end === undefined ? {} : { end }) }), open({ file: current.file })]).then(
      ([s, c]) => live && setDocs({ signed: s, current: c }),
      (err: Error) => live && setDocs({ error: err.message }),
    );
    return () => {
      live = false;
      for (const d of opened) d.close();
    };
  }, [file, end, current.file]);
  return docs;
}
