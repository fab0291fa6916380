// A job started in main: progress pushed on `job:progress` (IPC, or server-sent events on the loopback host), the
// results read with `jobs:status` when it ends; polling stays as a slow fallback. Cancellable.
import { useEffect, useRef, useState } from 'react';
import type { JobStatus, Result } from '../../preload/api.js';
import { api } from './api.js';

export function useJob() {
  const [job, setJob] = useState<JobStatus | null>(null);
  const current = useRef<string | null>(null);
  const wake = useRef<(() => void) | null>(null);
  useEffect(() => {
    const unsubscribe = api().onJobProgress?.((s) => {
      if (s.id !== current.current) return;
      setJob((old) => ({ ...s, results: old?.results ?? [] }));
      if (s.state !== 'running') wake.current?.();
    });
    return unsubscribe;
  }, []);
  /** Starts the job and resolves with its final status (or throws the error message). */
  const run = async (start: () => Promise<Result<{ readonly id: string }>>): Promise<JobStatus> => {
    const started = await start();
    if (!started.ok) throw new Error(started.error.message);
    current.current = started.value.id;
    for (;;) {
      const s = await api().jobsStatus({ id: started.value.id });
      if (!s.ok) throw new Error(s.error.message);
      setJob(s.value);
      if (s.value.state !== 'running') return s.value;
      // The end arrives as an event; the timer only covers a lost one.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        wake.current = () => (clearTimeout(timer), resolve());
      });
    }
  };
  const cancel = () => job && void api().jobsCancel({ id: job.id });
  return { job, running: job?.state === 'running', run, cancel };
}
