/** The team on the wire. */
import type { InvitationDTO, OwnSessionDTO, TeamLinkInfo, TeamMemberDTO } from '@parley/protocol';
import type { TeamLinkRow } from '../../db/schema.js';
import { describeDevice } from '../visitors/commands.js';
import { linkState } from './links.js';
import type { InvitationRow, MemberRow } from './queries.js';

export function presentMember(row: MemberRow): TeamMemberDTO {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    role: row.role,
    status: row.deactivated_at ? 'offline' : row.status,
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
    siteIds: row.site_ids,
    passwordReset: row.reset_expires_at
      ? { url: row.reset_url, expiresAt: row.reset_expires_at.toISOString() }
      : null,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentInvitation(row: InvitationRow, now = new Date()): InvitationDTO {
  return {
    id: row.id,
    email: row.email,
    role: row.role ?? 'operator',
    siteIds: row.site_ids,
    invitedBy: row.invited_by_name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    expired: linkState(row, now) === 'expired',
    url: row.url,
  };
}

export function presentLinkInfo(row: TeamLinkRow, now = new Date()): TeamLinkInfo {
  return {
    kind: row.kind,
    state: linkState(row, now),
    email: row.email,
    role: row.role,
    expiresAt: row.expires_at.toISOString(),
  };
}

export function presentOwnSession(
  row: { token_hash: string; user_agent: string | null; created_at: Date; last_seen_at: Date },
  currentId: string,
): OwnSessionDTO {
  const device = row.user_agent ? describeDevice(row.user_agent) : { browser: null, os: null };
  return {
    id: row.token_hash,
    ...device,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    current: row.token_hash === currentId,
  };
}
