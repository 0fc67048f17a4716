/**
 * No visitor-facing path carries a note. One test walks every way data
 * reaches a visitor — each socket frame a widget may send (from the runtime
 * schema map), each event type a widget may receive (`VISITOR_EVENT_TYPES`),
 * and each HTTP route of the app (read from the running app, each classified
 * below) — around a conversation whose notes sit in the middle and at the
 * end (one mentioning a colleague), and asserts the notes' text appears
 * nowhere — frames, sync, the widget session's history, the answers of every
 * route, the operator messages the launcher's badge counts, the conversation
 * row whose last-message preview is the operators' — and the visitor's seqs
 * have no gap to infer them from. The chat frame receives exactly these
 * answers and events; the loader only what the frame derives from them.
 * Every kind of email (issue 13) is composed for the same conversation and
 * checked alike: a mail is a path to the visitor too.
 *
 * A new visitor frame, event type or route fails this test until it has an
 * entry here.
 */
import {
  API_PATHS,
  DOSSIER_PATHS,
  FILE_PATHS,
  type MessageDTO,
  SEGMENT_PATHS,
  VISITOR_EVENT_TYPES,
  type VisitorClientFrames,
  type WidgetSessionResponse,
} from '@parley/protocol';
import { visitorFrameData } from '@parley/protocol/schemas';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { composeMail } from '../modules/mail/outgoing/compose.js';
import { mailConfig } from '../modules/mail/outgoing/config.js';
import type { EmailSend } from '../outbox/topics.js';
import { BROWSER_USER_AGENT, startVisitorSession, TestSocket } from '../testing/clients.js';
import { addOperator, connectOperator, newClientId } from '../testing/fixtures.js';
import { samplePng } from '../testing/sample-files.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const NOTES = ['NOTE-in-the-middle-7f3a', 'NOTE-at-the-end-9c1e'];
/** A colleague the last note mentions: the mention (stored, announced to her) must not reach the visitor either. */
const COLLEAGUE = 'Mentioned Colleague';

let parley: TestParley | undefined;
const INBOUND_SECRET = 'visitor-paths-inbound-secret-0123456789';

beforeAll(async () => {
  // The inbound mail endpoint exists only with its secret: configured so the walk meets it.
  parley = await startTestParley({ env: { INBOUND_MAIL_SECRET: INBOUND_SECRET } });
});
afterAll(async () => {
  await parley?.close();
});

/** Built files (one route per file once the clients are built), served the same to anyone. */
const STATIC_FILES = /^GET \/(\*|console|widget\/|shop\/(?!demo-customer$))/;

/**
 * Every route of the app as "METHOD /path", read from Fastify's route tree
 * (HEAD left out: it mirrors GET); built files as one entry.
 */
function routesOf(tree: string): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[└├]── (\S+) \(([^)]+)\)/u.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path =
      depth === 0
        ? (match[2] ?? '')
        : `${parents[depth - 1] === '/' ? '/' : (parents[depth - 1] ?? '')}${match[2]}`;
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method === 'HEAD') continue;
      const route = `${method} ${path}`;
      routes.push(STATIC_FILES.test(route) ? 'GET (built files)' : route);
    }
  }
  return [...new Set(routes)].sort();
}

type RouteKind =
  /** Answers a visitor (or anyone) with data: probed below and checked for notes. */
  | { kind: 'visitor'; probe: (base: string, token: string) => Promise<string> }
  /** Refuses anyone without an operator session: checked to answer 401 without one. */
  | { kind: 'operator'; path: string; body?: object }
  /** A mail provider's webhook: refuses anyone without INBOUND_MAIL_SECRET (a visitor's token is not it). */
  | { kind: 'mail-provider'; path: string }
  /** Carries no conversation data whatever is stored (health, login, built files). */
  | { kind: 'no-conversation-data'; why: string };

const post = (base: string, path: string, body: object, token?: string) =>
  fetch(base + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': BROWSER_USER_AGENT,
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  }).then((r) => r.text());

const anyId = '00000000-0000-4000-8000-000000000000';

