// Entry of the service host (dist/main/service-host.js): the same loop in an Electron utilityProcess (the app), a Node
// child process (tests, the loopback host) or a worker_threads Worker; only the pipe differs.
import { parentPort } from 'node:worker_threads';
import type { HostPort, ToHost } from './protocol.js';
import { serveHost } from './serve.js';

/** Electron's utilityProcess pipe: messages arrive as events with `data`. */
type ElectronParentPort = { postMessage(m: unknown): void; on(e: 'message', f: (e: { data: ToHost }) => void): void };
const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

function pipe(): HostPort {
  if (electronPort)
    return { post: (m) => electronPort.postMessage(m), onMessage: (f) => electronPort.on('message', (e) => f(e.data)) };
  if (parentPort) {
    const port = parentPort;
    return { post: (m) => port.postMessage(m), onMessage: (f) => port.on('message', f) };
  }
  if (process.send) {
    process.on('disconnect', () => process.exit(0)); // the parent is gone
    return { post: (m) => void process.send!(m), onMessage: (f) => void process.on('message', f) };
  }
  throw new Error('service-host.js runs in a utilityProcess, a child process or a worker thread only');
}

serveHost(pipe());
