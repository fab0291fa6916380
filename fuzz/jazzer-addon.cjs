// Preloaded (node --require) before Jazzer.js: when fuzz/build-jazzer-addon.sh built the libFuzzer addon here (for hosts
// whose glibc is older than the 2.38 the npm prebuilt needs), Jazzer loads that one instead of its prebuilt.
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file node --require loads */
const Module = require('node:module');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const local = join(__dirname, '.work', 'jazzer', `fuzzer-${process.platform}-${process.arch}.node`);
if (existsSync(local)) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (/[\\/]prebuilds[\\/]fuzzer-[\w-]+\.node$/.test(request)) return local;
    return resolve.call(this, request, ...rest);
  };
}
