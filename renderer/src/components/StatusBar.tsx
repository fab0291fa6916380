// The status bar: online / offline from the host's reachability check of the enabled TSAs, the ledger's counts, the
// offline queue (with "run it now"), the sync account's state, and the running jobs with their progress and a Cancel
// each (every long job: stamp, seal, verify, restamp, report) — all from pushed events, never polled.
import { useEffect, useState } from 'react';
import type { AppInfo, JobStatus, LedgerSummary, OnlineState, QueueState } from '../../../preload/api.js';
import { api } from '../api.js';
import { SyncIndicator } from './SyncIndicator.js';

function onlineText(s: OnlineState | null): string {
  if (!s || s.online === null) return 'Checking the TSAs…';
  if (s.tsas.length === 0) return 'Offline: no TSA enabled';
  const reachable = s.tsas.filter((t) => t.reachable).length;
  if (!s.online) return `Offline: no TSA answered (${s.tsas.length} tried)`;
  return reachable === s.tsas.length ? 'Online' : `Online: ${reachable} of ${s.tsas.length} TSAs answer`;
}

const percent = (j: JobStatus) => (j.total > 0 ? ` ${Math.floor((100 * j.done) / j.total)}%` : '');

export function StatusBar({ info }: { info: AppInfo | null }) {
  const [online, setOnline] = useState<OnlineState | null>(null);
  const [summary, setSummary] = useState<LedgerSummary | null>(null);
  const [queue, setQueue] = useState<QueueState | null>(null);
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobStatus>>(new Map());
  useEffect(
    () =>
      api().onEvent((e) => {
        if (e.kind === 'online') setOnline(e.state);
        else if (e.kind === 'ledger') setSummary(e.summary);
        else if (e.kind === 'queue') setQueue(e.state);
        else if (e.kind === 'jobs') setJobs(new Map(e.running.map((j) => [j.id, j])));
        else if (e.kind === 'job')
          setJobs((old) => {
            if (!old.has(e.status.id) && e.status.state !== 'running') return old;
            const next = new Map(old);
            if (e.status.state === 'running') next.set(e.status.id, e.status);
            else next.delete(e.status.id);
            return next;
          });
      }),
    [],
  );
  const running = [...jobs.values()];
  const title = online?.tsas
    .map((t) => `${t.name}: ${t.reachable ? 'answers' : (t.message ?? 'no answer')}`)
    .join('\n');
  return (
    <footer className="status" aria-label="Status">
      <span>Sealdesk {info?.version ?? ''}</span>
      <span role="status" aria-label="Online status" title={title}>
        {onlineText(online)}
      </span>
      <span>
        {summary ? `${summary.stamped} stamped` : ''}
        {queue ? ` · ${queue.pending} queued` : ''}
      </span>
      {queue && queue.pending > 0 && (
        <button type="button" className="link" disabled={queue.running} onClick={() => void api().queueRun({})}>
          {queue.running ? 'Running the queue…' : 'Run the queue now'}
        </button>
      )}
      <SyncIndicator />
      <span aria-live="polite" aria-label="Jobs">
        {running.length === 0 && 'no job running'}
        {running.map((j, i) => (
          <span key={j.id}>
            {i > 0 && ' · '}
            {`${j.kind} ${j.done}/${j.total}${percent(j)}${j.paused ? ' (paused)' : ''} `}
            <button
              type="button"
              className="link"
              aria-label={`Cancel the ${j.kind} job`}
              onClick={() => void api().jobsCancel({ id: j.id })}
            >
              Cancel
            </button>
          </span>
        ))}
      </span>
      <span>
        Data: <code>{info?.dataDir ?? ''}</code>
      </span>
    </footer>
  );
}
