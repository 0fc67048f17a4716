/** The team's HTTP calls, over the console's client (one function per route of `TEAM_PATHS`). */
import {
  type AcceptTeamLinkRequest,
  API_PATHS,
  type ChangePasswordResponse,
  type InvitationResponse,
  type InvitationsResponse,
  type InviteRequest,
  type LogoutResponse,
  type OperatorRole,
  type OwnSessionsResponse,
  type SessionResponse,
  type TeamLinkInfo,
  type TeamMemberResponse,
  type TeamMembersResponse,
} from '@parley/protocol';
import type { HttpClient } from '../../api/http-client';

export function teamApi(http: HttpClient) {
  return {
    members: () => http.request<TeamMembersResponse>(API_PATHS.teamMembers),
    invitations: () => http.request<InvitationsResponse>(API_PATHS.invitations),
    invite: (body: InviteRequest) => http.request<InvitationResponse>(API_PATHS.invitations, { json: body }),
    resend: (id: string) => http.request<InvitationResponse>(API_PATHS.resendInvitation(id), { json: {} }),
    revoke: (id: string) => http.request<{ ok: true }>(API_PATHS.revokeInvitation(id), { json: {} }),
    changeRole: (id: string, role: OperatorRole) =>
      http.request<TeamMemberResponse>(API_PATHS.teamMember(id), { method: 'PATCH', json: { role } }),
    setSites: (id: string, siteIds: string[]) =>
      http.request<TeamMemberResponse>(API_PATHS.teamMemberSites(id), { method: 'PUT', json: { siteIds } }),
    deactivate: (id: string) =>
      http.request<TeamMemberResponse>(API_PATHS.deactivateMember(id), { json: {} }),
    reactivate: (id: string) =>
      http.request<TeamMemberResponse>(API_PATHS.reactivateMember(id), { json: {} }),
    resetPassword: (id: string) =>
      http.request<TeamMemberResponse>(API_PATHS.memberPasswordReset(id), { json: {} }),
    lookupLink: (token: string) => http.request<TeamLinkInfo>(API_PATHS.teamLink, { json: { token } }),
    acceptLink: (body: AcceptTeamLinkRequest) =>
      http.request<SessionResponse>(API_PATHS.acceptTeamLink, { json: body }),
    changePassword: (currentPassword: string, newPassword: string) =>
      http.request<ChangePasswordResponse>(API_PATHS.ownPassword, {
        method: 'PUT',
        json: { currentPassword, newPassword },
      }),
    sessions: () => http.request<OwnSessionsResponse>(API_PATHS.ownSessions),
    endSession: (id: string) => http.request<LogoutResponse>(API_PATHS.ownSession(id), { method: 'DELETE' }),
  };
}

export type TeamApi = ReturnType<typeof teamApi>;
