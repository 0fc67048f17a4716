/** Files on the wire: what a message carries, with the URL to fetch each by. */
import { type AttachmentDTO, FILE_PATHS } from '@parley/protocol';
import type { FileRow, StoredAttachment } from '../../db/schema.js';

/** A file as a message row keeps it (`messages.attachments`). */
export function storedAttachmentOf(row: FileRow): StoredAttachment {
  return { id: row.id, name: row.name, contentType: row.content_type, size: Number(row.size_bytes) };
}

export function presentAttachment(stored: StoredAttachment): AttachmentDTO {
  return { ...stored, url: FILE_PATHS.file(stored.id) };
}
