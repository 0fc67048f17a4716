/**
 * Files over HTTP: uploads (the raw bytes as an `application/octet-stream`
 * body, streamed to the file store and capped while they stream; `?name=` is
 * the file's name) by visitors and by operators, and fetching a stored file by
 * its unguessable id with the caller's own credentials. A file is served with
 * its detected type, `nosniff`, a CSP that runs nothing, and as a download
 * unless it is a raster image.
 */
import type { Readable } from 'node:stream';
import { FILE_LIMITS, FILE_PATHS, IMAGE_FILE_TYPES, type UploadFileResponse } from '@parley/protocol';
import { idParams, uploadFileQuery } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { DomainError, notFound, rateLimited } from '../../modules/errors.js';
import { fileUploader } from '../../modules/files/commands.js';
import { presentAttachment, storedAttachmentOf } from '../../modules/files/presenter.js';
import { readFileSettings } from '../../modules/files/settings.js';
import { loadConversationForOperator } from '../../modules/policy/access.js';
import type { Actor } from '../../modules/policy/actors.js';
import { authenticateOperator, SESSION_COOKIE } from '../../modules/policy/authentication.js';
import { loadFileFor } from '../../modules/policy/file-access.js';
import { findSiteById } from '../../modules/sites/queries.js';
import type { VisitorTokenSigner } from '../../modules/visitors/tokens.js';
import type { RateLimiter } from '../../rate-limit/rate-limiter.js';
import type { FileStore } from '../../storage/file-store.js';
import { principalOf, requireOperator, visitorOf } from '../callers.js';
import { parse } from '../validate.js';

export interface FileRouteDeps {
  ctx: DomainContext;
  store: FileStore;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
}

/** What a stored file may do when a browser opens it: nothing but show an image. */
const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

export function fileRoutes(app: FastifyInstance, deps: FileRouteDeps): void {
  const { ctx, store } = deps;
  // Uploads are read as they arrive, by the route (after authentication), never buffered by a parser.
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  async function upload(
    request: FastifyRequest,
    siteId: string,
    uploader: { kind: 'visitor' | 'operator'; id: string },
  ) {
    const { name } = parse(uploadFileQuery, request.query, 'query');
    const site = await findSiteById(ctx.db, siteId);
    if (!site) throw notFound('Site');
    const settings = readFileSettings((site.settings as { files?: unknown } | null)?.files);
    let row: Awaited<ReturnType<typeof fileUploader>>;
    try {
      row = await fileUploader(ctx.db, store, {
        siteId,
        uploader,
        name,
        body: bodyStream(request),
        settings,
      });
    } catch (error) {
      discardRest(request);
      // The client went away mid-upload: nothing was stored, and nobody is waiting for the answer.
      if ((error as { code?: string }).code === 'ECONNRESET')
        throw new DomainError('bad_request', 'The upload was interrupted; nothing was stored');
      throw error;
    }
    return { file: presentAttachment(storedAttachmentOf(row)) } satisfies UploadFileResponse;
  }

  app.post(FILE_PATHS.widgetFiles, async (request, reply) => {
    const visitor = await visitorOf(ctx.db, deps.signer, request);
    const allowed = await deps.rateLimiter.hit(
      `visitor-upload:${visitor.visitorId}`,
      FILE_LIMITS.visitorUploadsPerMinute,
      60_000,
    );
    if (!allowed) throw rateLimited('Too many files at once; wait a minute');
    const body = await upload(request, visitor.siteId, { kind: 'visitor', id: visitor.visitorId });
    return reply.status(201).send(body);
  });

  app.post(
    FILE_PATHS.conversationFiles(':id'),
    { preHandler: requireOperator(ctx.db) },
    async (request, reply) => {
      const { id } = parse(idParams, request.params, 'path');
      const principal = principalOf(request);
      const conversation = await loadConversationForOperator(ctx.db, principal, 'conversation.reply', id);
      const body = await upload(request, conversation.site_id, {
        kind: 'operator',
        id: principal.operatorId,
      });
      return reply.status(201).send(body);
    },
  );

  app.get(FILE_PATHS.file(':id'), async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const file = await loadFileFor(ctx.db, await callerOf(request), id);
    const image = IMAGE_FILE_TYPES.includes(file.content_type);
    const stream = await store.get(file.storage_key);
    return reply
      .type(file.content_type)
      .header('content-length', file.size_bytes)
      .header('content-disposition', contentDisposition(image ? 'inline' : 'attachment', file.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', FILE_CSP)
      .header('cross-origin-resource-policy', 'same-origin')
      .header('cache-control', 'private, max-age=86400')
      .send(stream);
  });

  /** An operator by the session cookie, else a visitor by the bearer token: whoever it is, the policy decides. */
  async function callerOf(request: FastifyRequest): Promise<Actor> {
    const operator = await authenticateOperator(ctx.db, request.cookies[SESSION_COOKIE]);
    if (operator) return operator;
    if (!request.headers.authorization) throw new DomainError('unauthorized', 'Log in first');
    return visitorOf(ctx.db, deps.signer, request);
  }
}

async function* nothing(): AsyncGenerator<Uint8Array> {}

/**
 * After a refusal, reads and drops what the client is still sending, so it
 * finishes and reads the answer (a browser that is cut off mid-send shows a
 * network error instead of "too large"); a client that goes on past the
 * largest file any site allows is cut off.
 */
function discardRest(request: FastifyRequest): void {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > FILE_LIMITS.maxBytes) raw.destroy();
  });
  raw.resume();
}

function bodyStream(request: FastifyRequest): AsyncIterable<Uint8Array> {
  const body = request.body as Readable | undefined;
  // An empty body never reaches the parser: it is an empty file, refused as such.
  if (body === undefined && request.headers['content-type'] === 'application/octet-stream') return nothing();
  if (!body || typeof (body as Partial<Readable>).iterator !== 'function')
    throw new DomainError('unsupported_type', "Send the file's bytes as application/octet-stream");
  // Not destroyed when reading stops early: a refused upload's answer still has to reach the client.
  return body.iterator({ destroyOnReturn: false });
}

/** `Content-Disposition` with the name for every browser: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}
