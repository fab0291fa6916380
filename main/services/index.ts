// The services: plain Node functions over core, one per IPC channel (tested without Electron), run by the worker
// host (main/host) in the app, plus the events they push (jobs, queue, ledger, online) and their timers.
import { countStamps } from '../../core/ledger/index.js';
import type { AppInfo, JobStatus, QueueState, RequestOf, Responses, ServiceChannel } from '../../preload/api.js';
import { serviceContext, type ServiceOptions } from './context.js';
import { certsService, sealService } from './seal.js';
import { trustServices, tsaServices } from './settings.js';
import { historyService, importService, lookupService, recordService } from './history.js';
import { qualifiedPlanService, stampService } from './stamp.js';
import { inspectExportService, inspectService, reportServices, verifyService, verifyTotal } from './verify.js';
import { OpenedQueue, type DesktopHooks } from './desktop.js';
import { jobServices } from './jobs.js';
import { queueServices } from './queue.js';
import { tokenServices } from './tokens.js';
import { certificateServices } from './certificates.js';
import { pdfBytesService, previewService } from './preview.js';
import { defaultSealServices } from './default-seal.js';
import { chainService, restampDueService, restampOneService } from './restamp.js';
import { EventHub, coalesceJobs, type SubscribeEvents } from './events.js';
import { reachability } from './reachability.js';
import { accountServices, accountStore } from './account.js';
import { syncServices } from './sync.js';
import { remoteWork } from './remote.js';

export type { ServiceOptions, DesktopHooks };
export type { SecretStore } from './desktop.js';
export { OpenedQueue, fileArgs } from './desktop.js';
/** Main answers MAIN_SIDE_CHANNELS itself (main/main-side.ts): the services never see a handle or a dialog. */
export type Services = {
  readonly [C in ServiceChannel]: (request: RequestOf<C>) => Promise<Responses[C]> | Responses[C];
};

/** The services plus what the shell starts once (the queue timer). */
export type ServicesWithTimers = Services & {
  readonly startQueueTimer: (everyMs?: number) => () => void;
  /** `job:progress`: every job update, for the shell to push to the window. */
  readonly subscribeJobs: (listener: (s: JobStatus) => void) => () => void;
  /** Every pushed event; a new subscriber first gets the latest state of each kind. */
  readonly subscribeEvents: SubscribeEvents;
  /** The queue timer and the TSA reachability checks; returns the stop function. */
  readonly startTimers: (o?: {
    queueEveryMs?: number;
    reachabilityEveryMs?: number;
    syncEveryMs?: number;
  }) => () => void;
  /** The account in the keychain changed (main signed in or out, in the app): the ledger and sync follow it. */
  readonly accountChanged: () => Promise<void>;
  /** Stops the timers and closes the ledger connection (the host's shutdown). */
  readonly close: () => void;
};

/** After these the ledger summary and the queue are read again (and pushed if they changed). */
const CHANGES: readonly ServiceChannel[] = [
  'stamp:files',
  'seal:files',
  'certs:provision',
  'certs:activate',
  'certs:revoke',
  'certs:importP12',
  'tokens:use',
  'trust:add',
  'trust:remove',
  'import:files',
  'restamp:one',
  'label:set',
];
/** After these the TSAs' reachability is checked again. */
const TSA_CHANGES: readonly ServiceChannel[] = [
  'tsa:add',
  'tsa:setEnabled',
  'tsa:move',
  'tsa:remove',
  'stamp:files',
  'seal:files',
];

