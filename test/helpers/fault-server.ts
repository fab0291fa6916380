// A loopback HTTP proxy for the sync fault tests that answers scripted statuses itself (500, 502, 503, 429 with
// Retry-After, 401…) to chosen requests without forwarding them, and forwards every other request to the real server
// unchanged. It logs what it saw, so a test can tell which requests reached the server and which were answered here.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * One scripted answer: given to the next `times` requests (default 1) whose `METHOD path` matches `match`, after
 * letting the first `skip` of them (default 0) through.
 */
export type Fault = {
  readonly match: RegExp;
  skip?: number;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  times?: number;
};

export type Seen = {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly forwarded: boolean;
};

export type FaultServer = {
  readonly url: string;
  readonly seen: readonly Seen[];
  /** Replaces the script and clears the log. */
  script(faults: readonly Fault[]): void;
  close(): Promise<void>;
};

export async function startFaultServer(target: string): Promise<FaultServer> {
  const upstream = new URL(target);
  let faults: Fault[] = [];
  let seen: Seen[] = [];

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        seen.push({ method: req.method!, path: req.url!, status: up.statusCode!, forwarded: true });
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    const fault = faults.find((f) => (f.times ?? 1) > 0 && f.match.test(key));
    if (fault && (fault.skip ?? 0) > 0) fault.skip = fault.skip! - 1;
    else if (fault) return answer(fault, req, res);
    return forward(req, res);
  });

  const answer = (fault: Fault, req: IncomingMessage, res: ServerResponse) => {
    fault.times = (fault.times ?? 1) - 1;
    req.resume(); // the request is read and dropped: the server never sees it
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, status: fault.status, forwarded: false });
      const body = JSON.stringify(fault.body ?? { error: `scripted ${fault.status}` });
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end(body);
    });
  };
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    get seen() {
      return seen;
    },
    script(list) {
      faults = list.map((f) => ({ ...f }));
      seen = [];
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
