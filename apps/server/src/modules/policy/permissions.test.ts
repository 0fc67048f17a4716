/**
 * Every HTTP route the app serves and every socket frame the protocol
 * defines, with who may use it. Each entry is run against a real Parley by
 * every kind of caller: nobody, a visitor, an operator of another site, an
 * operator of each role on the site, another visitor. A refused call must get
 * its exact refusal (401, 403 or 404, or the error frame) and write nothing;
 * an allowed one must succeed (so a refusal is never just a broken request).
 * A route or frame without an entry fails the test: adding one means deciding
 * who may use it, here. Roles come from `OPERATOR_ROLES` and the rules from
 * `rules.ts`, so a new role is tried everywhere without editing this file.
 */
import {
  API_PATHS,
  DOSSIER_PATHS,
  FILE_PATHS,
  type MessageDTO,
  OPERATOR_ROLES,
  type OperatorClientFrames,
  type OperatorRole,
  SEGMENT_PATHS,
  type UploadFileResponse,
  type VisitorClientFrames,
} from '@parley/protocol';
import { operatorFrameData, visitorFrameData } from '@parley/protocol/schemas';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVisitorSession, TestSocket } from '../../testing/clients.js';
import { closeAllSockets, newClientId, snapshotRows } from '../../testing/fixtures.js';
import { samplePng } from '../../testing/sample-files.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { waitUntil } from '../../testing/wait-until.js';
import { createOperator } from '../operators/commands.js';
import { findOperatorByEmail } from '../operators/queries.js';
import { createSession, sessionIdOf } from '../operators/sessions.js';
import { addOperatorToSite, createSite } from '../sites/commands.js';
import { linkWriter } from '../team/links.js';
import { SESSION_COOKIE } from './authentication.js';
import { isInstallationAction, type OperatorAction, roleMay } from './rules.js';

// ---- Who may call what -------------------------------------------------------------------------

/** What the test sends: an HTTP call, or a socket upgrade. */
type Call =
  | { method: string; path: string; body?: unknown; raw?: { type: string; data: Uint8Array } }
  | { socket: 'visitor' | 'operator' };

/**
 * - `anyone`: public; nothing to refuse (the reason says why that is right).
 * - `operator`: any signed-in operator, acting on themself (their session, profile, photo).
 * - `visitor`: a visitor with its token, from an origin its site allows, acting on itself.
 * - an action of `rules.ts`: operators of the thing's site whose role the rule allows.
 */
type RouteRule =
  | { who: 'anyone'; why: string; onlyWhenBuilt?: boolean }
  | {
      who: 'operator' | 'visitor' | OperatorAction;
      /** `as`: who calls — the caller's name (e.g. `owner`) and their own password and session. */
      call: (w: World, as: As) => Call;
      /** Puts the world back before each allowed call, for a call that cannot be repeated as is. */
      prepare?: (w: World) => Promise<unknown>;
      /** An action's route that also serves the visitor their own (a file of their conversation); others 404. */
      alsoOwnVisitor?: true;
      /** The world needs a site of its own per caller (see World.spareSites). */
      spareSites?: true;
    };

type GuardedRule = Exclude<RouteRule, { who: 'anyone' }>;

