/**
 * Text containing U+0000 in any text field of any route or frame gets a clear
 * 400 / `bad_request` naming the problem, and writes nothing. Before, it
 * passed validation and PostgreSQL's refusal surfaced as a 500 / `internal`.
 */
import { API_PATHS } from '@parley/protocol';
import { NUL_REFUSAL } from '@parley/protocol/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSocket } from '../testing/clients.js';
import {
  closeAllSockets,
  connectOperator,
  connectVisitor,
  countRows,
  newClientId,
} from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

const NUL = String.fromCharCode(0);
const nul = (text: string) => `${text.slice(0, 2)}${NUL}${text.slice(2)}`;

let parley: TestParley;
let operator: Awaited<ReturnType<typeof connectOperator>>;
let visitor: Awaited<ReturnType<typeof connectVisitor>>;
let conversationId: string;
let rowsBefore: Record<string, number>;

beforeAll(async () => {
  parley = await startTestParley();
  operator = await connectOperator(parley);
  visitor = await connectVisitor(parley);
  const ack = await visitor.socket.request<{ message: { conversationId: string } }>('message.send', {
    clientId: newClientId(),
    text: 'hello',
  });
  conversationId = ack.message.conversationId;
  rowsBefore = await countRows(parley.services.ctx.db);
});
afterAll(async () => {
  await closeAllSockets();
  await parley?.close();
});

const refusedForNul = {
  code: 'bad_request',
  issues: expect.arrayContaining([expect.objectContaining({ message: NUL_REFUSAL })]),
};

type As = 'operator' | 'visitor' | 'nobody';
interface HttpCase {
  method: string;
  path: () => string;
  body?: () => unknown;
  as: As;
}

const session = (fields: Record<string, unknown>) => ({
  siteKey: 'demo',
  page: { url: 'https://shop.example/', title: 'Shop' },
  ...fields,
});
const offline = (fields: Record<string, unknown>) => ({
  clientId: newClientId(),
  email: 'ann@shop.example',
  phone: '+374 10 123456',
  text: 'Call me',
  ...fields,
});
const send = (fields: Record<string, unknown>) => ({ clientId: newClientId(), text: 'hi', ...fields });
const q = (value: string) => encodeURIComponent(nul(value));

const httpCases: Record<string, HttpCase> = {
  'login email': {
    method: 'POST',
    path: () => API_PATHS.login,
    body: () => ({ email: nul('admin@parley.test'), password: 'whatever1' }),
    as: 'nobody',
  },
  'login password': {
    method: 'POST',
    path: () => API_PATHS.login,
    body: () => ({ email: 'admin@parley.test', password: nul('whatever1') }),
    as: 'nobody',
  },
  'profile displayName': {
    method: 'PATCH',
    path: () => API_PATHS.profile,
    body: () => ({ displayName: nul('Admin') }),
    as: 'operator',
  },
  'conversation list cursor': {
    method: 'GET',
    path: () => `${API_PATHS.conversations}?cursor=${q('abc')}`,
    as: 'operator',
  },
  'conversation list siteId': {
    method: 'GET',
    path: () => `${API_PATHS.conversations}?siteId=${q(parley.demoSiteId)}`,
    as: 'operator',
  },
  'conversation id': { method: 'GET', path: () => API_PATHS.conversation(q(conversationId)), as: 'operator' },
  'presence siteId': {
    method: 'GET',
    path: () => `${API_PATHS.presence}?siteId=${q(parley.demoSiteId)}`,
    as: 'operator',
  },
  'operator message text': {
    method: 'POST',
    path: () => API_PATHS.conversationMessages(conversationId),
    body: () => send({ text: nul('Hello there') }),
    as: 'operator',
  },
  'operator message clientId': {
    method: 'POST',
    path: () => API_PATHS.conversationMessages(conversationId),
    body: () => send({ clientId: nul(newClientId()) }),
    as: 'operator',
  },
  'site name': {
    method: 'PATCH',
    path: () => API_PATHS.site(parley.demoSiteId),
    body: () => ({ name: nul('Demo shop') }),
    as: 'operator',
  },
  'site allowed origin': {
    method: 'PATCH',
    path: () => API_PATHS.site(parley.demoSiteId),
    body: () => ({ allowedOrigins: [nul('https://shop.example')] }),
    as: 'operator',
  },
  'site greeting': {
    method: 'PATCH',
    path: () => API_PATHS.site(parley.demoSiteId),
    body: () => ({ settings: { greeting: { en: nul('Hello!'), ru: nul('Привет'), hy: nul('Բարեւ') } } }),
    as: 'operator',
  },
  'site accent colour': {
    method: 'PATCH',
    path: () => API_PATHS.site(parley.demoSiteId),
    body: () => ({ settings: { accentColor: nul('#2563eb') } }),
    as: 'operator',
  },
  'widget session siteKey': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ siteKey: nul('demo') }),
    as: 'nobody',
  },
  'widget session visitorToken': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ visitorToken: nul(visitor.session.visitorToken) }),
    as: 'nobody',
  },
  'widget session page url': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ page: { url: `https://shop.example/${NUL}`, title: 'Shop' } }),
    as: 'nobody',
  },
  'widget session page title': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ page: { url: 'https://shop.example/', title: nul('Shoes') } }),
    as: 'nobody',
  },
  'widget session referrer': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ referrer: `https://search.example/?q=${NUL}` }),
    as: 'nobody',
  },
  'widget session language': {
    method: 'POST',
    path: () => API_PATHS.widgetSession,
    body: () => session({ language: nul('hy-AM') }),
    as: 'nobody',
  },
  // Served once the widget is built (npm test builds first, as sites.test.ts relies on too).
  'chat frame site key': { method: 'GET', path: () => `/widget/frame.html?site=${q('demo')}`, as: 'nobody' },
  'offline request clientId': {
    method: 'POST',
    path: () => API_PATHS.widgetRequests,
    body: () => offline({ clientId: nul(newClientId()) }),
    as: 'visitor',
  },
  'offline request email': {
    method: 'POST',
    path: () => API_PATHS.widgetRequests,
    body: () => offline({ email: `ann${NUL}@shop.example` }),
    as: 'visitor',
  },
  'offline request phone': {
    method: 'POST',
    path: () => API_PATHS.widgetRequests,
    body: () => offline({ phone: nul('+374 10') }),
    as: 'visitor',
  },
  'offline request text': {
    method: 'POST',
    path: () => API_PATHS.widgetRequests,
    body: () => offline({ text: nul('Please call') }),
    as: 'visitor',
  },
};

