/** Writes of operators: creation, profile, and the status that decides chat vs. request form. */
import type { OperatorRole, OperatorStatus } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow } from '../../db/schema.js';
import type { DomainContext } from '../context.js';
import { routeSiteQuietly } from '../routing/assigner.js';
import { listSiteIdsOfOperator } from '../sites/queries.js';
import { hashPassword } from './passwords.js';
import { publishSitePresence } from './presence.js';

export interface CreateOperatorProps {
  email: string;
  password: string;
  displayName: string;
  role: OperatorRole;
}

export async function createOperator(db: Queryable, props: CreateOperatorProps): Promise<OperatorRow> {
  return db
    .insertInto('operators')
    .values({
      email: props.email,
      password_hash: await hashPassword(props.password),
      display_name: props.displayName,
      avatar_url: null,
      role: props.role,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ProfileChanges {
  displayName?: string;
  avatarUrl?: string | null;
  status?: OperatorStatus;
}

/**
 * Applies profile changes and, since name, photo and status are what visitors
 * and colleagues see, announces the new presence of every site the operator works on.
 */
export async function operatorProfileUpdater(
  ctx: DomainContext,
  operatorId: string,
  changes: ProfileChanges,
): Promise<OperatorRow> {
  const updated = await ctx.db
    .updateTable('operators')
    .set({
      ...(changes.displayName !== undefined && { display_name: changes.displayName }),
      ...(changes.avatarUrl !== undefined && { avatar_url: changes.avatarUrl }),
      ...(changes.status !== undefined && { status: changes.status }),
    })
    .where('id', '=', operatorId)
    .returningAll()
    .executeTakeFirstOrThrow();
  await publishPresenceOfOperator(ctx, operatorId);
  // Coming online frees up room: waiting chats go to them (routing), oldest first.
  if (changes.status === 'online') await routeSitesOfOperator(ctx, operatorId);
  return updated;
}

export async function routeSitesOfOperator(ctx: DomainContext, operatorId: string): Promise<void> {
  for (const siteId of await listSiteIdsOfOperator(ctx.db, operatorId)) await routeSiteQuietly(ctx, siteId);
}

export async function publishPresenceOfOperator(ctx: DomainContext, operatorId: string): Promise<void> {
  const siteIds = await listSiteIdsOfOperator(ctx.db, operatorId);
  await Promise.all(siteIds.map((siteId) => publishSitePresence(ctx, siteId)));
}