const ROUTES: Record<string, RouteRule> = {
  'GET /healthz': { who: 'anyone', why: 'liveness for load balancers' },
  'GET /readyz': { who: 'anyone', why: 'readiness for load balancers' },
  'POST /api/auth/login': { who: 'anyone', why: 'how an operator signs in' },
  'POST /api/auth/logout': { who: 'operator', call: () => post(API_PATHS.logout, {}) },
  'GET /api/auth/me': { who: 'operator', call: () => get(API_PATHS.me) },
  'PATCH /api/operators/me': {
    who: 'operator',
    call: () => ({ method: 'PATCH', path: API_PATHS.profile, body: { status: 'away' } }),
  },
  'PUT /api/operators/me/avatar': {
    who: 'operator',
    call: () => ({ method: 'PUT', path: API_PATHS.avatar, raw: { type: 'image/png', data: PNG } }),
  },
  'GET /avatars/:id': { who: 'anyone', why: 'operator photos are shown to visitors' },
  'GET /api/conversations': {
    who: 'conversation.view',
    call: (w) => get(`${API_PATHS.conversations}?siteId=${w.siteId}`),
  },
  'GET /api/conversations/:id': {
    who: 'conversation.view',
    call: (w) => get(API_PATHS.conversation(w.conversationId)),
  },
  'GET /api/conversations/:id/messages': {
    who: 'conversation.view',
    call: (w) => get(API_PATHS.conversationMessages(w.conversationId)),
  },
  'POST /api/conversations/:id/messages': {
    who: 'conversation.reply',
    call: (w) =>
      post(API_PATHS.conversationMessages(w.conversationId), { clientId: newClientId(), text: 'Hi' }),
  },
  'POST /api/conversations/:id/close': {
    who: 'conversation.close',
    call: (w) => post(API_PATHS.closeConversation(w.conversationId), {}),
  },
  'POST /api/conversations/:id/reopen': {
    who: 'conversation.close',
    call: (w) => post(API_PATHS.reopenConversation(w.conversationId), {}),
  },
  'GET /api/search': {
    who: 'conversation.view',
    call: (w) => get(`${API_PATHS.search}?q=stock&siteId=${w.siteId}`),
  },
  'GET /api/visitors/:id': { who: 'visitor.view', call: (w) => get(API_PATHS.visitor(w.visitorId)) },
  // "Visitors now" (issue 12).
  'GET /api/sites/:id/visitors-now': {
    who: 'visitor.view',
    call: (w) => get(API_PATHS.siteVisitorsNow(w.siteId)),
  },
  'POST /api/visitors/:id/chats': {
    who: 'chat.start',
    call: (w) => post(API_PATHS.visitorChats(w.visitorId), { clientId: newClientId(), text: 'Need help?' }),
    // The visitor is on the site now and not chatting, so each allowed caller may start one.
    prepare: (w) =>
      parley.services.database.pool.query(
        `WITH closed AS (UPDATE conversations SET status = 'closed', closed_at = now()
           WHERE visitor_id = $1 AND status = 'open')
         UPDATE visitors SET last_seen_at = now() WHERE id = $1`,
        [w.visitorId],
      ),
  },
  'GET /api/sites': { who: 'operator', call: () => get(API_PATHS.sites) },
  'POST /api/sites': {
    who: 'site.create',
    call: (_w, caller) => post(API_PATHS.sites, { name: `Shop of ${caller}` }),
  },
  'DELETE /api/sites/:id': {
    who: 'site.delete',
    // Each caller its own site: one allowed delete would leave the next caller a 404.
    spareSites: true,
    call: (w, { name }) => ({ method: 'DELETE', path: API_PATHS.site(w.spareSites[name] ?? w.siteId) }),
  },
  'GET /api/sites/:id': { who: 'site.view', call: (w) => get(API_PATHS.site(w.siteId)) },
  'PATCH /api/sites/:id': {
    who: 'site.configure',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.site(w.siteId),
      body: { settings: { accentColor: '#112233' } },
    }),
  },
  // Routing (issue 10)
  'GET /api/sites/:id/routing': { who: 'site.view', call: (w) => get(API_PATHS.siteRouting(w.siteId)) },
  'PATCH /api/sites/:id/routing': {
    who: 'site.configure',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.siteRouting(w.siteId),
      body: { departmentPicker: true },
    }),
  },
  'POST /api/sites/:id/departments': {
    who: 'site.configure',
    call: (w) => post(API_PATHS.siteDepartments(w.siteId), { name: `Sales ${newClientId()}` }),
  },
  'PATCH /api/departments/:id': {
    who: 'site.configure',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.department(w.departmentId),
      body: { name: newClientId() },
    }),
  },
  'DELETE /api/departments/:id': {
    who: 'site.configure',
    call: (w) => ({ method: 'DELETE', path: API_PATHS.department(w.departmentId) }),
    prepare: (w) =>
      parley.services.database.pool.query(
        'INSERT INTO departments (id, site_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [w.departmentId, w.siteId, newClientId()],
      ),
  },
  'PUT /api/sites/:id/operators/:operatorId/chat-limit': {
    who: 'site.configure',
    call: (w) => ({
      method: 'PUT',
      path: API_PATHS.operatorChatLimit(w.siteId, operatorIds.get('operator') ?? ''),
      body: { chatLimit: 4 },
    }),
  },
  'POST /api/conversations/:id/transfer': {
    who: 'conversation.transfer',
    call: (w) =>
      post(API_PATHS.transferConversation(w.conversationId), { toDepartmentId: w.departmentId, note: 'VIP' }),
  },
  'POST /api/conversations/:id/invite': {
    who: 'conversation.transfer',
    call: (w) =>
      post(API_PATHS.inviteToConversation(w.conversationId), { operatorId: operatorIds.get('operator') }),
    prepare: (w) =>
      parley.services.database.pool.query("UPDATE conversations SET participant_ids = '{}' WHERE id = $1", [
        w.conversationId,
      ]),
  },
  'POST /api/conversations/:id/take': {
    who: 'conversation.reply',
    call: (w) => post(API_PATHS.takeConversation(w.conversationId), {}),
    prepare: (w) =>
      parley.services.database.pool.query('UPDATE conversations SET assignee_id = NULL WHERE id = $1', [
        w.conversationId,
      ]),
  },
  // Tags (issue 11).
  'GET /api/sites/:id/tags': { who: 'site.view', call: (w) => get(API_PATHS.siteTags(w.siteId)) },
  'POST /api/sites/:id/tags': {
    who: 'tag.create',
    call: (w) => post(API_PATHS.siteTags(w.siteId), { name: `Tag ${newClientId()}` }),
    // Every entry's world adds tags to the demo site: make room under the site's tag limit first.
    prepare: (w) =>
      parley.services.database.pool.query(
        'DELETE FROM tags t WHERE site_id = $1 AND NOT EXISTS (SELECT 1 FROM conversation_tags c WHERE c.tag_id = t.id)',
        [w.siteId],
      ),
  },
  'PATCH /api/tags/:id': {
    who: 'tag.manage',
    call: (w) => ({ method: 'PATCH', path: API_PATHS.tag(w.tagId), body: { color: 'green' } }),
  },
  'DELETE /api/tags/:id': {
    who: 'tag.manage',
    // Each call deletes another tag: a second allowed caller would find the first one gone.
    call: (w) => ({ method: 'DELETE', path: API_PATHS.tag(w.spareTagIds.pop() ?? 'none') }),
  },
  'POST /api/conversations/:id/tags': {
    who: 'conversation.tag',
    call: (w) => post(API_PATHS.conversationTags(w.conversationId), { tagId: w.tagId }),
  },
  'DELETE /api/conversations/:id/tags/:tagId': {
    who: 'conversation.tag',
    call: (w) => ({ method: 'DELETE', path: API_PATHS.conversationTag(w.conversationId, w.tagId) }),
  },
  // The visitor's dossier and segments (issue 12).
  'GET /api/visitors/:id/dossier': {
    who: 'visitor.view',
    call: (w) => get(DOSSIER_PATHS.visitorDossier(w.visitorId)),
  },
  'PATCH /api/visitors/:id': {
    who: 'visitor.edit',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.visitor(w.visitorId),
      body: { attributes: { plan: 'gold' } },
    }),
  },
  'GET /api/sites/:id/segments': { who: 'site.view', call: (w) => get(SEGMENT_PATHS.siteSegments(w.siteId)) },
  'POST /api/sites/:id/segments': {
    who: 'segment.manage',
    call: (w) =>
      post(SEGMENT_PATHS.siteSegments(w.siteId), {
        name: `Seg ${newClientId()}`,
        conditions: [{ kind: 'hasEmail' }],
      }),
    // Every entry's world adds a segment to the demo site: make room under the site's limit first.
    prepare: (w) =>
      parley.services.database.pool.query('DELETE FROM segments WHERE site_id = $1 AND id <> $2', [
        w.siteId,
        w.segmentId,
      ]),
  },
  'POST /api/sites/:id/segments/preview': {
    who: 'segment.manage',
    call: (w) =>
      post(SEGMENT_PATHS.segmentPreview(w.siteId), { conditions: [{ kind: 'visitCount', atLeast: 2 }] }),
  },
  'POST /api/sites/:id/segments/membership': {
    who: 'visitor.view',
    call: (w) => post(SEGMENT_PATHS.segmentMembership(w.siteId), { visitorIds: [w.visitorId] }),
  },
  'PATCH /api/segments/:id': {
    who: 'segment.manage',
    call: (w) => ({ method: 'PATCH', path: SEGMENT_PATHS.segment(w.segmentId), body: { color: 'teal' } }),
  },
  'DELETE /api/segments/:id': {
    who: 'segment.manage',
    call: (w) => ({ method: 'DELETE', path: SEGMENT_PATHS.segment(w.segmentId) }),
    prepare: (w) =>
      parley.services.database.pool.query(
        `INSERT INTO segments (id, site_id, name, color, conditions) VALUES ($1, $2, $3, 'blue', '[{"kind":"hasEmail"}]')
         ON CONFLICT DO NOTHING`,
        [w.segmentId, w.siteId, `Again ${newClientId()}`],
      ),
  },
  'GET /api/presence': { who: 'presence.view', call: (w) => get(`${API_PATHS.presence}?siteId=${w.siteId}`) },
  // The team (members, invitations, resets): whole-installation actions, by role; granting a site also by site.
  'GET /api/team/members': {
    who: 'team.view',
    call: () => get(API_PATHS.teamMembers),
  },
  'PATCH /api/team/members/:id': {
    who: 'team.manage',
    call: (w) => ({ method: 'PATCH', path: API_PATHS.teamMember(w.memberId), body: { role: 'operator' } }),
  },
  'PUT /api/team/members/:id/sites': {
    who: 'team.manage',
    call: (w) => ({
      method: 'PUT',
      path: API_PATHS.teamMemberSites(w.memberId),
      body: { siteIds: [w.siteId] },
    }),
  },
  'POST /api/team/members/:id/deactivate': {
    who: 'team.manage',
    call: (w) => post(API_PATHS.deactivateMember(w.memberId), {}),
  },
  'POST /api/team/members/:id/reactivate': {
    who: 'team.manage',
    call: (w) => post(API_PATHS.reactivateMember(w.memberId), {}),
  },
  'POST /api/team/members/:id/password-reset': {
    who: 'team.manage',
    call: (w) => post(API_PATHS.memberPasswordReset(w.memberId), {}),
  },
  'GET /api/team/invitations': {
    who: 'team.view',
    call: () => get(API_PATHS.invitations),
  },
  'POST /api/team/invitations': {
    who: 'team.manage',
    call: () =>
      post(API_PATHS.invitations, { email: `${newClientId()}@invited.test`, role: 'operator', siteIds: [] }),
  },
  'POST /api/team/invitations/:id/resend': {
    who: 'team.manage',
    call: (w) => post(API_PATHS.resendInvitation(w.invitationId), {}),
  },
  'POST /api/team/invitations/:id/revoke': {
    who: 'team.manage',
    call: (w) => post(API_PATHS.revokeInvitation(w.invitationId), {}),
  },
  'POST /api/team/links/lookup': {
    who: 'anyone',
    why: 'the page a one-time link opens; the token is the credential (team.test.ts)',
  },
  'POST /api/team/links/accept': {
    who: 'anyone',
    why: 'uses a one-time link, from our own origin only; the token is the credential (team.test.ts)',
  },
  'PUT /api/operators/me/password': {
    who: 'operator',
    call: (_w, { me }) => ({
      method: 'PUT',
      path: API_PATHS.ownPassword,
      body: { currentPassword: me.password, newPassword: me.password },
    }),
  },
  'GET /api/operators/me/sessions': { who: 'operator', call: () => get(API_PATHS.ownSessions) },
  'DELETE /api/operators/me/sessions/:id': {
    who: 'operator',
    call: (_w, { me }) => ({ method: 'DELETE', path: API_PATHS.ownSession(me.sessionId) }),
  },
  // Canned replies and mentions (issue 11). A personal reply is its owner's alone: canned-replies.test.ts.
  'GET /api/sites/:id/canned-replies': {
    who: 'canned.use',
    call: (w) => get(API_PATHS.cannedReplies(w.siteId)),
  },
  'POST /api/sites/:id/canned-replies': {
    who: 'canned.manageShared',
    call: (w) =>
      post(API_PATHS.cannedReplies(w.siteId), {
        scope: 'shared',
        shortcut: `s${newClientId()}`,
        title: 'Hours',
        body: 'We are open 9–18.',
      }),
  },
  'PATCH /api/canned-replies/:id': {
    who: 'canned.manageShared',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.cannedReply(w.cannedReply()),
      body: { title: 'Renamed' },
    }),
  },
  'DELETE /api/canned-replies/:id': {
    who: 'canned.manageShared',
    call: (w) => ({ method: 'DELETE', path: API_PATHS.cannedReply(w.cannedReply()) }),
  },
  'GET /api/mentions': { who: 'operator', call: () => get(API_PATHS.mentions) },
  'POST /api/mentions/read': { who: 'operator', call: () => post(API_PATHS.mentionsRead, {}) },
  'POST /api/widget/session': {
    who: 'anyone',
    why: "starts a visitor; the site's allowed origins are checked (validation.test.ts)",
  },
  'POST /api/widget/requests': {
    who: 'visitor',
    call: () =>
      post(API_PATHS.widgetRequests, { clientId: newClientId(), email: 'a@b.example', text: 'Call me' }),
  },
  'POST /api/widget/track': {
    who: 'anyone',
    why: "the loader's tracking from the site's pages: a first batch has no visitor token yet (it gets one); origins checked",
  },
  // Identity (issue 12): identify from the site's pages, and the site's secret for its owners and admins.
  'POST /api/widget/identify': {
    who: 'anyone',
    why: "the site's page says who the visitor is; trusted only with a userHash (identity.test.ts), origins checked",
  },
  'OPTIONS /api/widget/identify': { who: 'anyone', why: "CORS preflight of the loader's identify" },
  'GET /shop/demo-customer': {
    who: 'anyone',
    why: "the demo shop's stand-in server: signs its one demo customer (PARLEY_DEMO only)",
  },
  'GET /api/sites/:id/identity': {
    who: 'site.configure',
    call: (w) => get(API_PATHS.siteIdentity(w.siteId)),
  },
  'PATCH /api/sites/:id/identity': {
    who: 'site.configure',
    call: (w) => ({
      method: 'PATCH',
      path: API_PATHS.siteIdentity(w.siteId),
      body: { requireVerification: false },
    }),
  },
  'POST /api/sites/:id/identity/secret': {
    who: 'site.configure',
    call: (w) => post(API_PATHS.siteIdentitySecret(w.siteId), {}),
  },
  // Email out (issue 13): the queue figure by role, one's own preferences, the visitor's transcript,
  // and the unsubscribe link (its key is the credential: sending.test.ts).
  'GET /api/mail/status': { who: 'mail.status', call: () => get(API_PATHS.mailStatus) },
  'GET /api/account/mail-preferences': { who: 'operator', call: () => get(API_PATHS.ownMailPreferences) },
  'PATCH /api/account/mail-preferences': {
    who: 'operator',
    call: () => ({ method: 'PATCH', path: API_PATHS.ownMailPreferences, body: { digest: true } }),
  },
  'POST /api/widget/transcript': {
    who: 'visitor',
    call: () => post(API_PATHS.widgetTranscript, { email: 'a@b.example' }),
  },
  'GET /mail/unsubscribe': { who: 'anyone', why: 'a page with a button; changes nothing' },
  'POST /mail/unsubscribe': {
    who: 'anyone',
    why: "an unsubscribe link's key is its credential and can only turn mail off (sending.test.ts)",
  },
  // Files (issue 11): uploads by visitors and by operators for a conversation, and fetching a stored file.
  'POST /api/widget/files': {
    who: 'visitor',
    call: () => rawUpload(`${FILE_PATHS.widgetFiles}?name=a.png`),
  },
  'POST /api/conversations/:id/files': {
    who: 'conversation.reply',
    call: (w) => rawUpload(`${FILE_PATHS.conversationFiles(w.conversationId)}?name=a.png`),
  },
  'GET /api/files/:id': {
    who: 'conversation.view',
    call: (w) => get(FILE_PATHS.file(w.fileId)),
    alsoOwnVisitor: true,
  },
  'GET /ws/visitor': { who: 'visitor', call: () => ({ socket: 'visitor' }) },
  'GET /ws/operator': { who: 'operator', call: () => ({ socket: 'operator' }) },
  'GET /widget/frame.html': {
    who: 'anyone',
    why: 'the chat frame; its CSP limits who embeds it',
    onlyWhenBuilt: true,
  },
  'POST /api/mail/inbound': {
    who: 'anyone',
    why: "a mail provider's webhook; it presents INBOUND_MAIL_SECRET, not a person's credentials (inbound-mail.test.ts)",
  },
  'GET /widget/*': { who: 'anyone', why: 'the widget script and assets' },
  'GET /shop/*': { who: 'anyone', why: 'the demo shop' },
  'GET /console/*': { who: 'anyone', why: 'the console app; its data comes from the routes above' },
  'GET /console': { who: 'anyone', why: 'redirect to /console/' },
  'GET /': { who: 'anyone', why: 'redirect to the demo shop' },
};

