// The CLI's window on the process: streams, environment, terminal; injectable so tests run commands in-process.
export type CliIo = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  /** Asks for a secret when a person is at the terminal; absent when nobody can answer (scripts, tests). */
  readonly askSecret?: (question: string) => Promise<string>;
  /** Asks a yes/no question when stdin is a terminal (`seal --remote-cert`); absent when nobody can answer. */
  readonly confirm?: (question: string) => Promise<boolean>;
};

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    // node:readline loads only when a secret is asked for.
    askSecret: process.stdin.isTTY ? async (q) => (await import('./prompt.js')).promptSecret(q) : undefined,
    confirm: process.stdin.isTTY ? async (q) => (await import('./prompt.js')).promptYesNo(q) : undefined,
  };
}
