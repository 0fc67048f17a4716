/**
 * Writes of canned replies: create, update, delete. Who may write which is
 * decided here with the policy: a shared reply by the site's owners and
 * admins (`canned.manageShared`), a personal one by its owner alone. Someone
 * else's personal reply answers "not found", like one that does not exist,
 * so nobody learns what colleagues keep for themselves.
 */
import type { CreateCannedReplyRequest, UpdateCannedReplyRequest } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { CannedReplyRow } from '../../db/schema.js';
import { conflict, isUniqueViolation, notFound } from '../errors.js';
import { authorizeOnSite } from '../policy/access.js';
import type { OperatorActor } from '../policy/actors.js';
import { findCannedReply } from './queries.js';

const duplicateShortcut = (shortcut: string) =>
  conflict(`Another canned reply here already has the shortcut /${shortcut}`);

/** Runs a write, turning a clash of shortcuts in one scope into a clear 409. */
async function uniqueShortcut<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateShortcut(shortcut);
    throw error;
  }
}

export async function cannedReplyCreator(
  db: Queryable,
  actor: OperatorActor,
  siteId: string,
  props: CreateCannedReplyRequest,
): Promise<CannedReplyRow> {
  authorizeOnSite(actor, props.scope === 'shared' ? 'canned.manageShared' : 'canned.use', siteId);
  return uniqueShortcut(props.shortcut, () =>
    db
      .insertInto('canned_replies')
      .values({
        site_id: siteId,
        owner_id: props.scope === 'shared' ? null : actor.operatorId,
        shortcut: props.shortcut,
        title: props.title,
        body: props.body,
      })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
}

/** Loads a reply the operator may change: 404 when it is not theirs to see, 403 when shared and their role may not. */
export async function loadCannedReplyForChange(
  db: Queryable,
  actor: OperatorActor,
  id: string,
): Promise<CannedReplyRow> {
  const reply = await findCannedReply(db, id);
  if (!reply || (reply.owner_id !== null && reply.owner_id !== actor.operatorId))
    throw notFound('Canned reply');
  authorizeOnSite(
    actor,
    reply.owner_id === null ? 'canned.manageShared' : 'canned.use',
    reply.site_id,
    'Canned reply',
  );
  return reply;
}

export async function cannedReplyUpdater(
  db: Queryable,
  actor: OperatorActor,
  id: string,
  changes: UpdateCannedReplyRequest,
): Promise<CannedReplyRow> {
  const reply = await loadCannedReplyForChange(db, actor, id);
  const updated = await uniqueShortcut(changes.shortcut ?? reply.shortcut, () =>
    db
      .updateTable('canned_replies')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', reply.id)
      .returningAll()
      .executeTakeFirst(),
  );
  if (!updated) throw notFound('Canned reply');
  return updated;
}

export async function cannedReplyDeleter(db: Queryable, actor: OperatorActor, id: string): Promise<void> {
  const reply = await loadCannedReplyForChange(db, actor, id);
  await db.deleteFrom('canned_replies').where('id', '=', reply.id).execute();
}
