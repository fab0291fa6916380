// Lint: typescript-eslint's recommended rules, a few type-aware ones, no file import cycles, and the layering of
// ../shared/ARCHITECTURE.md (folder cycles in core/: scripts/check-layers.mjs).
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const restrict = (files, patterns, paths = [], ignores = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});
const p = (group, message) => ({ group, message });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.tsbuild/**',
      'node_modules/**',
      'renderer/dist/**',
      'test-results/**',
      'bench/.work/**',
      'fuzz/.work/**',
      'fuzz/findings/**',
      '.tmp-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'named exports only' }],
    },
  },
  // File import cycles (folder cycles in core/ are scripts/check-layers.mjs's, run by `npm run lint`).
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: ['*/tsconfig.json'], noWarnOnMultipleProjects: true }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  // Type-aware rules (typescript-eslint's project service): exhaustive switches and promises that are awaited.
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A switch over a union lists every member unless it has a `default:` that decides for the rest.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
    },
  },
  { files: ['test/**', 'bench/**', 'fuzz/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['eslint.config.js', '**/vite.config.ts', 'vitest.config.ts'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['renderer/src/**'], languageOptions: { globals: { ...globals.browser } } },

  // core/: plain Node; never the app shell or the CLI.
  restrict(
    ['core/**'],
    [
      p(['electron'], 'core never imports electron'),
      p(
        ['**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**'],
        'core is imported by the shells, never the reverse',
      ),
      p(['pkcs11js'], 'only core/signers/pkcs11 imports pkcs11js'),
      p(['@aws-sdk/*'], 'only core/signers/kms imports the KMS SDK'),
      p(['better-sqlite3'], 'only core/ledger imports better-sqlite3'),
    ],
    [],
    ['core/ledger/**', 'core/signers/pkcs11/**', 'core/signers/kms/**', 'core/pdf/**', 'core/cms/**'],
  ),
  restrict(
    ['core/ledger/**'],
    [
      p(['electron'], 'core never imports electron'),
      p(
        ['**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**'],
        'core is imported by the shells, never the reverse',
      ),
      p(['pkcs11js', '@aws-sdk/*'], 'signer SDKs belong to core/signers'),
    ],
  ),
  restrict(
    ['core/signers/pkcs11/**'],
    [p(['electron', 'better-sqlite3', '@aws-sdk/*'], 'a signer imports only its own SDK')],
  ),
  restrict(
    ['core/signers/kms/**'],
    [p(['electron', 'better-sqlite3', 'pkcs11js'], 'a signer imports only its own SDK')],
  ),
  restrict(
    ['core/pdf/**'],
    [
      p(['**/cms', '**/cms/**'], 'core/pdf knows nothing of CMS: core/pades composes them'),
      p(['electron', 'better-sqlite3', 'pkcs11js', '@aws-sdk/*'], 'core/pdf is pure'),
    ],
  ),
  restrict(
    ['core/cms/**'],
    [
      p(['**/pdf', '**/pdf/**'], 'core/cms knows nothing of PDF: core/pades composes them'),
      p(['electron', 'better-sqlite3', 'pkcs11js', '@aws-sdk/*'], 'core/cms is pure'),
    ],
  ),

  // sealdesk-server: core only, never the app shell or the CLI.
  restrict(
    ['server/**'],
    [
      p(['electron'], 'the server never imports electron'),
      p(['**/main/**', '**/preload/**', '**/renderer/**', '**/cli/**'], 'the server uses core only'),
      p(['better-sqlite3'], 'the server stores in PostgreSQL (server/db), never the SQLite ledger'),
    ],
  ),

  // The CLI: core only, never the app shell.
  restrict(
    ['cli/**'],
    [
      p(['electron'], 'the CLI never imports electron'),
      p(['**/main/**', '**/preload/**', '**/renderer/**'], 'the CLI uses core only'),
      p(['better-sqlite3'], 'only core/ledger imports better-sqlite3'),
    ],
  ),

  // The renderer talks only to window.api: no Node, no Electron, no core; preload/api types only.
  restrict(
    ['renderer/**'],
    [
      p(
        ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'electron', 'better-sqlite3', 'pkcs11js'],
        'the renderer reaches the system only through window.api',
      ),
      p(['**/core/**', '**/main/**', '**/cli/**'], 'the renderer talks only to window.api'),
    ],
    [],
    ['renderer/vite.config.ts'],
  ),

  // Raw ipcMain only in main/ipc.ts; raw ipcRenderer only in preload/preload.ts.
  restrict(
    ['main/**', 'preload/**', 'core/**', 'cli/**', 'renderer/**', 'test/**'],
    [],
    [
      { name: 'electron', importNames: ['ipcMain'], message: 'register handlers through main/ipc.ts handle()' },
      { name: 'electron', importNames: ['ipcRenderer'], message: 'only preload/preload.ts touches ipcRenderer' },
    ],
    ['main/ipc.ts', 'preload/preload.ts', 'core/**', 'cli/**', 'renderer/**'],
  ),
  restrict(
    ['main/ipc.ts'],
    [],
    [{ name: 'electron', importNames: ['ipcRenderer'], message: 'only preload/preload.ts touches ipcRenderer' }],
  ),
  restrict(
    ['preload/preload.ts'],
    [],
    [{ name: 'electron', importNames: ['ipcMain'], message: 'register handlers through main/ipc.ts handle()' }],
  ),
);
