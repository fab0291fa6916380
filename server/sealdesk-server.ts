// The `sealdesk-server` executable: starts the server, stops it cleanly on SIGINT/SIGTERM (in-flight requests finish,
// the database closes), exits 1 with the reason when it cannot start.
import { startServer } from './main.js';

try {
  const stop = await startServer(process.argv.slice(2), process.env);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (err) {
  process.stderr.write(`sealdesk-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