const ROUTES: Record<string, RouteKind> = {
  'POST /api/widget/session': {
    kind: 'visitor',
    probe: (base, token) => post(base, API_PATHS.widgetSession, { siteKey: 'demo', visitorToken: token }),
  },
  'POST /api/widget/requests': {
    kind: 'visitor',
    probe: (base, token) =>
      post(
        base,
        API_PATHS.widgetRequests,
        { clientId: newClientId(), email: 'v@shop.example', text: 'call me' },
        token,
      ),
  },
  // The socket: its frames and events are walked below.
  'GET /ws/visitor': { kind: 'visitor', probe: async () => '' },
  'GET /avatars/:id': {
    kind: 'visitor',
    probe: (base) => fetch(`${base}/avatars/${anyId}`).then((r) => r.text()),
  },
  // Files (issue 11): a visitor's upload answers with the file only; fetching answers bytes of files the
  // visitor may see, and a note's file is 404 to them (http/files.test.ts).
  'POST /api/widget/files': {
    kind: 'visitor',
    probe: (base, token) =>
      fetch(`${base}${FILE_PATHS.widgetFiles}?name=a.png`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
        body: samplePng(4, 4),
      }).then((r) => r.text()),
  },
  'GET /api/files/:id': {
    kind: 'visitor',
    probe: (base, token) =>
      fetch(`${base}${FILE_PATHS.file(anyId)}`, { headers: { authorization: `Bearer ${token}` } }).then((r) =>
        r.text(),
      ),
  },
  'POST /api/conversations/:id/files': {
    kind: 'operator',
    path: FILE_PATHS.conversationFiles(anyId),
    body: {},
  },
  'GET /': { kind: 'no-conversation-data', why: 'redirect to the console' },
  'GET (built files)': {
    kind: 'no-conversation-data',
    why: 'the widget, console and demo shop files as built (the frame page names only its site)',
  },
  'GET /healthz': { kind: 'no-conversation-data', why: 'liveness' },
  'GET /readyz': { kind: 'no-conversation-data', why: 'readiness' },
  'POST /api/auth/login': { kind: 'no-conversation-data', why: 'answers with the operator session only' },
  'POST /api/auth/logout': { kind: 'operator', path: API_PATHS.logout, body: {} },
  'GET /api/auth/me': { kind: 'operator', path: API_PATHS.me },
  'PATCH /api/operators/me': { kind: 'operator', path: API_PATHS.profile, body: {} },
  'PUT /api/operators/me/avatar': { kind: 'operator', path: API_PATHS.avatar, body: {} },
  'GET /api/conversations': { kind: 'operator', path: API_PATHS.conversations },
  'GET /api/conversations/:id': { kind: 'operator', path: API_PATHS.conversation(anyId) },
  'GET /api/conversations/:id/messages': { kind: 'operator', path: API_PATHS.conversationMessages(anyId) },
  'POST /api/conversations/:id/messages': {
    kind: 'operator',
    path: API_PATHS.conversationMessages(anyId),
    body: {},
  },
  'POST /api/conversations/:id/close': {
    kind: 'operator',
    path: API_PATHS.closeConversation(anyId),
    body: {},
  },
  'POST /api/conversations/:id/reopen': {
    kind: 'operator',
    path: API_PATHS.reopenConversation(anyId),
    body: {},
  },
  'GET /api/visitors/:id': { kind: 'operator', path: API_PATHS.visitor(anyId) },
  'GET /api/sites/:id/visitors-now': { kind: 'operator', path: API_PATHS.siteVisitorsNow(anyId) },
  'POST /api/visitors/:id/chats': {
    kind: 'operator',
    path: API_PATHS.visitorChats(anyId),
    body: { clientId: 'abcdefgh12', text: 'Hi' },
  },
  'GET /api/sites': { kind: 'operator', path: API_PATHS.sites },
  'POST /api/sites': { kind: 'operator', path: API_PATHS.sites, body: {} },
  'DELETE /api/sites/:id': { kind: 'operator', path: API_PATHS.site(anyId) },
  'GET /api/sites/:id': { kind: 'operator', path: API_PATHS.site(anyId) },
  'PATCH /api/sites/:id': { kind: 'operator', path: API_PATHS.site(anyId), body: {} },
  'GET /api/presence': { kind: 'operator', path: API_PATHS.presence },
  // Routing (issue 10): operators only. The visitor's side of routing (`queue.updated`, the session's
  // `queue` and `departments`) carries positions and department names, never a message.
  'GET /api/sites/:id/routing': { kind: 'operator', path: API_PATHS.siteRouting(anyId) },
  'PATCH /api/sites/:id/routing': { kind: 'operator', path: API_PATHS.siteRouting(anyId), body: {} },
  'POST /api/sites/:id/departments': { kind: 'operator', path: API_PATHS.siteDepartments(anyId), body: {} },
  'PATCH /api/departments/:id': { kind: 'operator', path: API_PATHS.department(anyId), body: {} },
  'DELETE /api/departments/:id': { kind: 'operator', path: API_PATHS.department(anyId) },
  'PUT /api/sites/:id/operators/:operatorId/chat-limit': {
    kind: 'operator',
    path: API_PATHS.operatorChatLimit(anyId, anyId),
    body: {},
  },
  'POST /api/conversations/:id/transfer': {
    kind: 'operator',
    path: API_PATHS.transferConversation(anyId),
    body: {},
  },
  'POST /api/conversations/:id/invite': {
    kind: 'operator',
    path: API_PATHS.inviteToConversation(anyId),
    body: {},
  },
  'POST /api/conversations/:id/take': { kind: 'operator', path: API_PATHS.takeConversation(anyId), body: {} },
  'GET /api/sites/:id/canned-replies': { kind: 'operator', path: API_PATHS.cannedReplies(anyId) },
  'POST /api/sites/:id/canned-replies': { kind: 'operator', path: API_PATHS.cannedReplies(anyId), body: {} },
  'PATCH /api/canned-replies/:id': { kind: 'operator', path: API_PATHS.cannedReply(anyId), body: {} },
  'DELETE /api/canned-replies/:id': { kind: 'operator', path: API_PATHS.cannedReply(anyId) },
  'GET /api/mentions': { kind: 'operator', path: API_PATHS.mentions },
  'POST /api/mentions/read': { kind: 'operator', path: API_PATHS.mentionsRead, body: {} },
  'GET /api/sites/:id/tags': { kind: 'operator', path: API_PATHS.siteTags(anyId) },
  'POST /api/sites/:id/tags': { kind: 'operator', path: API_PATHS.siteTags(anyId), body: {} },
  'PATCH /api/tags/:id': { kind: 'operator', path: API_PATHS.tag(anyId), body: {} },
  'DELETE /api/tags/:id': { kind: 'operator', path: API_PATHS.tag(anyId) },
  'POST /api/conversations/:id/tags': {
    kind: 'operator',
    path: API_PATHS.conversationTags(anyId),
    body: {},
  },
  'DELETE /api/conversations/:id/tags/:tagId': {
    kind: 'operator',
    path: API_PATHS.conversationTag(anyId, anyId),
  },
  // Search finds notes (for operators); a visitor's token must not open it.
  'GET /api/search': { kind: 'operator', path: `${API_PATHS.search}?q=NOTE` },
  'GET /ws/operator': { kind: 'operator', path: API_PATHS.operatorSocket },
  // The team (members, invitations, one-time links) and the operator's own password and sessions.
  'GET /api/team/members': { kind: 'operator', path: API_PATHS.teamMembers },
  'PATCH /api/team/members/:id': { kind: 'operator', path: API_PATHS.teamMember(anyId), body: {} },
  'PUT /api/team/members/:id/sites': { kind: 'operator', path: API_PATHS.teamMemberSites(anyId), body: {} },
  'POST /api/team/members/:id/deactivate': {
    kind: 'operator',
    path: API_PATHS.deactivateMember(anyId),
    body: {},
  },
  'POST /api/team/members/:id/reactivate': {
    kind: 'operator',
    path: API_PATHS.reactivateMember(anyId),
    body: {},
  },
  'POST /api/team/members/:id/password-reset': {
    kind: 'operator',
    path: API_PATHS.memberPasswordReset(anyId),
    body: {},
  },
  'GET /api/team/invitations': { kind: 'operator', path: API_PATHS.invitations },
  'POST /api/team/invitations': { kind: 'operator', path: API_PATHS.invitations, body: {} },
  'POST /api/team/invitations/:id/resend': {
    kind: 'operator',
    path: API_PATHS.resendInvitation(anyId),
    body: {},
  },
  'POST /api/team/invitations/:id/revoke': {
    kind: 'operator',
    path: API_PATHS.revokeInvitation(anyId),
    body: {},
  },
  'POST /api/team/links/lookup': {
    kind: 'no-conversation-data',
    why: 'what a one-time link is for: its kind, state, email and role',
  },
  'POST /api/team/links/accept': {
    kind: 'no-conversation-data',
    why: 'answers with the operator session only',
  },
  'PUT /api/operators/me/password': { kind: 'operator', path: API_PATHS.ownPassword, body: {} },
  'GET /api/operators/me/sessions': { kind: 'operator', path: API_PATHS.ownSessions },
  'DELETE /api/operators/me/sessions/:id': { kind: 'operator', path: API_PATHS.ownSession('A'.repeat(43)) },
  // Email out (issue 13): the transcript request answers with the address only; the mails themselves
  // are walked below (EMAIL_PROBES).
  'POST /api/widget/transcript': {
    kind: 'visitor',
    probe: (base, token) => post(base, API_PATHS.widgetTranscript, {}, token),
  },
  'GET /api/mail/status': { kind: 'operator', path: API_PATHS.mailStatus },
  'GET /api/account/mail-preferences': { kind: 'operator', path: API_PATHS.ownMailPreferences },
  'PATCH /api/account/mail-preferences': { kind: 'operator', path: API_PATHS.ownMailPreferences, body: {} },
  'GET /mail/unsubscribe': { kind: 'no-conversation-data', why: 'a page with a button, in three languages' },
  'POST /mail/unsubscribe': { kind: 'no-conversation-data', why: 'turns a kind of mail off; answers a page' },
  // Tracking (issue 12): the loader's batches answer with the visitor's token and counts only.
  'POST /api/widget/track': {
    kind: 'visitor',
    probe: (base, token) =>
      post(base, API_PATHS.widgetTrack, {
        siteKey: 'demo',
        visitorToken: token,
        items: [{ t: 'page', id: 'p1', ago: 0, url: 'https://shop.example/cart', title: 'Cart' }],
      }),
  },
  // Identity (issue 12): identify answers with a token and flags; its preflight with headers; the demo
  // shop's stand-in server with its one signed customer.
  'POST /api/widget/identify': {
    kind: 'visitor',
    probe: (base, token) =>
      post(base, API_PATHS.widgetIdentify, {
        siteKey: 'demo',
        visitorToken: token,
        name: 'Visitor of the walk',
      }),
  },
  'OPTIONS /api/widget/identify': {
    kind: 'visitor',
    probe: (base) =>
      fetch(base + API_PATHS.widgetIdentify, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      }).then(async (r) => JSON.stringify([...r.headers]) + (await r.text())),
  },
  'GET /shop/demo-customer': {
    kind: 'visitor',
    probe: (base) => fetch(`${base}/shop/demo-customer`).then((r) => r.text()),
  },
  'GET /api/sites/:id/identity': { kind: 'operator', path: API_PATHS.siteIdentity(anyId) },
  'PATCH /api/sites/:id/identity': { kind: 'operator', path: API_PATHS.siteIdentity(anyId), body: {} },
  'POST /api/sites/:id/identity/secret': {
    kind: 'operator',
    path: API_PATHS.siteIdentitySecret(anyId),
    body: {},
  },
  // The dossier and segments (issue 12): operators only.
  'GET /api/visitors/:id/dossier': { kind: 'operator', path: DOSSIER_PATHS.visitorDossier(anyId) },
  'PATCH /api/visitors/:id': { kind: 'operator', path: API_PATHS.visitor(anyId), body: {} },
  'GET /api/sites/:id/segments': { kind: 'operator', path: SEGMENT_PATHS.siteSegments(anyId) },
  'POST /api/sites/:id/segments': { kind: 'operator', path: SEGMENT_PATHS.siteSegments(anyId), body: {} },
  'POST /api/sites/:id/segments/preview': {
    kind: 'operator',
    path: SEGMENT_PATHS.segmentPreview(anyId),
    body: {},
  },
  'POST /api/sites/:id/segments/membership': {
    kind: 'operator',
    path: SEGMENT_PATHS.segmentMembership(anyId),
    body: {},
  },
  'PATCH /api/segments/:id': { kind: 'operator', path: SEGMENT_PATHS.segment(anyId), body: {} },
  'DELETE /api/segments/:id': { kind: 'operator', path: SEGMENT_PATHS.segment(anyId) },
  // Email in (issue 13): the provider's webhook answers it with ids or an outcome, never text.
  'POST /api/mail/inbound': { kind: 'mail-provider', path: API_PATHS.mailInbound },
};