async function call({ method, path, body, as }: HttpCase) {
  const headers: Record<string, string> = {};
  if (body) headers['content-type'] = 'application/json';
  if (as === 'operator') {
    headers.cookie = operator.session.cookie;
    headers['x-csrf-token'] = operator.session.csrfToken;
  }
  if (as === 'visitor') headers.authorization = `Bearer ${visitor.session.visitorToken}`;
  const response = await fetch(parley.url + path(), {
    method,
    headers,
    ...(body && { body: JSON.stringify(body()) }),
  });
  return { status: response.status, body: (await response.json()) as { error?: unknown } };
}

describe('HTTP', () => {
  it.each(Object.keys(httpCases))('%s: 400 bad_request', async (name) => {
    const result = await call(httpCases[name] as HttpCase);
    expect(result).toEqual({ status: 400, body: { error: expect.objectContaining(refusedForNul) } });
  });
});

const visitorFrames: Record<string, [string, () => unknown]> = {
  'message.send text': ['message.send', () => send({ text: nul('Hello') })],
  'message.send clientId': ['message.send', () => send({ clientId: nul(newClientId()) })],
  'typing.set preview': ['typing.set', () => ({ typing: true, preview: nul('Do you') })],
  'visitor.page url': ['visitor.page', () => ({ url: `https://shop.example/${NUL}` })],
  'visitor.page title': ['visitor.page', () => ({ url: 'https://shop.example/', title: nul('Cart') })],
  'conversation.sync conversationId': [
    'conversation.sync',
    () => ({ conversationId: nul(conversationId), afterSeq: 0 }),
  ],
};
const operatorFrames: Record<string, [string, () => unknown]> = {
  'message.send text': ['message.send', () => send({ conversationId, text: nul('Hello') })],
  'message.send clientId': ['message.send', () => send({ conversationId, clientId: nul(newClientId()) })],
  'message.send conversationId': ['message.send', () => send({ conversationId: nul(conversationId) })],
  'conversation.sync conversationId': [
    'conversation.sync',
    () => ({ conversationId: nul(conversationId), afterSeq: 0 }),
  ],
  'typing.set conversationId': ['typing.set', () => ({ conversationId: nul(conversationId), typing: true })],
};

const refusal = (socket: TestSocket, type: string, data: unknown) =>
  socket.request(type, data).then(
    () => 'acked',
    (error: { frame?: { error?: unknown } }) => error.frame?.error,
  );

describe('socket frames', () => {
  it.each(Object.keys(visitorFrames))('visitor %s: bad_request', async (name) => {
    const [type, data] = visitorFrames[name] ?? ['', () => null];
    expect(await refusal(visitor.socket, type, data())).toMatchObject(refusedForNul);
  });

  it.each(Object.keys(operatorFrames))('operator %s: bad_request', async (name) => {
    const [type, data] = operatorFrames[name] ?? ['', () => null];
    expect(await refusal(operator.socket, type, data())).toMatchObject(refusedForNul);
  });

  it.each(['type', 'ref'])('a frame whose %s holds NUL: bad_request', async (field) => {
    const frame = { type: 'typing.set', ref: 'r1', data: { typing: false }, [field]: nul('typing.set') };
    const seen = visitor.socket.events.length;
    visitor.socket.sendRaw(JSON.stringify(frame));
    const answer = () =>
      visitor.socket.events.slice(seen).find((e) => e.type === 'error' || e.type === 'ack');
    await expect.poll(answer).toBeDefined();
    expect(answer()).toMatchObject({ type: 'error', error: refusedForNul });
  });
});

describe('afterwards', () => {
  it('nothing was written, and both sockets still work', async () => {
    expect(await countRows(parley.services.ctx.db)).toEqual(rowsBefore);
    await expect(visitor.socket.request('typing.set', { typing: false })).resolves.toEqual({});
    await expect(operator.socket.request('operator.status', { status: 'online' })).resolves.toEqual({});
  });
});
