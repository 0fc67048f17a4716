/**
 * Operator photos: what visitors see next to a reply. Only real PNG, JPEG or
 * WebP images are accepted (checked by their first bytes, not by the header
 * the client claims); the console crops and downsizes before uploading.
 */
import { API_PATHS } from '@parley/protocol';
import type { OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { DomainError } from '../errors.js';
import { operatorProfileUpdater } from './commands.js';

export const AVATAR_MAX_BYTES = 512 * 1024;
export const AVATAR_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type AvatarType = (typeof AVATAR_TYPES)[number];

/** The image type the bytes really are, or null. */
export function sniffImageType(data: Buffer): AvatarType | null {
  if (
    data.length >= 8 &&
    data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'image/png';
  }
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (
    data.length >= 12 &&
    data.toString('ascii', 0, 4) === 'RIFF' &&
    data.toString('ascii', 8, 12) === 'WEBP'
  ) {
    return 'image/webp';
  }
  return null;
}

export function avatarPath(operatorId: string, version: Date): string {
  return `${API_PATHS.avatarImage(operatorId)}?v=${version.getTime()}`;
}

/** Stores the photo and points the operator's avatar URL at it (a new version busts caches). */
export async function avatarUploader(
  ctx: DomainContext,
  operatorId: string,
  data: Buffer,
): Promise<OperatorRow> {
  if (data.length === 0) throw new DomainError('bad_request', 'The image is empty');
  if (data.length > AVATAR_MAX_BYTES)
    throw new DomainError('payload_too_large', 'The image is larger than 512 KB');
  const type = sniffImageType(data);
  if (!type) throw new DomainError('bad_request', 'Upload a PNG, JPEG or WebP image');
  const updatedAt = new Date();
  await ctx.db
    .insertInto('operator_avatars')
    .values({ operator_id: operatorId, content_type: type, data, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.column('operator_id').doUpdateSet({ content_type: type, data, updated_at: updatedAt }),
    )
    .execute();
  return operatorProfileUpdater(ctx, operatorId, { avatarUrl: avatarPath(operatorId, updatedAt) });
}

export async function findAvatar(ctx: Pick<DomainContext, 'db'>, operatorId: string) {
  return ctx.db
    .selectFrom('operator_avatars')
    .select(['content_type', 'data'])
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
}
