// Seed 001 POST /seal/verify (public, multipart: file, p7s?, tsr?): with a p7s, CAdES verification of the original
// file; otherwise the file is a sealed PDF (PAdES). 400 for no file, a malformed .p7s or PDF, a hash mismatch.
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';
import { readForm, registerMultipart } from '../sealing/multipart.js';
import { verifyUpload } from '../sealing/verify.js';

export async function sealVerifyRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    await registerMultipart(scope, ctx);
    scope.post('/seal/verify', { config: { auth: 'public' } }, async (request) => {
      const form = await readForm(request, ['file', 'p7s', 'tsr'], []);
      const file = form.files.get('file');
      if (!file) throw new HttpError(400, 'no file provided');
      return verifyUpload(ctx, { file, p7s: form.files.get('p7s'), tsr: form.files.get('tsr') });
    });
  });
}
