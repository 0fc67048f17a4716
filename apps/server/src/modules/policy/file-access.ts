/**
 * Who may fetch a stored file: only a file some message carries. Operators:
 * files of messages on the sites they work on. Visitors: files of public
 * messages in their own conversations (never a note's). An upload no message
 * carries yet (or any more: its conversation was deleted) is nobody's to
 * fetch. Anything else is 404, like an id that does not exist, so nobody can
 * probe for files.
 */
import type { Queryable } from '../../db/database.js';
import { notFound } from '../errors.js';
import { type FileWithMessage, findFile } from '../files/queries.js';
import type { Actor } from './actors.js';
import { roleMay } from './rules.js';

export async function loadFileFor(db: Queryable, actor: Actor, fileId: string): Promise<FileWithMessage> {
  const file = await findFile(db, fileId);
  if (!file || !mayFetch(actor, file)) throw notFound('File');
  return file;
}

function mayFetch(actor: Actor, file: FileWithMessage): boolean {
  if (file.site_id === null || file.message_id === null) return false;
  if (actor.kind === 'operator')
    return actor.siteIds.includes(file.site_id) && roleMay(actor.role, 'conversation.view');
  return (
    file.site_id === actor.siteId &&
    file.message_visibility === 'public' &&
    file.conversation_visitor_id === actor.visitorId
  );
}