/**
 * - `self`: acts on the caller's own record or open conversation; the frame names no id to point
 *   elsewhere, so there is nothing to refuse once the socket is open (opening it is refused above).
 * - `own`: names a conversation; a visitor may name only its own.
 * - an action of `rules.ts`: names a conversation; as for routes.
 */
type FrameRule<M> = {
  [K in keyof M]: {
    who: 'self' | 'own' | OperatorAction;
    data: (w: World) => M[K] extends { request: infer R } ? R : never;
  };
};

const VISITOR_FRAMES: FrameRule<VisitorClientFrames> = {
  'message.send': { who: 'self', data: () => ({ clientId: newClientId(), text: 'Hello' }) },
  'conversation.sync': { who: 'own', data: (w) => ({ conversationId: w.conversationId, afterSeq: 0 }) },
  'typing.set': { who: 'self', data: () => ({ typing: true, preview: 'Hel' }) },
  'visitor.page': { who: 'self', data: () => ({ url: 'https://shop.example/cart', title: 'Cart' }) },
  'conversation.read': { who: 'own', data: (w) => ({ conversationId: w.conversationId, seq: 1 }) },
};

const OPERATOR_FRAMES: FrameRule<OperatorClientFrames> = {
  'message.send': {
    who: 'conversation.reply',
    data: (w) => ({ conversationId: w.conversationId, clientId: newClientId(), text: 'Hi' }),
  },
  'conversation.sync': {
    who: 'conversation.view',
    data: (w) => ({ conversationId: w.conversationId, afterSeq: 0 }),
  },
  'typing.set': {
    who: 'conversation.reply',
    data: (w) => ({ conversationId: w.conversationId, typing: true }),
  },
  'operator.status': { who: 'self', data: () => ({ status: 'online' }) },
  'conversation.viewing': {
    who: 'conversation.view',
    data: (w) => ({ conversationId: w.conversationId, viewing: true }),
  },
  'conversation.read': {
    who: 'conversation.view',
    data: (w) => ({ conversationId: w.conversationId, seq: 1 }),
  },
  'visitors.watch': { who: 'visitor.view', data: (w) => ({ siteId: w.siteId, watching: true }) },
};

