/** The team on the wire. */
import type {
  InvitationDTO,
  OperatorRole,
  OwnSessionDTO,
  TeamLinkInfo,
  TeamMemberDTO,
} from '@parley/protocol';
import type { TeamLinkRow } from '../../db/schema.js';
import { mayManageRole } from '../policy/rules.js';
import { describeDevice } from '../visitors/commands.js';
import { linkState } from './links.js';
import type { InvitationRow, MemberRow } from './queries.js';

/**
 * A link is shown only to someone who may manage its role: an admin who could
 * copy an owner's invitation or reset link could become that owner.
 */
const linkFor = (viewer: OperatorRole | undefined, role: OperatorRole, url: string | null) =>
  viewer === undefined || mayManageRole(viewer, role) ? url : null;

/** A member as `viewer` (the role of who asks) may see them; without a viewer, everything (commands' answers). */
export function presentMember(row: MemberRow, viewer?: OperatorRole): TeamMemberDTO {
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
      ? { url: linkFor(viewer, row.role, row.reset_url), expiresAt: row.reset_expires_at.toISOString() }
      : null,
    createdAt: row.created_at.toISOString(),
  };
}

export function presentInvitation(
  row: InvitationRow,
  viewer?: OperatorRole,
  now = new Date(),
): InvitationDTO {
  return {
    id: row.id,
    email: row.email,
    role: row.role ?? 'operator',
    siteIds: row.site_ids,
    invitedBy: row.invited_by_name,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    expired: linkState(row, now) === 'expired',
    url: linkFor(viewer, row.role ?? 'operator', row.url),
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
