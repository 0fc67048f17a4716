/**
 * The team's contract: members, invitations, password-reset links, one's own
 * sessions. Who may do what is in the server's policy module and
 * docs/permissions.md; the shapes are here, for server and console alike.
 */
import type { OperatorRole, OperatorStatus } from './dto.js';
import type { SessionResponse } from './http.js';

type Timestamp = string;

/**
 * Whom each role may invite, change, deactivate, reactivate, reset and grant
 * sites to — and which roles it may give: owners anyone, admins admins and
 * operators (never an owner), operators nobody. The server's policy decides
 * by it; the console offers only what it allows.
 */
export const MANAGEABLE_ROLES: Readonly<Record<OperatorRole, readonly OperatorRole[]>> = {
  owner: ['owner', 'admin', 'operator'],
  admin: ['admin', 'operator'],
  operator: [],
};

/** How long a one-time link (invitation, password reset) stays valid. */
export const TEAM_LINK_TTL_DAYS = 7;

/** A colleague as owners and admins see them on the team page. */
export interface TeamMemberDTO {
  id: string;
  email: string;
  displayName: string;
  avatarUrl: string | null;
  role: OperatorRole;
  status: OperatorStatus;
  /** Set while the member is deactivated (no login); null when active. */
  deactivatedAt: Timestamp | null;
  /** The sites they work on. */
  siteIds: string[];
  /** A password-reset link not used yet, to copy until Parley sends email; null when none. */
  passwordReset: PendingLinkDTO | null;
  createdAt: Timestamp;
}

/** A one-time link waiting to be used. `url` is null until its delivery has run (a moment after it is made). */
export interface PendingLinkDTO {
  url: string | null;
  expiresAt: Timestamp;
}

export interface InvitationDTO {
  id: string;
  email: string;
  role: OperatorRole;
  siteIds: string[];
  /** Who invited; null when that operator is gone or it came from the command line. */
  invitedBy: string | null;
  createdAt: Timestamp;
  expiresAt: Timestamp;
  /** True once `expiresAt` has passed: re-send it for a fresh link. */
  expired: boolean;
  /** The link to copy, until Parley sends email; null for a moment after it is made. */
  url: string | null;
}

export interface TeamMembersResponse {
  members: TeamMemberDTO[];
}
export interface InvitationsResponse {
  invitations: InvitationDTO[];
}

export interface InviteRequest {
  email: string;
  role: OperatorRole;
  /** The sites the colleague will work on. */
  siteIds: string[];
}
export interface InvitationResponse {
  invitation: InvitationDTO;
}

export interface ChangeRoleRequest {
  role: OperatorRole;
}
export interface MemberSitesRequest {
  siteIds: string[];
}
export interface TeamMemberResponse {
  member: TeamMemberDTO;
}

/** A one-time link's token, as the console reads it from the link it was opened with. */
export interface TeamLinkRequest {
  token: string;
}

/** Why a link can no longer be used; `valid` when it can. */
export const TEAM_LINK_STATES = ['valid', 'expired', 'used', 'revoked'] as const;
export type TeamLinkState = (typeof TEAM_LINK_STATES)[number];

/** What the page a link opens shows before anything is written. */
export interface TeamLinkInfo {
  kind: 'invitation' | 'password_reset';
  state: TeamLinkState;
  email: string;
  /** The role an invitation grants; null for a password reset. */
  role: OperatorRole | null;
  expiresAt: Timestamp;
}

/** Using a link: an invitation needs the new member's name; both set the password. The answer logs in. */
export interface AcceptTeamLinkRequest {
  token: string;
  displayName?: string;
  password: string;
}
export type AcceptTeamLinkResponse = SessionResponse;

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}
export interface ChangePasswordResponse {
  /** How many other sessions were ended. */
  endedSessions: number;
}

/** One of the caller's own sessions. */
export interface OwnSessionDTO {
  /** The session's id (a hash of its secret, safe to show and pass around). */
  id: string;
  /** Browser and system, read from the user agent it logged in with; null when unknown. */
  browser: string | null;
  os: string | null;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  /** The session this list was asked with. */
  current: boolean;
}
export interface OwnSessionsResponse {
  sessions: OwnSessionDTO[];
}

/** Team paths, added to `API_PATHS`. */
export const TEAM_PATHS = {
  teamMembers: '/api/team/members',
  teamMember: (id: string) => `/api/team/members/${id}`,
  teamMemberSites: (id: string) => `/api/team/members/${id}/sites`,
  deactivateMember: (id: string) => `/api/team/members/${id}/deactivate`,
  reactivateMember: (id: string) => `/api/team/members/${id}/reactivate`,
  memberPasswordReset: (id: string) => `/api/team/members/${id}/password-reset`,
  invitations: '/api/team/invitations',
  resendInvitation: (id: string) => `/api/team/invitations/${id}/resend`,
  revokeInvitation: (id: string) => `/api/team/invitations/${id}/revoke`,
  teamLink: '/api/team/links/lookup',
  acceptTeamLink: '/api/team/links/accept',
  ownPassword: '/api/operators/me/password',
  ownSessions: '/api/operators/me/sessions',
  ownSession: (id: string) => `/api/operators/me/sessions/${id}`,
} as const;

/** Console addresses a one-time link opens; the token travels in the fragment, so it never reaches a server log. */
export const TEAM_LINK_PAGES = {
  invitation: '/console/join',
  password_reset: '/console/reset-password',
} as const;
