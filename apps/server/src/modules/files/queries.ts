/** Reads of stored files. */
import type { Queryable } from '../../db/database.js';
import type { FileRow } from '../../db/schema.js';

/** A file with the visibility of the message that carries it (null while no message does). */
export interface FileWithMessage extends FileRow {
  message_visibility: 'public' | 'internal' | null;
  conversation_visitor_id: string | null;
}

export async function findFile(db: Queryable, id: string): Promise<FileWithMessage | undefined> {
  return db
    .selectFrom('files')
    .leftJoin('messages', 'messages.id', 'files.message_id')
    .leftJoin('conversations', 'conversations.id', 'files.conversation_id')
    .selectAll('files')
    .select([
      'messages.visibility as message_visibility',
      'conversations.visitor_id as conversation_visitor_id',
    ])
    .where('files.id', '=', id)
    .executeTakeFirst();
}
