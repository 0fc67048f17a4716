/**
 * Installation-wide secrets, generated once and kept in the database so every
 * node of a cluster signs and checks with the same key.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';

export async function loadOrCreateSecret(db: Queryable, name: string): Promise<string> {
  await db
    .insertInto('installation_secrets')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('installation_secrets')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}

/** This installation's identity, the same for every node on its database (names its Redis namespace). */
export const loadOrCreateInstallationId = (db: Queryable) => loadOrCreateSecret(db, 'installation_id');
