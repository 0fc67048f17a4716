/**
 * An operator's email preferences (Settings › Your account) and the
 * one-click unsubscribe of a notification's link. The link carries the
 * operator's `mail_key`, which can do nothing but turn a kind of mail off.
 */
import type { MailPreferencesDTO, UpdateMailPreferencesRequest } from '@parley/protocol';
import type { Db } from '../../../db/database.js';
import type { UnsubscribeKind } from './compose.js';

const COLUMNS = {
  offlineRequests: 'mail_offline_requests',
  missedChats: 'mail_missed_chats',
  digest: 'mail_digest',
} as const;

export async function getMailPreferences(
  db: Db,
  operatorId: string,
): Promise<MailPreferencesDTO | undefined> {
  const row = await db
    .selectFrom('operators')
    .select(['mail_offline_requests', 'mail_missed_chats', 'mail_digest'])
    .where('id', '=', operatorId)
    .executeTakeFirst();
  return (
    row && {
      offlineRequests: row.mail_offline_requests,
      missedChats: row.mail_missed_chats,
      digest: row.mail_digest,
    }
  );
}

export async function mailPreferencesUpdater(
  db: Db,
  operatorId: string,
  changes: UpdateMailPreferencesRequest,
): Promise<MailPreferencesDTO | undefined> {
  const set: Partial<Record<(typeof COLUMNS)[keyof typeof COLUMNS], boolean>> = {};
  for (const key of Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]) {
    const value = changes[key];
    if (value !== undefined) set[COLUMNS[key]] = value;
  }
  if (Object.keys(set).length > 0)
    await db.updateTable('operators').set(set).where('id', '=', operatorId).execute();
  return getMailPreferences(db, operatorId);
}

const KIND_COLUMNS: Record<UnsubscribeKind, (typeof COLUMNS)[keyof typeof COLUMNS]> = {
  'offline-requests': COLUMNS.offlineRequests,
  'missed-chats': COLUMNS.missedChats,
  digest: COLUMNS.digest,
};

/** Turns a kind of mail off for the operator whose key this is; false for an unknown key. */
export async function unsubscriber(db: Db, key: string, kind: UnsubscribeKind): Promise<boolean> {
  const result = await db
    .updateTable('operators')
    .set({ [KIND_COLUMNS[kind]]: false })
    .where('mail_key', '=', key)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
