// A PDF exactly as it was when revision N was complete (the CLI's `verify --extract-revision N --out`, the desktop's
// "Save signed version"): cut in a resource-limited worker, the input never changed, the output never over a file.
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { runIsolated, type IsolationOptions } from '../verify-isolated/index.js';

export type ExtractedRevision = {
  readonly file: string;
  readonly revision: number;
  readonly revisions: number;
  readonly path: string;
  readonly bytes: number;
};

export async function extractRevision(
  file: string,
  revision: number,
  out: string,
  o: IsolationOptions = {},
): Promise<ExtractedRevision> {
  if (!Number.isInteger(revision) || revision < 1)
    throw new UsageError(`a revision is a number from 1, not ${revision}`);
  const path = resolve(file);
  const r = await runIsolated({ kind: 'pdf-revision', file: path, revision, out }, o);
  return { file: path, revision, revisions: r.revisions, path: r.path, bytes: r.bytes };
}
