// A job started in the service host: its progress and its end are pushed (window.api.onEvent, no polling); the
// results are read once with `jobs:status` when it ends. Cancellable.
import { useEffect, useRef, useState } from 'react';
import type { JobStatus, Result } from '../../preload/api.js';
import { api } from './api.js';

export function useJob() {
  const [job, setJob] = useState<JobStatus | null>(null);
  const current = useRef<string | null>(null);
  const ended = useRef<(() => void) | null>(null);
  useEffect(
    () =>
      api().onEvent((e) => {
        if (e.kind !== 'job' || e.status.id !== current.current) return;
        // A pushed status carries no results: once they were read (the job ended), a late event does not drop them.
        setJob((old) => (old?.id === e.status.id && old.results.length > 0 ? old : e.status));
        if (e.status.state !== 'running') ended.current?.();
      }),
    [],
  );
  /** Starts the job and resolves with its final status (or throws the error message). */
  const run = async (start: () => Promise<Result<{ readonly id: string }>>): Promise<JobStatus> => {
    const started = await start();
    if (!started.ok) throw new Error(started.error.message);
    const id = started.value.id;
    // Listening before the first read: an end pushed between the two is not missed.
    const end = new Promise<void>((resolve) => (ended.current = resolve));
    current.current = id;
    const first = await api().jobsStatus({ id });
    if (!first.ok) throw new Error(first.error.message);
    setJob(first.value);
    if (first.value.state === 'running') await end;
    ended.current = null;
    const last = first.value.state === 'running' ? await api().jobsStatus({ id }) : first;
    if (!last.ok) throw new Error(last.error.message);
    setJob(last.value);
    return last.value;
  };
  const cancel = () => job && void api().jobsCancel({ id: job.id });
  return { job, running: job?.state === 'running', run, cancel };
}
