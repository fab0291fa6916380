// The worker entry bundled beside the CLI (dist/cli/verify-worker.js): the isolated verifier's worker thread.
import '../core/verify-isolated/worker.js';
