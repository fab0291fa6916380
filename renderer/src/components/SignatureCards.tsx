// The signature panel of Verify, Acrobat-style: per file a card, per signature a card in green / amber / red with the
// reason in words; a signature that does not cover the whole document offers "Compare signed version".
import { useState } from 'react';
import type { VerifyItem } from '../../../preload/api.js';
import { qualificationWords, trustSourceWords } from '../lib/qualification-words.js';
import { api } from '../api.js';
import { Verdict, toneOf } from './Verdict.js';
import { outcomeOf, type Verified } from '../lib/verify-outcome.js';
import type { LaterChange, SignedRevision } from './ComparePanel.js';

type Props = {
  readonly item: VerifyItem;
  /** The file's handle, to extract a revision or show the document (null: not known to this window). */
  readonly handle: string | null;
  readonly shown: boolean;
  readonly onShow: () => void;
  readonly onCompare: (signature: SignedRevision, changes: readonly LaterChange[]) => void;
  readonly onError: (message: string) => void;
};

/** Where the signed revision ends: the end of the signature's second byte range. */
const signedEnd = (br: readonly number[] | null): number | null => (br && br.length === 4 ? br[2]! + br[3]! : null);

export function SignatureCards({ item, handle, shown, onShow, onCompare, onError }: Props) {
  const [extracted, setExtracted] = useState<string | null>(null);
  const extract = async (revision: number) => {
    if (!handle) return;
    const saveAs = `${item.file
      .split(/[\\/]/)
      .pop()!
      .replace(/(\.pdf)?$/i, '')}_revision-${revision}.pdf`;
    const r = await api().verifyExtractRevision({ file: handle, revision, saveAs });
    if (r.ok) setExtracted(r.value.path);
    else onError(r.error.message);
  };
  if (item.error)
    return (
      <article className="card bad">
        <h3>{item.file}</h3>
        <p>{item.error.message}</p>
      </article>
    );
  if (item.kind !== 'pdf') return <CompanionCard item={item} />;
  const pdf = item.report;
  return (
    <article
      className={`card ${toneOf(pdf.indication)}${shown ? ' shown' : ''}`}
      aria-label={`Report for ${item.file}`}
    >
      <h3>{item.file}</h3>
      <Verdict indication={pdf.indication} subIndication={pdf.subIndication} />
      {handle && !shown && (
        <button type="button" className="link" onClick={onShow}>
          Show the document
        </button>
      )}
      {pdf.problems.map((p) => (
        <p key={p}>{p}</p>
      ))}
      {extracted && (
        <p className="hint" role="status">
          Signed revision saved to <code>{extracted}</code>
        </p>
      )}
      {pdf.signatures.map((s) => {
        const end = signedEnd(s.byteRange);
        const compare = handle && end !== null && !s.coversWholeDocument;
        const what = s.kind === 'document-timestamp' ? 'document time-stamp' : 'signature';
        return (
          <div
            key={s.index}
            className={`signature ${toneOf(s.indication)}`}
            aria-label={`Signature ${s.index}: ${s.fieldName}`}
          >
            <h4>
              #{s.index} {s.fieldName} — {what} <Verdict indication={s.indication} subIndication={s.subIndication} />
            </h4>
            {s.signer && (
              <p>
                {s.kind === 'document-timestamp' ? 'Time-stamp authority' : 'Signed by'} {s.signer.subject} —{' '}
                {s.signer.trustMessage}
                {s.signer.trust === 'chained' && s.signer.trustSource && ` (${trustSourceWords(s.signer.trustSource)})`}
              </p>
            )}
            {s.qualification && (
              <p className="qualification" aria-label="EU qualified status">
                {qualificationWords(s.qualification)}
              </p>
            )}
            <p className="hint">
              Covers revision {s.revision ?? '?'} of {pdf.revisions}
              {s.coversWholeDocument ? ', the whole document' : ' (later changes listed below)'}
            </p>
            {s.reasons.length > 0 && (
              <ul className="reasons">
                {s.reasons.map((why) => (
                  <li key={why}>{why}</li>
                ))}
              </ul>
            )}
            {compare && (
              <button
                type="button"
                onClick={() => onCompare({ fieldName: s.fieldName, revision: s.revision, end }, s.changesAfter)}
              >
                Compare signed version
              </button>
            )}
            <details>
              <summary>Details</summary>
              {s.timestamp && (
                <p>
                  Time-stamp: {s.timestamp.genTime} by {s.timestamp.tsaName}
                  {s.timestamp.qualification && ` — ${qualificationWords(s.timestamp.qualification)}`}
                </p>
              )}
              <ul>
                {s.changesAfter.map((c, i) => (
                  <li key={i}>
                    {changeWords(c)}: {c.detail}
                  </li>
                ))}
              </ul>
              {handle && s.revision && !s.coversWholeDocument && (
                <button type="button" onClick={() => void extract(s.revision!)}>
                  Extract signed revision {s.revision}
                </button>
              )}
            </details>
          </div>
        );
      })}
    </article>
  );
}

const changeWords = (c: LaterChange) =>
  c.allowed ? 'Allowed' : c.kind === 'unclassified' ? 'Could not be judged' : 'Not allowed';

/** A file verified with its .p7s or as a .p7m (CAdES), or with its .tsr (time-stamp token). */
function CompanionCard({ item }: { item: Exclude<Verified, { kind: 'pdf' }> }) {
  const o = outcomeOf(item);
  return (
    <article className={`card ${toneOf(o.indication)}`} aria-label={`Report for ${item.file}`}>
      <h3>{item.file}</h3>
      <p className="hint">{o.what}</p>
      <Verdict indication={o.indication} subIndication={o.subIndication} />
      {o.lines.length > 0 && (
        <ul className="reasons">
          {o.lines.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
    </article>
  );
}