// ---- The callers -----------------------------------------------------------------------------

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const FOREIGN_ORIGIN = 'https://elsewhere.example';
const get = (path: string): Call => ({ method: 'GET', path });
const post = (path: string, body: unknown): Call => ({ method: 'POST', path, body });
const rawUpload = (path: string): Call => ({
  method: 'POST',
  path,
  raw: { type: 'application/octet-stream', data: samplePng(4, 4) },
});

/**
 * A fresh conversation of a fresh visitor on the demo site, a fresh member and invitation, for one
 * entry, and, when the entry asks, a spare site per caller (all roles work on it) for calls that use a site up.
 */
interface World {
  siteId: string;
  spareSites: Record<string, string>;
  visitorId: string;
  visitorToken: string;
  conversationId: string;
  /** An operator-role member of the demo site, for the team's routes to act on. */
  memberId: string;
  /** A pending invitation. */
  invitationId: string;
  /** A department of the site (routing). */
  departmentId: string;
  /** A shared canned reply of the site, a fresh one per call (an allowed delete leaves none for the next). */
  cannedReply: () => string;
  /** A picture the visitor sent in that conversation. */
  fileId: string;
  /** A tag of the site, on the conversation. */
  tagId: string;
  /** Tags of the site no entry uses but to delete them, one per call. */
  spareTagIds: string[];
  /** A segment of the site. */
  segmentId: string;
}

