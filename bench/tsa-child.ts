// A loopback OpenSSL TSA in its own process (as a real TSA is), for benchmarks: prints {url, caFile}, stops on stdin EOF.
import { join } from 'node:path';
import { createTestPki } from '../test/helpers/pki.js';
import { startTsa } from '../test/helpers/tsa-server.js';

const dir = process.argv[2]!;
const pki = await createTestPki(join(dir, 'pki'));
const tsa = await startTsa({ pki });
process.stdout.write(`${JSON.stringify({ url: tsa.url, caFile: pki.caFile })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void tsa.close().then(() => process.exit(0)));
