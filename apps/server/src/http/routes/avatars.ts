/**
 * Uploading one's photo (raw image body) and serving photos to widgets and
 * consoles, with headers that keep a crafted file from being run as anything
 * but an image.
 */
import { API_PATHS, type OperatorDTO } from '@parley/protocol';
import { idParams } from '@parley/protocol/schemas';
import type { FastifyInstance } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { notFound } from '../../modules/errors.js';
import {
  AVATAR_MAX_BYTES,
  AVATAR_TYPES,
  avatarUploader,
  findAvatar,
} from '../../modules/operators/avatars.js';
import { presentOperator } from '../../modules/operators/presenter.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';

export function avatarRoutes(app: FastifyInstance, ctx: DomainContext): void {
  app.addContentTypeParser(
    [...AVATAR_TYPES],
    { parseAs: 'buffer', bodyLimit: AVATAR_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.put(
    API_PATHS.avatar,
    { preHandler: requireOperator(ctx.db) },
    async (request): Promise<OperatorDTO> => {
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const updated = await avatarUploader(ctx, principalOf(request).operator.id, body);
      return presentOperator(updated);
    },
  );

  app.get(API_PATHS.avatarImage(':id'), async (request, reply) => {
    const { id } = parse(idParams, request.params, 'path');
    const avatar = await findAvatar(ctx, id);
    if (!avatar) throw notFound('Avatar');
    return reply
      .type(avatar.content_type)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(avatar.data);
  });
}
