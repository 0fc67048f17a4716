/** Reads of the team: members with their sites and pending reset, and the invitations not used yet. */
import { sql } from 'kysely';
import type { Queryable } from '../../db/database.js';
import type { OperatorRow, TeamLinkRow } from '../../db/schema.js';

export interface MemberRow extends OperatorRow {
  site_ids: string[];
  reset_expires_at: Date | null;
  reset_url: string | null;
}

/** Everyone on the team, deactivated members included, by name. */
export async function listTeamMembers(db: Queryable, operatorId?: string): Promise<MemberRow[]> {
  let query = db
    .selectFrom('operators')
    .leftJoin('team_links as reset', (join) =>
      join
        .onRef('reset.operator_id', '=', 'operators.id')
        .on('reset.kind', '=', 'password_reset')
        .on('reset.used_at', 'is', null)
        .on('reset.revoked_at', 'is', null),
    )
    .leftJoin('team_link_deliveries as delivery', 'delivery.link_id', 'reset.id')
    .selectAll('operators')
    .select([
      'reset.expires_at as reset_expires_at',
      'delivery.url as reset_url',
      sql<
        string[]
      >`coalesce((SELECT array_agg(site_id ORDER BY site_id) FROM site_operators WHERE operator_id = operators.id), '{}')`.as(
        'site_ids',
      ),
    ]);
  if (operatorId) query = query.where('operators.id', '=', operatorId);
  return query.orderBy(sql`lower(operators.display_name)`).orderBy('operators.id').execute();
}

export async function findTeamMember(db: Queryable, operatorId: string): Promise<MemberRow | undefined> {
  return (await listTeamMembers(db, operatorId))[0];
}

export interface InvitationRow extends TeamLinkRow {
  url: string | null;
  invited_by_name: string | null;
}

/** Invitations not used or revoked yet (expired ones too: they can be re-sent), newest first. */
export async function listInvitations(db: Queryable, linkId?: string): Promise<InvitationRow[]> {
  let query = db
    .selectFrom('team_links')
    .leftJoin('team_link_deliveries as delivery', 'delivery.link_id', 'team_links.id')
    .leftJoin('operators as inviter', 'inviter.id', 'team_links.created_by')
    .selectAll('team_links')
    .select(['delivery.url', 'inviter.display_name as invited_by_name'])
    .where('team_links.kind', '=', 'invitation')
    .where('team_links.used_at', 'is', null)
    .where('team_links.revoked_at', 'is', null);
  if (linkId) query = query.where('team_links.id', '=', linkId);
  return query.orderBy('team_links.created_at', 'desc').orderBy('team_links.id').execute();
}

export async function findInvitation(db: Queryable, linkId: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('team_links')
    .selectAll()
    .where('id', '=', linkId)
    .where('kind', '=', 'invitation');
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}
