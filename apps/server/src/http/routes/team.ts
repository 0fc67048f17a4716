/**
 * The team: members, invitations and password resets (owners and admins),
 * and the one-time links' public side (look up, accept). Each route is a
 * short pipeline; the rules are in `modules/team/commands.ts` and the policy.
 */
import {
  type AcceptTeamLinkResponse,
  API_PATHS,
  type InvitationResponse,
  type InvitationsResponse,
  type TeamLinkInfo,
  type TeamMemberResponse,
  type TeamMembersResponse,
} from '@parley/protocol';
import {
  acceptTeamLinkRequest,
  changeRoleRequest,
  idParams,
  inviteRequest,
  memberSitesRequest,
  teamLinkRequest,
} from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DomainContext } from '../../modules/context.js';
import { DomainError } from '../../modules/errors.js';
import { presentOperator } from '../../modules/operators/presenter.js';
import { authorizeInstallation } from '../../modules/policy/access.js';
import { callOrigin, isOwnOrigin } from '../../modules/policy/origins.js';
import { presentSite } from '../../modules/sites/presenter.js';
import { listSitesOfOperator } from '../../modules/sites/queries.js';
import {
  invitationCreator,
  invitationResender,
  invitationRevoker,
  memberDeactivator,
  memberReactivator,
  memberRoleChanger,
  memberSitesSetter,
  passwordResetIssuer,
  teamLinkAccepter,
} from '../../modules/team/commands.js';
import { findLinkByToken } from '../../modules/team/links.js';
import { presentInvitation, presentLinkInfo, presentMember } from '../../modules/team/presenter.js';
import { listInvitations, listTeamMembers } from '../../modules/team/queries.js';
import { principalOf, requireOperator } from '../callers.js';
import { parse } from '../validate.js';
import { setSessionCookie } from './auth.js';

export interface TeamRouteDeps {
  ctx: DomainContext;
  /** PUBLIC_URL, the base of the links; without it, the address the inviter's console reached. */
  publicUrl: string | undefined;
  secureCookies: boolean;
}

export function teamRoutes(app: FastifyInstance, deps: TeamRouteDeps): void {
  const { ctx } = deps;
  const { db } = ctx;
  const authenticated = { preHandler: requireOperator(db) };
  const baseUrl = (request: FastifyRequest) => deps.publicUrl ?? callOrigin(request).own;
  const memberId = (request: FastifyRequest) => parse(idParams, request.params, 'path').id;

  app.get(API_PATHS.teamMembers, authenticated, async (request): Promise<TeamMembersResponse> => {
    const viewer = principalOf(request);
    authorizeInstallation(viewer, 'team.view');
    return { members: (await listTeamMembers(db)).map((row) => presentMember(row, viewer.role)) };
  });

  app.patch(API_PATHS.teamMember(':id'), authenticated, async (request): Promise<TeamMemberResponse> => {
    const id = memberId(request);
    const { role } = parse(changeRoleRequest, request.body);
    return { member: await memberRoleChanger(ctx, principalOf(request), id, role) };
  });

  app.put(API_PATHS.teamMemberSites(':id'), authenticated, async (request): Promise<TeamMemberResponse> => {
    const id = memberId(request);
    const { siteIds } = parse(memberSitesRequest, request.body);
    return { member: await memberSitesSetter(ctx, principalOf(request), id, siteIds) };
  });

  app.post(
    API_PATHS.deactivateMember(':id'),
    authenticated,
    async (request): Promise<TeamMemberResponse> => ({
      member: await memberDeactivator(ctx, principalOf(request), memberId(request)),
    }),
  );

  app.post(
    API_PATHS.reactivateMember(':id'),
    authenticated,
    async (request): Promise<TeamMemberResponse> => ({
      member: await memberReactivator(ctx, principalOf(request), memberId(request)),
    }),
  );

  app.post(
    API_PATHS.memberPasswordReset(':id'),
    authenticated,
    async (request): Promise<TeamMemberResponse> => ({
      member: await passwordResetIssuer(ctx, principalOf(request), memberId(request), baseUrl(request)),
    }),
  );

  app.get(API_PATHS.invitations, authenticated, async (request): Promise<InvitationsResponse> => {
    const viewer = principalOf(request);
    authorizeInstallation(viewer, 'team.view');
    return { invitations: (await listInvitations(db)).map((row) => presentInvitation(row, viewer.role)) };
  });

  app.post(API_PATHS.invitations, authenticated, async (request, reply): Promise<InvitationResponse> => {
    const invite = parse(inviteRequest, request.body);
    const invitation = await invitationCreator(ctx, principalOf(request), invite, baseUrl(request));
    void reply.status(201);
    return { invitation };
  });

  app.post(
    API_PATHS.resendInvitation(':id'),
    authenticated,
    async (request): Promise<InvitationResponse> => ({
      invitation: await invitationResender(ctx, principalOf(request), memberId(request), baseUrl(request)),
    }),
  );

  app.post(API_PATHS.revokeInvitation(':id'), authenticated, async (request) => {
    await invitationRevoker(ctx, principalOf(request), memberId(request));
    return { ok: true };
  });

  // The link's own page: what it is for, or why it can no longer be used. Writes nothing.
  app.post(API_PATHS.teamLink, async (request): Promise<TeamLinkInfo> => {
    const { token } = parse(teamLinkRequest, request.body);
    const link = await findLinkByToken(db, token);
    if (!link) throw new DomainError('not_found', 'This link is not valid: check that it was copied whole');
    return presentLinkInfo(link);
  });

  app.post(API_PATHS.acceptTeamLink, async (request, reply): Promise<AcceptTeamLinkResponse> => {
    // It logs in, like the login form: only from Parley's own pages.
    if (!isOwnOrigin(callOrigin(request))) throw new DomainError('forbidden', 'Cross-origin request refused');
    const accept = parse(acceptTeamLinkRequest, request.body);
    const { operator, session } = await teamLinkAccepter(ctx, accept, {
      userAgent: request.headers['user-agent'],
    });
    setSessionCookie(reply, session.token, deps.secureCookies);
    const sites = await listSitesOfOperator(db, operator.id);
    return {
      operator: presentOperator(operator),
      csrfToken: session.csrfToken,
      sites: sites.map(presentSite),
    };
  });
}