/** `_opened`: no longer used (main's side answers app:opened); kept so older callers compile. */
export function createServices(
  opts: ServiceOptions,
  hooks: DesktopHooks = {},
  _opened?: OpenedQueue,
): ServicesWithTimers {
  const c = serviceContext(opts);
  const tsa = tsaServices(c);
  const trust = trustServices(c);
  const reports = reportServices(c);
  const queue = queueServices(c);
  const tokens = tokenServices(c);
  const certs = certificateServices(c);
  const defaultSeal = defaultSealServices(c, hooks);
  const remote = remoteWork(c, accountStore(hooks)); // "via server": the account's client
  const jobs = jobServices(c, defaultSeal.passphrase, remote);
  const hub = new EventHub(() => {
    refresh();
    void reach.check();
  });
  const reach = reachability(
    c,
    (state) => hub.emit({ kind: 'online', state }),
    Math.min(opts.tsaTimeoutMs ?? 5000, 5000),
  );
  const account = accountServices(hooks, (a) => sync.accountChanged(a));
  const sync = syncServices(c, account.store, (status) => hub.emit({ kind: 'sync', status }), {
    timeoutMs: Math.min(opts.tsaTimeoutMs ?? 5000, 5000),
  });
  const emitQueue = () =>
    void queue.state().then(
      (state) => hub.emit({ kind: 'queue', state }),
      () => undefined,
    );
  const refresh = () => {
    void c.withDb(countStamps).then(
      (summary) => hub.emit({ kind: 'ledger', summary }),
      () => undefined,
    );
    emitQueue();
    sync.changed(); // the pending count, and a background run when online
  };
  jobs.subscribe(
    coalesceJobs((status, edge) => {
      hub.emit({ kind: 'job', status });
      if (!edge) return;
      hub.emit({ kind: 'jobs', running: jobs.list() });
      if (status.state === 'running') return;
      refresh();
      if (status.kind !== 'verify') void reach.check(); // after a real stamp succeeded or failed
    }),
  );
  /** The queue run, its start and end pushed. */
  const runQueue = async (): Promise<QueueState> => {
    const running = queue.run();
    emitQueue();
    const state = await running;
    refresh();
    void reach.check();
    return state;
  };
  const stops: (() => void)[] = [];
  const startQueueTimer = (everyMs = 60_000) => {
    const timer = setInterval(
      () =>
        void queue.state().then(
          (q) => (q.pending > 0 ? runQueue() : undefined),
          () => undefined,
        ),
      everyMs,
    );
    timer.unref();
    return () => clearInterval(timer);
  };
  const services = {
    'app:info': (): AppInfo => ({
      name: opts.name ?? 'Sealdesk',
      version: opts.version,
      dataDir: opts.dataDir,
      platform: process.platform,
    }),
    'ledger:summary': () => c.withDb(countStamps),
    'stamp:files': stampService(c, remote),
    'seal:files': sealService(c, defaultSeal.passphrase, remote),
    'certs:list': certsService(c),
    'verify:files': verifyService(c),
    'inspect:token': inspectService(),
    'history:list': historyService(c),
    'tsa:list': tsa.list,
    'tsa:setEnabled': tsa.setEnabled,
    'tsa:add': tsa.add,
    'tsa:move': tsa.move,
    'tsa:remove': tsa.remove,
    'tsa:test': tsa.test,
    'tsa:failures': tsa.failures,
    'tokens:list': tokens.list,
    'tokens:use': tokens.use,
    'certs:provision': certs.provision,
    'certs:activate': certs.activate,
    'certs:revoke': certs.revoke,
    'certs:importP12': certs.importP12,
    'pdf:page': previewService(),
    'pdf:bytes': pdfBytesService(),
    'history:record': recordService(c),
    'history:lookup': lookupService(c),
    'defaultSeal:state': defaultSeal.state,
    'defaultSeal:protect': defaultSeal.protect,
    'inspect:export': inspectExportService(),
    'trust:list': trust.list,
    'trust:add': trust.add,
    'trust:remove': trust.remove,
    'jobs:stamp': jobs.startStamp,
    'jobs:seal': jobs.startSeal,
    'jobs:verify': jobs.startVerify,
    'jobs:status': jobs.status,
    'jobs:cancel': jobs.cancel,
    'jobs:list': jobs.list,
    'jobs:restamp': jobs.startRestamp,
    'jobs:pause': jobs.pause,
    'jobs:resume': jobs.resume,
    'restamp:due': restampDueService(c),
    'history:chain': chainService(c),
    'import:files': importService(c),
    'restamp:one': restampOneService(c, remote),
    // Verifies again and writes: long for big files, so a `report` job (progress, cancel from the status bar).
    'verify:report': (r) =>
      jobs.runAsJob('report', verifyTotal(r.paths), (signal, progress) =>
        reports.report(r, { signal, onItem: progress }),
      ),
    'verify:extractRevision': reports.extractRevision,
    'queue:run': runQueue,
    'queue:state': queue.state,
    'queue:list': queue.list,
    'stamp:qualifiedPlan': qualifiedPlanService(c),
    'account:login': account.login,
    'account:status': account.state,
    'account:logout': account.logout,
    'account:certificates': remote.certificates,
    'sync:now': sync.now,
    'sync:status': sync.status,
    'label:set': sync.label,
  } satisfies Services;
  for (const channel of new Set([...CHANGES, ...TSA_CHANGES])) {
    const call = services[channel] as (r: unknown) => unknown;
    (services as Record<ServiceChannel, (r: unknown) => unknown>)[channel] = async (r: unknown) => {
      try {
        return await call(r);
      } finally {
        if (CHANGES.includes(channel)) refresh();
        if (TSA_CHANGES.includes(channel)) void reach.check();
      }
    };
  }
  return {
    ...services,
    startQueueTimer,
    subscribeJobs: jobs.subscribe,
    subscribeEvents: hub.subscribe,
    accountChanged: async () => sync.accountChanged(await account.store.read()),
    startTimers: (o = {}) => {
      const stop = [startQueueTimer(o.queueEveryMs), reach.start(o.reachabilityEveryMs), sync.start(o.syncEveryMs)];
      stops.push(...stop);
      return () => stop.forEach((s) => s());
    },
    close: () => {
      for (const s of stops.splice(0)) s();
      c.close();
    },
  };
}
