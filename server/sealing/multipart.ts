// multipart/form-data for /seal/sign and /seal/verify (@fastify/multipart): every file part read into memory up to
// ctx.limits.maxUploadBytes (larger: 413), text fields by name; unknown parts refused with a 400.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { HttpError } from '../errors.js';

export type Form = { readonly files: Map<string, Buffer>; readonly fields: Map<string, string> };

/** Registers the parser in `scope` (an encapsulated plugin: other routes keep their JSON-only bodies). */
export async function registerMultipart(scope: FastifyInstance, ctx: ServerContext): Promise<void> {
  await scope.register(multipart, {
    limits: { fileSize: ctx.limits.maxUploadBytes, files: 3, fields: 10, fieldSize: 4096, parts: 13 },
    throwFileSizeLimit: true,
  });
}

export async function readForm(
  request: FastifyRequest,
  files: readonly string[],
  fields: readonly string[],
): Promise<Form> {
  if (!request.isMultipart()) throw new HttpError(400, 'the body must be multipart/form-data');
  const form: Form = { files: new Map(), fields: new Map() };
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (!files.includes(part.fieldname)) throw new HttpError(400, `unexpected file field ${part.fieldname}`);
      form.files.set(part.fieldname, await part.toBuffer());
    } else {
      if (!fields.includes(part.fieldname)) throw new HttpError(400, `unexpected field ${part.fieldname}`);
      form.fields.set(part.fieldname, String(part.value));
    }
  }
  return form;
}
