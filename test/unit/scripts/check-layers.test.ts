// scripts/check-layers.mjs (run by `npm run lint`): it names the folder cycles of a core/ tree and fails on them,
// counts type-only and dynamic imports as edges, and passes this repository's core/.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp.js';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'scripts', 'check-layers.mjs');
const work = tempDir('layers');
afterAll(() => work.remove());

function check(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/** A core/ tree under a fresh folder: path (relative to core/) → source. */
function tree(name: string, files: Record<string, string>): string {
  const root = join(work.path, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'core', path)), { recursive: true });
    writeFileSync(join(root, 'core', path), text);
  }
  return root;
}

describe('check-layers', () => {
  it('fails on a three-folder cycle and names it with the files that make each edge', async () => {
    const root = tree('cycle', {
      'cms/build.ts': "import type { Signer } from '../signers/signer.js';\nexport const build = (s: Signer) => s;\n",
      'signers/signer.ts': "import { open } from '../ledger/open.js';\nexport type Signer = ReturnType<typeof open>;\n",
      'ledger/open.ts': "export async function open() {\n  return import('../cms/build.js');\n}\n",
      'errors.ts': 'export class CoreError extends Error {}\n',
      'pdf/read.ts': "import { CoreError } from '../errors.js';\nexport const fail = () => new CoreError();\n",
    });
    const r = await check('--root', root);
    expect(r.code).toBe(1);
    expect(r.out).toContain('folder cycle in core: cms, ledger, signers');
    expect(r.out).toContain('cms -> signers -> ledger -> cms');
    expect(r.out).toContain('ledger -> cms: core/ledger/open.ts');
    expect(r.out).not.toContain('pdf');
    expect(r.out).toContain('1 folder cycle(s)');
  });

  it('passes an acyclic tree, imports inside one folder and comments included', async () => {
    const root = tree('acyclic', {
      'pades/seal.ts':
        "import { a } from './a.js';\nimport { read } from '../pdf/read.js';\nexport const seal = () => a + read;\n",
      'pades/a.ts':
        "// import { seal } from '../seal/x.js';\nimport { seal } from './seal.js';\nexport const a = String(seal);\n",
      'pdf/read.ts': 'export const read = 1;\n',
    });
    const r = await check('--root', root, '--graph');
    expect(r.out).toContain('pades -> pdf  (core/pades/seal.ts)');
    expect(r.out).toContain('core/ has 2 folders, 1 edges, no folder cycle');
    expect(r.code).toBe(0);
  });

  it("passes this repository's core/", async () => {
    const r = await check();
    expect(r.out).toMatch(/no folder cycle/);
    expect(r.code).toBe(0);
  });
});
