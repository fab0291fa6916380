// Loopback addresses for offline tests.
import { createServer } from 'node:net';

/** A loopback URL with nothing listening: connection refused, as when the machine is offline. */
export async function closedPortUrl(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}/`;
}
