// Packaging cannot run here (electron-builder downloads Electron), so its configuration is checked against
// electron-builder's own JSON schema, and against what the app needs from it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const config = yaml.load(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as Record<string, any>;

it('electron-builder.yml is valid against app-builder-lib/scheme.json', () => {
  const schema = JSON.parse(readFileSync(`${root}/node_modules/app-builder-lib/scheme.json`, 'utf8'));
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
});

it('targets AppImage + deb, NSIS, dmg; unpacks native modules; associates .pdf/.p7s/.tsr; ships the CLI', () => {
  expect(config.linux.target).toEqual(['AppImage', 'deb']);
  expect(config.win.target).toEqual(['nsis']);
  expect(config.mac.target).toEqual(['dmg']);
  expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node']));
  expect(config.fileAssociations.map((a: { ext: string }) => a.ext)).toEqual(['pdf', 'p7s', 'tsr']);
  expect(config.files).toEqual(expect.arrayContaining(['dist/**']));
  expect(config.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'dist/cli', to: 'cli' })]));
});
