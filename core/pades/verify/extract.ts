// "Extract signed revision": the file exactly as it was when revision N was complete (what a signature saw).
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { StagedFile } from '../../fs/staged.js';
import { FileSource, revisionEnds } from '../../pdf/index.js';

export async function extractRevision(
  path: string,
  revision: number,
  out: string,
): Promise<{ path: string; bytes: number; revisions: number }> {
  const src = FileSource.open(path);
  const ends = revisionEnds(src);
  src.close();
  if (!Number.isInteger(revision) || revision < 1 || revision > ends.length)
    throw new UsageError(`${path} has ${ends.length} revision(s); there is no revision ${revision}`);
  const target = resolve(out);
  const staged = await StagedFile.create(target);
  try {
    await staged.copyFrom(path, [], ends[revision - 1]!);
    await staged.publishNew(target);
  } catch (err) {
    await staged.discard();
    throw err;
  }
  return { path: target, bytes: ends[revision - 1]!, revisions: ends.length };
}
