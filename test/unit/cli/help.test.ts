// The CLI's help: the overview grouped by task on one screen, a page per command (`<command> --help` and
// `help <command>` alike) whose every option the command's parser accepts, and "did you mean" for typos.
import { afterAll, describe, expect, it } from 'vitest';
import { main, COMMAND_NAMES } from '../../../cli/main.js';
import { COMMAND_HELP, commandHelp, didYouMean, overview } from '../../../cli/help/render.js';
import { DEFAULT_PDF_LIMITS } from '../../../core/pdf/limits.js';
import { DEFAULT_ISOLATION_LIMITS } from '../../../core/verify-isolated/runner.js';
import { tempDir } from '../../helpers/tmp.js';

const home = tempDir('help');
afterAll(() => home.remove());

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    stdout: (t: string) => void (out += t),
    stderr: (t: string) => void (err += t),
    env: { SEALDESK_HOME: home.path },
    isTTY: false,
  };
  const code = await main(argv, io);
  return { code, out, err };
}

describe('sealdesk --help', () => {
  it('groups every command by task on one screen, each command once', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    expect(out).toBe(overview());
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    const titles = ['Stamp', 'Seal', 'Verify', 'Archive', 'Settings'].map((t) =>
      lines.findIndex((l) => l.startsWith(t)),
    );
    expect(titles.every((i) => i > 0)).toBe(true);
    expect([...titles].sort((a, b) => a - b)).toEqual(titles);
    for (const name of COMMAND_NAMES)
      expect(
        lines.filter((l) => l.startsWith(`  ${name} `)),
        name,
      ).toHaveLength(1);
    expect(lines.filter((l) => /^\s+seal\b/.test(l))).toHaveLength(1);
  });

  it('is what `sealdesk help` prints; `sealdesk` alone prints it too, as a usage error', async () => {
    expect((await run('help')).out).toBe(overview());
    expect((await run('-h')).out).toBe(overview());
    const none = await run();
    expect(none.code).toBe(2);
    expect(none.out).toMatch(/^Usage:/m);
  });
});

describe('sealdesk <command> --help', () => {
  it('every command has a page: its usage, options and two or three examples', async () => {
    expect(COMMAND_HELP.map((c) => c.name).sort()).toEqual([...COMMAND_NAMES].sort());
    for (const name of COMMAND_NAMES) {
      const page = await run(name, '--help');
      expect(page.code, name).toBe(0);
      expect((await run('help', name)).out).toBe(page.out);
      expect((await run(name, '-h')).out).toBe(page.out);
      expect(page.out).toMatch(new RegExp(`^sealdesk ${name} - `));
      expect(page.out).toMatch(new RegExp(`^Usage:\\n  sealdesk ${name}\\b`, 'm'));
      const examples = page.out.split('Examples:\n')[1]!.trimEnd().split('\n');
      expect(examples.length, name).toBeGreaterThanOrEqual(2);
      expect(examples.length, name).toBeLessThanOrEqual(3);
      for (const e of examples) expect(e, name).toMatch(new RegExp(`^  sealdesk ${name}( |$)`));
      for (const l of page.out.split('\n')) expect(l.length, l).toBeLessThanOrEqual(120);
      expect(page.out).not.toBe(overview());
    }
  });

  it("every option a page names is one the command's parser accepts", async () => {
    for (const c of COMMAND_HELP) {
      const flags = new Set([...c.options.map(([f]) => f), ...c.usage].flatMap((s) => s.match(/--[a-z0-9-]+/g) ?? []));
      for (const flag of flags) {
        // The probe after the flag makes the parser stop with a usage error before the command does anything.
        const r = await run(c.name, ...(c.actions ? [c.actions[0]!] : []), flag, '--zz-probe');
        expect(r.code, `${c.name} ${flag}`).toBe(2);
        expect(r.err, `${c.name} ${flag}`).not.toContain(`Unknown option '${flag}'`);
      }
    }
  });

  it("writes out the verifier's limits as core defines them", () => {
    const page = (commandHelp('verify')?.options ?? []).map(([f, w]) => `${f} ${w}`).join('\n');
    expect(page).toContain(`--max-heap-mb N a worker's heap (default ${DEFAULT_ISOLATION_LIMITS.maxHeapMb})`);
    expect(page).toContain(`--timeout-s N seconds per file (default ${DEFAULT_ISOLATION_LIMITS.timeoutS})`);
    expect(page).toContain(`(default ${DEFAULT_PDF_LIMITS.maxDecodedBytes / 1024 / 1024})`);
    expect(page).toContain(`(default ${DEFAULT_PDF_LIMITS.maxObjects})`);
  });
});

describe('did you mean', () => {
  it('names the option meant, in the usage error', async () => {
    const r = await run('seal', 'contract.pdf', '--levle', 'B-T');
    expect(r.code).toBe(2);
    expect(r.err).toBe("sealdesk: seal: Unknown option '--levle' (did you mean --level?)\n");
    expect((await run('verify', 'a.pdf', '--trsut=ca.pem')).err).toMatch(/did you mean --trust\?/);
    expect((await run('stamp', 'a.txt', '--jsno')).err).toMatch(/did you mean --json\?/);
    const json = await run('restamp', '--expiring-within', '30d', '--dryrun', '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/did you mean --dry-run\?/),
    });
  });

  it('points at the help when nothing is close', async () => {
    const r = await run('history', '--colour');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option '--colour' \(`sealdesk history --help` lists them\)/);
  });

  it('names the command and the action meant', async () => {
    const cmd = await run('verfy', 'a.pdf');
    expect(cmd.code).toBe(2);
    expect(cmd.err).toMatch(/unknown command "verfy" \(did you mean "verify"\?/);
    expect((await run('help', 'stmap')).err).toMatch(/did you mean "stamp"\?/);
    expect((await run('frobnicate')).err).not.toMatch(/did you mean/);
    const action = await run('tsa', 'ad', 'x', 'https://x.example');
    expect(action.code).toBe(2);
    expect(action.err).toMatch(/tsa: unknown action "ad" \(did you mean "add"\? list, add, enable/);
  });

  it('suggests a close word or the one a prefix begins, else nothing', () => {
    expect(didYouMean('levle', ['level', 'label', 'reason'])).toBe('level');
    expect(didYouMean('concur', ['concurrency', 'per-tsa'])).toBe('concurrency');
    expect(didYouMean('out', ['out', 'json'])).toBe('out');
    expect(didYouMean('xyz', ['level', 'label'])).toBeUndefined();
    expect(didYouMean('p', ['p12', 'p7s'])).toBeUndefined();
  });
});