/** What a call may need to know about its caller: their password and session (own-account routes). */
interface Me {
  password: string;
  sessionId: string;
}

/** Who makes a call: the caller's name (`owner`, `outsider`, `visitor`…) and what they know about themselves. */
interface As {
  name: string;
  me: Me;
}

type Caller =
  | { kind: 'nobody' }
  | { kind: 'visitor'; token: string; origin?: string }
  | { kind: 'operator'; name: string; cookie: string; csrfToken: string; me: Me };

const NOBODY_ME: Me = { password: 'not-a-password', sessionId: 'A'.repeat(43) };
const meOf = (caller: Caller): Me => (caller.kind === 'operator' ? caller.me : NOBODY_ME);
const PASSWORDS: Record<OperatorRole | 'outsider', string> = {
  owner: TEST_ADMIN.password,
  admin: 'admin-password',
  operator: 'operator-password',
  outsider: 'outsider-password',
};

let parley: TestParley;
/** Operators of the demo site, one per role, and an operator granted another site only. */
const operatorIds = new Map<OperatorRole | 'outsider', string>();

beforeAll(async () => {
  // Every entry starts fresh visitors from one address: the per-IP budgets would refuse the later ones.
  parley = await startTestParley({
    // The run takes minutes: a mail sweep (unseen replies after 5 minutes) would write between snapshots.
    mailSweeps: false,
    env: {
      VISITOR_MESSAGES_PER_MINUTE: '1000',
      VISITOR_MESSAGES_PER_IP_PER_MINUTE: '10000',
      NEW_VISITORS_PER_IP_PER_MINUTE: '10000',
      NEW_VISITORS_PER_SITE_PER_MINUTE: '10000',
    },
  });
  const db = parley.services.ctx.db;
  // The escalation sweep raises a waiting chat's level 30 and 60 s after its message, by itself: on a busy
  // machine this file runs for minutes, and a raise between a test's two snapshots would look like a
  // refused call's write. The demo site's chats escalate after an hour instead.
  // (The alert must come before the escalation: PATCH .../routing refuses settings where it does not.)
  // And the demo site queues its chats rather than assigning them: a console connecting runs the router
  // in the background (gateway's trackOperatorPresence), so once `operator.status` has set the roles
  // online, an assignment a connect wrote after a snapshot looked like the refused frame's write.
  await sql`INSERT INTO site_routing (site_id, mode, alert_after_seconds, escalate_after_seconds)
    SELECT id, 'queue', 3599, 3600 FROM sites WHERE public_key = 'demo'`.execute(db);
  const otherSite = await createSite(db, { name: 'Another shop', allowedOrigins: [] });
  const outsider = await createOperator(db, {
    email: 'outsider@parley.test',
    password: 'outsider-password',
    displayName: 'Outsider',
    // Owners and admins work on every site, so only an operator can be outside one.
    role: 'operator',
  });
  await addOperatorToSite(db, otherSite.id, outsider.id);
  operatorIds.set('outsider', outsider.id);
  for (const role of OPERATOR_ROLES) {
    const existing = role === 'owner' ? await findOperatorByEmail(db, TEST_ADMIN.email) : undefined;
    const operator =
      existing ??
      (await createOperator(db, {
        email: `role-${role}@parley.test`,
        password: PASSWORDS[role],
        displayName: `The ${role}`,
        role,
      }));
    await addOperatorToSite(db, parley.demoSiteId, operator.id);
    operatorIds.set(role, operator.id);
  }
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

async function newWorld(options: { spareSites?: boolean } = {}): Promise<World> {
  const session = await startVisitorSession(parley.url);
  const socket = await TestSocket.visitor(parley.wsUrl, session.visitorToken);
  const uploaded = await fetch(`${parley.url}${FILE_PATHS.widgetFiles}?name=photo.png`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${session.visitorToken}` },
    body: samplePng(4, 4),
  });
  const { file } = (await uploaded.json()) as UploadFileResponse;
  const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Is this in stock?',
    fileIds: [file.id],
  });
  await socket.close();
  const spareSites: Record<string, string> = {};
  // Only for the entry that deletes sites: the operator joins every spare site, and a console of theirs
  // connecting or going online routes and announces each of their sites in turn — with four spare sites
  // per world that grew to hundreds by the frame entries, and `operator.status` outlasted its timeout.
  for (const caller of options.spareSites ? ([...OPERATOR_ROLES, 'outsider'] as const) : []) {
    const site = await createSite(parley.services.ctx.db, { name: `Spare of ${caller}`, allowedOrigins: [] });
    const operatorId = operatorIds.get('operator');
    if (operatorId) await addOperatorToSite(parley.services.ctx.db, site.id, operatorId);
    spareSites[caller] = site.id;
  }
  const db = parley.services.ctx.db;
  const member = await db
    .insertInto('operators')
    .values({
      email: `${newClientId()}@member.test`,
      // Never logged in as: no need for a real hash.
      password_hash: 'unused',
      display_name: 'Member',
      avatar_url: null,
      role: 'operator',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addOperatorToSite(db, parley.demoSiteId, member.id);
  const invitation = await linkWriter(db, {
    kind: 'invitation',
    email: `${newClientId()}@invited.test`,
    role: 'operator',
    createdBy: null,
  });
  const department = await parley.services.ctx.db
    .insertInto('departments')
    .values({ site_id: parley.demoSiteId, name: `Support ${newClientId()}` })
    .returning('id')
    .executeTakeFirstOrThrow();
  const replies = await parley.services.ctx.db
    .insertInto('canned_replies')
    .values(
      Array.from({ length: 8 }, () => ({
        site_id: parley.demoSiteId,
        shortcut: `p${newClientId()}`,
        title: 'Stock',
        body: 'In stock',
      })),
    )
    .returning('id')
    .execute();
  const tags = await parley.services.ctx.db
    .insertInto('tags')
    .values(
      Array.from({ length: 9 }, () => ({
        site_id: parley.demoSiteId,
        name: `t-${newClientId()}`,
        color: 'blue' as const,
      })),
    )
    .returning('id')
    .execute();
  const [tag, ...spare] = tags.map((t) => t.id) as [string, ...string[]];
  const segment = await parley.services.ctx.db
    .insertInto('segments')
    .values({
      site_id: parley.demoSiteId,
      name: `s-${newClientId()}`,
      color: 'blue',
      conditions: JSON.stringify([{ kind: 'hasEmail' }]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await parley.services.ctx.db
    .insertInto('conversation_tags')
    .values({ conversation_id: message.conversationId, tag_id: tag, added_by: null })
    .execute();
  return {
    siteId: parley.demoSiteId,
    spareSites,
    visitorId: session.visitorId,
    visitorToken: session.visitorToken,
    conversationId: message.conversationId,
    memberId: member.id,
    invitationId: invitation.row.id,
    departmentId: department.id,
    cannedReply: () => replies.shift()?.id ?? '00000000-0000-4000-8000-000000000000',
    fileId: file.id,
    tagId: tag,
    spareTagIds: spare,
    segmentId: segment.id,
  };
}

/** A new session per call site, so an allowed logout never signs out the next caller. */
async function operatorCaller(who: OperatorRole | 'outsider'): Promise<Caller & { kind: 'operator' }> {
  const id = operatorIds.get(who);
  if (!id) throw new Error(`no operator for ${who}`);
  const session = await createSession(parley.services.ctx.db, id);
  return {
    kind: 'operator',
    name: who,
    cookie: `${SESSION_COOKIE}=${session.token}`,
    csrfToken: session.csrfToken,
    me: { password: PASSWORDS[who], sessionId: sessionIdOf(session.token) },
  };
}

/** Makes the call as `caller`; the HTTP status, or for a socket 101 when it opened. */
async function callAs(caller: Caller, call: Call): Promise<number> {
  const headers: Record<string, string> = {};
  if (caller.kind === 'operator') headers.cookie = caller.cookie;
  if (caller.kind === 'visitor' && caller.origin) headers.origin = caller.origin;
  if ('socket' in call) {
    const query = caller.kind === 'visitor' ? `?token=${encodeURIComponent(caller.token)}` : '';
    const path = call.socket === 'visitor' ? API_PATHS.visitorSocket : API_PATHS.operatorSocket;
    try {
      const socket = await TestSocket.connect(`${parley.wsUrl}${path}${query}`, headers);
      await socket.close();
      return 101;
    } catch (error) {
      const status = /upgrade refused: (\d+)/.exec(String(error))?.[1];
      if (!status) throw error;
      return Number(status);
    }
  }
  if (caller.kind === 'operator') headers['x-csrf-token'] = caller.csrfToken;
  if (caller.kind === 'visitor') headers.authorization = `Bearer ${caller.token}`;
  let body: string | Uint8Array | undefined;
  if (call.raw) {
    headers['content-type'] = call.raw.type;
    body = call.raw.data;
  } else if (call.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.body);
  }
  const response = await fetch(parley.url + call.path, { method: call.method, headers, body });
  await response.arrayBuffer();
  return response.status;
}

interface Expectation {
  caller: Caller;
  /** The refusal expected, or 'allowed'. */
  expect: 401 | 403 | 404 | 'allowed';
}

async function expectationsFor(rule: GuardedRule, w: World): Promise<Expectation[]> {
  const nobody: Expectation = { caller: { kind: 'nobody' }, expect: 401 };
  const visitor: Caller = { kind: 'visitor', token: w.visitorToken };
  if (rule.who === 'visitor') {
    return [
      nobody,
      { caller: await operatorCaller('owner'), expect: 401 },
      { caller: { ...visitor, origin: FOREIGN_ORIGIN }, expect: 403 },
      { caller: visitor, expect: 'allowed' },
    ];
  }
  const roles = await Promise.all(OPERATOR_ROLES.map(operatorCaller));
  if (rule.who === 'operator') {
    return [
      nobody,
      { caller: visitor, expect: 401 },
      ...roles.map((caller): Expectation => ({ caller, expect: 'allowed' })),
      { caller: await operatorCaller('outsider'), expect: 'allowed' },
    ];
  }
  const action = rule.who;
  const outsider = await operatorCaller('outsider');
  const visitors: Expectation[] = rule.alsoOwnVisitor
    ? [
        { caller: visitor, expect: 'allowed' },
        {
          caller: { kind: 'visitor', token: (await startVisitorSession(parley.url)).visitorToken },
          expect: 404,
        },
      ]
    : [{ caller: visitor, expect: 401 }];
  return [
    nobody,
    ...visitors,
    isInstallationAction(action)
      ? // Nothing to be outside of: the outsider's role alone decides.
        { caller: outsider, expect: roleMay('operator', action) ? 'allowed' : 403 }
      : { caller: outsider, expect: 404 },
    ...roles.map(
      (caller): Expectation => ({
        caller,
        expect: roleMay(caller.name as OperatorRole, action) ? 'allowed' : 403,
      }),
    ),
  ];
}

const describeCaller = (c: Caller) =>
  c.kind === 'operator'
    ? `operator (${c.name})`
    : c.kind === 'visitor'
      ? `visitor${c.origin ? ' from a foreign origin' : ''}`
      : 'nobody';

// ---- The tests --------------------------------------------------------------------------------

describe('the permission table', () => {
  it('has an entry for every route the app serves, and no entry for a route it lacks', () => {
    const served = new Set(parley.parley.routes.map((r) => `${r.method} ${r.url}`));
    // The console's files are registered one route per file (no wildcard): its `/*` entry covers files, not new API.
    const covered = (route: string) =>
      route in ROUTES ||
      Object.keys(ROUTES).some(
        (key) => key.endsWith('/*') && route.startsWith(key.slice(0, -1)) && /(\.\w+|\/)$/.test(route),
      );
    expect([...served].filter((route) => !covered(route))).toEqual([]);
    const stale = Object.entries(ROUTES).filter(
      ([route, rule]) => !served.has(route) && !(rule.who === 'anyone' && rule.onlyWhenBuilt),
    );
    expect(stale.map(([route]) => route)).toEqual([]);
  });

  it('has an entry for every socket frame of the protocol', () => {
    expect(Object.keys(VISITOR_FRAMES).sort()).toEqual(Object.keys(visitorFrameData).sort());
    expect(Object.keys(OPERATOR_FRAMES).sort()).toEqual(Object.keys(operatorFrameData).sort());
  });
});

describe('HTTP routes', () => {
  const guarded = Object.entries(ROUTES).filter(
    (entry): entry is [string, GuardedRule] => entry[1].who !== 'anyone',
  );

  it.each(guarded)('%s: refuses whom it must, writing nothing, and serves the rest', async (_route, rule) => {
    const w = await newWorld({ spareSites: rule.spareSites });
    const expectations = await expectationsFor(rule, w);
    const before = await snapshotRows(parley.services.ctx.db);
    for (const { caller, expect: expected } of expectations.filter((e) => e.expect !== 'allowed')) {
      expect(await callAs(caller, callOf(rule, w, caller)), describeCaller(caller)).toBe(expected);
    }
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
    for (const { caller } of expectations.filter((e) => e.expect === 'allowed')) {
      await rule.prepare?.(w);
      const status = await callAs(caller, callOf(rule, w, caller));
      expect(status < 300 ? 'allowed' : status, describeCaller(caller)).toBe('allowed');
    }
    // Work an allowed call queued (a link's delivery) must not land inside the next entry's snapshots.
    await waitUntil(outboxIdle);
  });
});

function callOf(rule: GuardedRule, w: World, caller: Caller): Call {
  return rule.call(w, { name: caller.kind === 'operator' ? caller.name : caller.kind, me: meOf(caller) });
}

async function outboxIdle(): Promise<boolean> {
  const busy = await parley.services.ctx.db
    .selectFrom('outbox')
    .select('id')
    .where('status', 'in', ['pending', 'running'])
    // This Parley has no SMTP_URL: emails wait in the outbox by design (nothing dropped), never idle.
    .where('topic', '!=', 'email.send')
    .executeTakeFirst();
  return busy === undefined;
}

type FrameOutcome = 'ack' | string;

async function sendFrame(socket: TestSocket, type: string, data: unknown): Promise<FrameOutcome> {
  try {
    await socket.request(type, data);
    return 'ack';
  } catch (error) {
    const frame = (error as { frame?: { error?: { code: string } } }).frame;
    if (!frame?.error) throw error;
    return frame.error.code;
  }
}

async function operatorSocket(who: OperatorRole | 'outsider'): Promise<TestSocket> {
  const caller = await operatorCaller(who);
  const socket = await TestSocket.operator(parley.wsUrl, caller.cookie);
  await socket.waitFor('session.ready');
  return socket;
}

describe('visitor frames', () => {
  it.each(Object.entries(VISITOR_FRAMES))(
    '%s: a visitor acts only on its own conversations',
    async (type, rule) => {
      const w = await newWorld();
      const own = await TestSocket.visitor(parley.wsUrl, w.visitorToken);
      await own.waitFor('session.ready');
      if (rule.who === 'own') {
        const other = await startVisitorSession(parley.url);
        const stranger = await TestSocket.visitor(parley.wsUrl, other.visitorToken);
        await stranger.waitFor('session.ready');
        const before = await snapshotRows(parley.services.ctx.db);
        expect(await sendFrame(stranger, type, rule.data(w))).toBe('not_found');
        expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
        await stranger.close();
      }
      expect(await sendFrame(own, type, rule.data(w))).toBe('ack');
      await own.close();
    },
  );
});

describe('operator frames', () => {
  it.each(Object.entries(OPERATOR_FRAMES))(
    '%s: refuses operators of other sites and roles the rule leaves out, writing nothing',
    async (type, rule) => {
      const w = await newWorld();
      if (rule.who !== 'self' && rule.who !== 'own') {
        const action = rule.who;
        const before = await snapshotRows(parley.services.ctx.db);
        const outsider = await operatorSocket('outsider');
        expect(await sendFrame(outsider, type, rule.data(w)), 'outsider').toBe('not_found');
        await outsider.close();
        for (const role of OPERATOR_ROLES.filter((r) => !roleMay(r, action))) {
          const socket = await operatorSocket(role);
          expect(await sendFrame(socket, type, rule.data(w)), role).toBe('forbidden');
          await socket.close();
        }
        expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
      }
      const allowed =
        rule.who === 'self' || rule.who === 'own'
          ? OPERATOR_ROLES
          : OPERATOR_ROLES.filter((r) => roleMay(r, rule.who as OperatorAction));
      for (const role of allowed) {
        const socket = await operatorSocket(role);
        expect(await sendFrame(socket, type, rule.data(w)), role).toBe('ack');
        await socket.close();
      }
    },
  );
});
