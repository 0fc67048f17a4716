/**
 * Who may fetch a stored file. Operators: files of messages on the sites they
 * work on, and their own uploads. Visitors: files of public messages in their
 * own conversations (never a note's), and their own uploads. Anything else is
 * 404, like an id that does not exist, so nobody can probe for files.
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
  const ownUpload = file.uploader_kind === actor.kind && file.uploader_id === uploaderIdOf(actor);
  if (actor.kind === 'operator') {
    if (!actor.siteIds.includes(file.site_id)) return false;
    return ownUpload || (file.message_id !== null && roleMay(actor.role, 'conversation.view'));
  }
  if (file.site_id !== actor.siteId) return false;
  return (
    ownUpload || (file.message_visibility === 'public' && file.conversation_visitor_id === actor.visitorId)
  );
}

const uploaderIdOf = (actor: Actor) => (actor.kind === 'operator' ? actor.operatorId : actor.visitorId);