/**
 * Every kind of email, composed for the walked conversation as the sender would. A new kind fails the
 * type-check here until it has a probe. Operators' notifications are probed too: an operator may forward one.
 */
const EMAIL_PROBES: { [K in EmailSend['kind']]: (ids: EmailProbeIds) => Extract<EmailSend, { kind: K }> } = {
  'unseen-replies': ({ conversationId }) => ({
    kind: 'unseen-replies',
    conversationId,
    afterSeq: 0,
    throughSeq: 1000,
  }),
  transcript: ({ conversationId }) => ({
    kind: 'transcript',
    conversationId,
    email: 'v@shop.example',
    throughSeq: 1000,
  }),
  'offline-request': ({ conversationId, operatorId }) => ({
    kind: 'offline-request',
    conversationId,
    operatorId,
  }),
  'missed-chat': ({ conversationId, operatorId }) => ({ kind: 'missed-chat', conversationId, operatorId }),
  digest: ({ siteId, operatorId }) => ({
    kind: 'digest',
    siteId,
    operatorId,
    from: new Date(Date.now() - 86_400_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
    period: 'daily',
  }),
};
interface EmailProbeIds {
  conversationId: string;
  operatorId: string;
  siteId: string;
}

/** Each frame a visitor may send, exercised; the answer is checked like everything else. */
const FRAME_PROBES: {
  [K in keyof VisitorClientFrames]: (socket: TestSocket, conversationId: string) => Promise<unknown>;
} = {
  'conversation.sync': (socket, conversationId) =>
    socket.request('conversation.sync', { conversationId, afterSeq: 0 }),
  'typing.set': (socket) => socket.request('typing.set', { typing: true, preview: 'about my order' }),
  'visitor.page': (socket) => socket.request('visitor.page', { url: 'https://shop.example/cart' }),
  'message.send': (socket) => socket.request('message.send', { clientId: newClientId(), text: 'thanks' }),
  'conversation.read': (socket, conversationId) =>
    socket.request('conversation.read', { conversationId, seq: 1 }),
};

/**
 * A visitor whose socket connects with a token past half its life, so the
 * walk also receives the token's renewal (`visitor.token`) on that socket.
 */
async function connectVisitorWithAgedToken(parley: TestParley) {
  const session = await startVisitorSession(parley.url);
  const { signer } = parley.services;
  const aged = signer.issue(
    { visitorId: session.visitorId, siteId: parley.demoSiteId, generation: 0 },
    new Date(Date.now() - signer.ttlMs * 0.75),
  );
  const socket = await TestSocket.visitor(parley.wsUrl, aged.token);
  await socket.waitFor('session.ready');
  return { session, socket };
}

it('carries no note to a visitor by any path, and leaves no gap to infer one', async () => {
  if (!parley) throw new Error('no Parley');
  const { url } = parley;
  const routes = routesOf(parley.parley.app.printRoutes({ commonPrefix: false }));
  expect(routes, 'every route of the app is classified in ROUTES').toEqual(Object.keys(ROUTES).sort());
  expect(Object.keys(FRAME_PROBES).sort(), 'every visitor frame has a probe').toEqual(
    Object.keys(visitorFrameData).sort(),
  );

  const operator = await connectOperator(parley);
  const colleague = await addOperator(parley, COLLEAGUE);
  const colleagueSocket = await TestSocket.operator(parley.wsUrl, colleague.session.cookie);
  await colleagueSocket.waitFor('session.ready');
  const visitor = await connectVisitorWithAgedToken(parley);
  const token = visitor.session.visitorToken;
  const ask = (text: string) =>
    visitor.socket.request<{ message: MessageDTO }>('message.send', { clientId: newClientId(), text });
  const write = (conversationId: string, text: string, visibility?: 'internal') =>
    operator.socket.request('message.send', {
      conversationId,
      clientId: newClientId(),
      text,
      ...(visibility && { visibility }),
    });

  const { message: question } = await ask('Where is my order?');
  const conversationId = question.conversationId;
  await write(conversationId, NOTES[0] ?? '', 'internal');
  // Typing a note is not announced to the visitor (an "is typing…" with no message after would tell).
  await operator.socket.request('typing.set', { conversationId, typing: true, visibility: 'internal' });
  await operator.socket.request('typing.set', { conversationId, typing: true });
  await visitor.socket.waitFor('typing.updated');
  await write(conversationId, 'It left the warehouse today');
  await write(conversationId, `@${COLLEAGUE} ${NOTES[1]}`, 'internal');
  await colleagueSocket.waitFor('mention.created');
  await visitor.socket.waitForMessage((m) => m.text === 'It left the warehouse today');
  // An operator reads up to the last note: the visitor hears of it in its own numbering only.
  await operator.socket.request('conversation.read', { conversationId, seq: 4 });
  const read = await visitor.socket.waitFor<{ seq: number }>('conversation.read');
  expect(read.seq).toBe(2);

  const answers: unknown[] = [];
  for (const [route, entry] of Object.entries(ROUTES)) {
    if (entry.kind === 'visitor') answers.push(route, await entry.probe(url, token));
    if (entry.kind === 'operator') {
      const method = route.split(' ')[0] ?? 'GET';
      const response = await fetch(url + entry.path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(entry.body && { 'content-type': 'application/json' }),
        },
        ...(entry.body && { body: JSON.stringify(entry.body) }),
      });
      expect(response.status, `${route} refuses a visitor`).toBe(401);
    }
    if (entry.kind === 'mail-provider') {
      const response = await fetch(url + entry.path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'message/rfc822' },
        body: `From: v@shop.example\r\nTo: reply+x@mail.shop.example\r\nSubject: Re\r\n\r\nThanks\r\n`,
      });
      expect(response.status, `${route} refuses a visitor's token`).toBe(401);
      answers.push(route, await response.text());
    }
  }
  for (const [frame, probe] of Object.entries(FRAME_PROBES)) {
    answers.push(frame, await probe(visitor.socket, conversationId));
  }
  // The last events a visitor can get: availability changes, the conversation closes, the node drains.
  await operator.socket.request('operator.status', { status: 'away' });
  await operator.socket.request('operator.status', { status: 'online' });
  const close = await fetch(`${url}${API_PATHS.closeConversation(conversationId)}`, {
    method: 'POST',
    headers: { cookie: operator.session.cookie, 'x-csrf-token': operator.session.csrfToken },
  });
  expect(close.status).toBe(200);
  await visitor.socket.waitFor('conversation.updated');
  // Every email, as it would be sent (by SMTP or not): the note is in none.
  const mailConfigOfTest = mailConfig({ mailReplyDomain: 'mail.shop.example', publicUrl: url });
  const ids = { conversationId, operatorId: operator.session.operator.id, siteId: parley.demoSiteId };
  for (const [kind, payloadOf] of Object.entries(EMAIL_PROBES)) {
    const mail = await composeMail(parley.services.ctx.db, mailConfigOfTest, payloadOf(ids) as EmailSend);
    expect(mail, `the walk composes a ${kind} email`).not.toBeNull();
    answers.push(`email ${kind}`, mail);
  }
  expect(JSON.stringify(answers[answers.indexOf('email unseen-replies') + 1])).toContain(
    'It left the warehouse today',
  );
  await parley.close();
  parley = undefined;

  const received = visitor.socket.events;
  for (const type of VISITOR_EVENT_TYPES) {
    expect(
      received.some((e) => e.type === type),
      `the walk makes the visitor receive ${type}`,
    ).toBe(true);
  }
  expect(received.filter((e) => e.type === 'typing.updated')).toHaveLength(1);
  const everything = JSON.stringify([visitor.session, answers, received]);
  for (const note of NOTES) expect(everything).not.toContain(note);
  expect(everything).not.toContain(COLLEAGUE);
  expect(everything).toContain('It left the warehouse today');
  // The last-message preview is a conversation row's, and no visitor path carries a row.
  expect(everything).not.toContain('"lastMessage"');
  // The launcher's badge and chime count the operator messages the frame receives live (`show` in the
  // frame's app.ts): the one public reply, never a note.
  const operatorMessages = visitor.socket
    .messagesReceived()
    .filter((m) => m.author.kind === 'operator' && m.conversationId === conversationId);
  expect(operatorMessages.map((m) => m.text)).toEqual(['It left the warehouse today']);

  // The visitor's numbering is gapless everywhere: live, in the history, in a resync.
  const session = JSON.parse(
    String(answers[answers.indexOf('POST /api/widget/session') + 1]),
  ) as WidgetSessionResponse;
  const sync = answers[answers.indexOf('conversation.sync') + 1] as { messages: MessageDTO[] };
  const seqs = (messages: MessageDTO[]) =>
    messages.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
  const live = visitor.socket.messagesReceived();
  for (const messages of [session.history, sync.messages, live]) {
    const numbers = seqs(messages);
    expect(numbers.length).toBeGreaterThan(1);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  }
});
