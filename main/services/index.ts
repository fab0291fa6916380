// Main-process services: plain Node functions over core, one per IPC channel (tested without Electron).
import { countStamps } from '../../core/ledger/index.js';
import type { AppInfo, Channel, JobStatus, RequestOf, Responses } from '../../preload/api.js';
import { serviceContext, type ServiceOptions } from './context.js';
import { certsService, sealService } from './seal.js';
import { trustServices, tsaServices } from './settings.js';
import { historyService, recordService } from './history.js';
import { stampService } from './stamp.js';
import { inspectExportService, inspectService, reportServices, verifyService } from './verify.js';
import { OpenedQueue, desktopServices, type DesktopHooks } from './desktop.js';
import { jobServices } from './jobs.js';
import { queueServices } from './queue.js';
import { tokenServices } from './tokens.js';
import { certificateServices } from './certificates.js';
import { pdfBytesService, previewService } from './preview.js';
import { defaultSealServices } from './default-seal.js';
import { chainService, restampDueService } from './restamp.js';

export type { ServiceOptions, DesktopHooks };
export type { SecretStore } from './desktop.js';
export { OpenedQueue, fileArgs } from './desktop.js';
export type Services = { readonly [C in Channel]: (request: RequestOf<C>) => Promise<Responses[C]> | Responses[C] };

/** The services plus what the shell starts once (the queue timer). */
export type ServicesWithTimers = Services & {
  readonly startQueueTimer: (everyMs?: number) => () => void;
  /** `job:progress`: every job update, for the shell to push to the window. */
  readonly subscribeJobs: (listener: (s: JobStatus) => void) => () => void;
};

export function createServices(opts: ServiceOptions, hooks: DesktopHooks = {}, opened: OpenedQueue = new OpenedQueue()): ServicesWithTimers {
  const c = serviceContext(opts);
  const tsa = tsaServices(c);
  const trust = trustServices(c);
  const desktop = desktopServices(hooks, opened);
  const reports = reportServices(c);
  const queue = queueServices(c);
  const tokens = tokenServices(c);
  const certs = certificateServices(c);
  const defaultSeal = defaultSealServices(c, hooks);
  const jobs = jobServices(c, defaultSeal.passphrase);
  return {
    'app:info': (): AppInfo => ({ name: opts.name ?? 'Sealdesk', version: opts.version, dataDir: opts.dataDir, platform: process.platform }),
    'ledger:summary': () => c.withDb(countStamps),
    'stamp:files': stampService(c),
    'seal:files': sealService(c, defaultSeal.passphrase),
    'certs:list': certsService(c),
    'verify:files': verifyService(c),
    'inspect:token': inspectService(),
    'history:list': historyService(c),
    'tsa:list': tsa.list,
    'tsa:setEnabled': tsa.setEnabled,
    'tsa:add': tsa.add,
    'tsa:move': tsa.move,
    'tsa:test': tsa.test,
    'tsa:failures': tsa.failures,
    'tokens:list': tokens.list,
    'tokens:use': tokens.use,
    'certs:provision': certs.provision,
    'certs:activate': certs.activate,
    'certs:revoke': certs.revoke,
    'pdf:page': previewService(),
    'pdf:bytes': pdfBytesService(),
    'history:record': recordService(c),
    'defaultSeal:state': defaultSeal.state,
    'defaultSeal:protect': defaultSeal.protect,
    'inspect:export': inspectExportService(),
    'trust:list': trust.list,
    'trust:add': trust.add,
    'jobs:stamp': jobs.startStamp,
    'jobs:seal': jobs.startSeal,
    'jobs:verify': jobs.startVerify,
    'jobs:status': jobs.status,
    'jobs:cancel': jobs.cancel,
    'jobs:list': jobs.list,
    'app:opened': desktop.opened,
    'jobs:restamp': jobs.startRestamp,
    'jobs:pause': jobs.pause,
    'jobs:resume': jobs.resume,
    'restamp:due': restampDueService(c),
    'history:chain': chainService(c),
    'desktop:chooseFiles': desktop.chooseFiles,
    'desktop:showInFolder': desktop.showInFolder,
    'verify:report': reports.report,
    'verify:extractRevision': reports.extractRevision,
    'queue:run': queue.run,
    'queue:state': queue.state,
    startQueueTimer: queue.startTimer,
    subscribeJobs: jobs.subscribe,
  };
}
