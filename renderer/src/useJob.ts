// A job started in main, followed by polling (the same over IPC and the loopback host), cancellable.
import { useState } from 'react';
import type { JobStatus, Result } from '../../preload/api.js';
import { api } from './api.js';

export function useJob() {
  const [job, setJob] = useState<JobStatus | null>(null);
  /** Starts the job and resolves with its final status (or throws the error message). */
  const run = async (start: () => Promise<Result<{ readonly id: string }>>): Promise<JobStatus> => {
    const started = await start();
    if (!started.ok) throw new Error(started.error.message);
    for (;;) {
      const s = await api().jobsStatus({ id: started.value.id });
      if (!s.ok) throw new Error(s.error.message);
      setJob(s.value);
      if (s.value.state !== 'running') return s.value;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const cancel = () => job && void api().jobsCancel({ id: job.id });
  return { job, running: job?.state === 'running', run, cancel };
}
