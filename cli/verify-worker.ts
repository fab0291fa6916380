// The isolated verifier's worker entry beside the built CLI (dist/cli/verify-worker.js, core/verify-isolated): loads
// the verifier (verify-worker.cjs, core/verify-isolated/worker.ts with its libraries) through the V8 code cache. When
// this run had no usable cache, it is written just before the first answer, so it holds the code a verification
// compiles and is complete before the caller can stop the worker.
import { fileURLToPath } from 'node:url';
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { defaultHome } from '../core/home.js';
import { cacheDirs, loadBundle, type BundleInfo } from './code-cache.js';

/** Set by scripts/build.mjs: the verifier bundle's file name (beside this file), hash and charset. */
declare const SEALDESK_WORKER_BUNDLE: Omit<BundleInfo, 'file'> & { readonly name: string };

const file = fileURLToPath(new URL(SEALDESK_WORKER_BUNDLE.name, import.meta.url));
const home = process.env.SEALDESK_HOME || defaultHome(process.env);
const loaded = loadBundle({ ...SEALDESK_WORKER_BUNDLE, file }, 'verify-worker', cacheDirs(file, home));

const port = parentPort;
if (loaded.cacheMissing && port) {
  const post = port.postMessage.bind(port);
  port.postMessage = (value: { started?: boolean }, transfer?: readonly TransferListItem[]) => {
    if (!value?.started) {
      port.postMessage = post;
      loaded.save();
    }
    post(value, transfer);
  };
}
