/**
 * Every way a client can send bad input gets a clear error (HTTP 4xx JSON or
 * an error frame) and changes nothing: row counts before and after are equal.
 */
import { LIMITS } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestSocket } from '../testing/clients.js';
import {
  closeAllSockets,
  connectOperator,
  connectVisitor,
  countRows,
  newClientId,
} from '../testing/fixtures.js';
import { startTestParley, type TestParley } from '../testing/test-parley.js';

let parley: TestParley;
let operator: Awaited<ReturnType<typeof connectOperator>>;
let visitor: Awaited<ReturnType<typeof connectVisitor>>;
let conversationId: string;

beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(async () => {
  await closeAllSockets();
  await parley?.close();
});

async function freshPair() {
  operator = await connectOperator(parley);
  visitor = await connectVisitor(parley);
  const ack = await visitor.socket.request<{ message: { conversationId: string } }>('message.send', {
    clientId: newClientId(),
    text: 'hi',
  });
  conversationId = ack.message.conversationId;
}

async function rawFetch(
  path: string,
  init: RequestInit & { csrf?: boolean; asOperator?: boolean; asVisitor?: boolean } = {},
) {
  const headers = new Headers(init.headers);
  if (init.asOperator !== false) headers.set('cookie', operator.session.cookie);
  if (init.csrf !== false) headers.set('x-csrf-token', operator.session.csrfToken);
  if (init.asVisitor) headers.set('authorization', `Bearer ${visitor.session.visitorToken}`);
  if (init.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  const response = await fetch(parley.url + path, { ...init, headers });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } },
  };
}

const long = (n: number) => 'x'.repeat(n + 1);

describe('HTTP input errors write nothing', () => {
  beforeAll(freshPair);

  const cases: [string, () => Parameters<typeof rawFetch>, number][] = [
    ['login: not JSON', () => ['/api/auth/login', { method: 'POST', body: '{oops', asOperator: false }], 400],
    [
      'login: email missing',
      () => ['/api/auth/login', { method: 'POST', body: '{"password":"x"}', asOperator: false }],
      400,
    ],
    [
      'login: wrong password',
      () => [
        '/api/auth/login',
        {
          method: 'POST',
          body: JSON.stringify({ email: 'admin@parley.test', password: 'nope' }),
          asOperator: false,
        },
      ],
      401,
    ],
    [
      'send: empty text',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: '   ' }) },
      ],
      400,
    ],
    [
      'send: text too long',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: long(LIMITS.messageText) }) },
      ],
      400,
    ],
    [
      'send: bad clientId',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', body: JSON.stringify({ clientId: 'bad id!', text: 'x' }) },
      ],
      400,
    ],
    [
      'send: unknown field',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: 'x', seq: 5 }) },
      ],
      400,
    ],
    [
      'send: no CSRF token',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', csrf: false, body: JSON.stringify({ clientId: newClientId(), text: 'x' }) },
      ],
      403,
    ],
    [
      'send: not logged in',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', asOperator: false, body: JSON.stringify({ clientId: newClientId(), text: 'x' }) },
      ],
      401,
    ],
    [
      'send: not a uuid',
      () => [
        '/api/conversations/123/messages',
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: 'x' }) },
      ],
      400,
    ],
    [
      'send: no such conversation',
      () => [
        '/api/conversations/00000000-0000-4000-8000-000000000000/messages',
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: 'x' }) },
      ],
      404,
    ],
    [
      'send: body too large',
      () => [
        `/api/conversations/${conversationId}/messages`,
        { method: 'POST', body: JSON.stringify({ clientId: newClientId(), text: long(100_000) }) },
      ],
      413,
    ],
    ['list: bad status', () => ['/api/conversations?status=maybe', {}], 400],
    ['list: bad cursor', () => ['/api/conversations?cursor=abc', {}], 400],
    ['list: limit too big', () => ['/api/conversations?limit=100000', {}], 400],
    [
      'profile: unknown status',
      () => ['/api/operators/me', { method: 'PATCH', body: JSON.stringify({ status: 'dancing' }) }],
      400,
    ],
    [
      'profile: name too long',
      () => [
        '/api/operators/me',
        { method: 'PATCH', body: JSON.stringify({ displayName: long(LIMITS.displayName) }) },
      ],
      400,
    ],
    [
      'avatar: not an image',
      () => [
        '/api/operators/me/avatar',
        { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'GIF89a-not-really' },
      ],
      400,
    ],
    [
      'widget session: unknown site',
      () => [
        '/api/widget/session',
        { method: 'POST', asOperator: false, body: JSON.stringify({ siteKey: 'nope' }) },
      ],
      404,
    ],
    [
      'widget session: javascript: page url',
      () => [
        '/api/widget/session',
        {
          method: 'POST',
          asOperator: false,
          body: JSON.stringify({ siteKey: 'demo', page: { url: 'javascript:alert(1)' } }),
        },
      ],
      400,
    ],
    [
      'widget session: foreign origin',
      () => [
        '/api/widget/session',
        {
          method: 'POST',
          asOperator: false,
          headers: { origin: 'https://evil.example' },
          body: JSON.stringify({ siteKey: 'demo' }),
        },
      ],
      403,
    ],
    [
      'request: no token',
      () => [
        '/api/widget/requests',
        {
          method: 'POST',
          asOperator: false,
          body: JSON.stringify({ clientId: newClientId(), email: 'a@b.co', text: 'x' }),
        },
      ],
      401,
    ],
    [
      'request: bad email',
      () => [
        '/api/widget/requests',
        {
          method: 'POST',
          asOperator: false,
          asVisitor: true,
          body: JSON.stringify({ clientId: newClientId(), email: 'not-an-email', text: 'x' }),
        },
      ],
      400,
    ],
    [
      'request: bad phone',
      () => [
        '/api/widget/requests',
        {
          method: 'POST',
          asOperator: false,
          asVisitor: true,
          body: JSON.stringify({ clientId: newClientId(), email: 'a@b.co', phone: '<b>', text: 'x' }),
        },
      ],
      400,
    ],
    [
      'request: forged token',
      () => [
        '/api/widget/requests',
        {
          method: 'POST',
          asOperator: false,
          headers: { authorization: 'Bearer a.b.c' },
          body: JSON.stringify({ clientId: newClientId(), email: 'a@b.co', text: 'x' }),
        },
      ],
      401,
    ],
  ];

  it.each(cases)('%s → %i', async (_name, args, status) => {
    const before = await countRows(parley.services.ctx.db);
    const response = await rawFetch(...args());
    expect(response.status).toBe(status);
    expect(response.body.error?.code).toEqual(expect.any(String));
    expect(response.body.error?.message.length).toBeGreaterThan(0);
    expect(await countRows(parley.services.ctx.db)).toEqual(before);
  });
});

describe('socket input errors write nothing', () => {
  beforeAll(freshPair);
  afterEach(async () => {
    // The sockets stay open: a bad frame never costs the client its connection.
    expect(visitor.socket.closeCode).toBeNull();
    expect(operator.socket.closeCode).toBeNull();
  });

  const frames: [string, 'visitor' | 'operator', string, () => unknown][] = [
    ['unknown type', 'visitor', 'message.delete', () => ({})],
    ['empty text', 'visitor', 'message.send', () => ({ clientId: newClientId(), text: '' })],
    [
      'text too long',
      'visitor',
      'message.send',
      () => ({ clientId: newClientId(), text: long(LIMITS.messageText) }),
    ],
    ['missing clientId', 'visitor', 'message.send', () => ({ text: 'x' })],
    ['negative seq', 'visitor', 'conversation.sync', () => ({ conversationId, afterSeq: -1 })],
    ['javascript: page', 'visitor', 'visitor.page', () => ({ url: 'javascript:alert(1)' })],
    ['operator: no conversation', 'operator', 'message.send', () => ({ clientId: newClientId(), text: 'x' })],
    [
      'operator: unknown conversation',
      'operator',
      'message.send',
      () => ({ conversationId: '00000000-0000-4000-8000-000000000000', clientId: newClientId(), text: 'x' }),
    ],
    ['operator: bad status', 'operator', 'operator.status', () => ({ status: 'invisible' })],
  ];

  it.each(frames)('%s', async (_name, who, type, data) => {
    const socket = who === 'visitor' ? visitor.socket : operator.socket;
    const before = await countRows(parley.services.ctx.db);
    await expect(socket.request(type, data())).rejects.toMatchObject({
      frame: {
        type: 'error',
        error: { code: expect.stringMatching(/bad_request|not_found/), message: expect.any(String) },
      },
    });
    expect(await countRows(parley.services.ctx.db)).toEqual(before);
  });

  it.each([
    ['not JSON', '{nope'],
    ['no ref', JSON.stringify({ type: 'message.send', data: { clientId: newClientId(), text: 'x' } })],
    [
      'oversized frame',
      JSON.stringify({
        type: 'message.send',
        ref: '1',
        data: { clientId: newClientId(), text: long(20_000) },
      }),
    ],
  ])('unreadable frame: %s', async (_name, payload) => {
    const before = await countRows(parley.services.ctx.db);
    const errorsBefore = visitor.socket.events.filter((e) => e.type === 'error').length;
    visitor.socket.sendRaw(payload);
    await expect
      .poll(() => visitor.socket.events.filter((e) => e.type === 'error').length)
      .toBe(errorsBefore + 1);
    expect(await countRows(parley.services.ctx.db)).toEqual(before);
  });
});

describe('socket authentication', () => {
  it('refuses a forged visitor token before the upgrade', async () => {
    await expect(TestSocket.visitor(parley.wsUrl, 'a.b.c')).rejects.toThrow(/401/);
  });

  it('refuses an operator socket without a session, or from another origin', async () => {
    await expect(TestSocket.operator(parley.wsUrl, '')).rejects.toThrow(/401/);
    const { session } = await connectOperator(parley, { online: false });
    await expect(
      TestSocket.connect(`${parley.wsUrl}/ws/operator`, {
        cookie: session.cookie,
        origin: 'https://evil.example',
      }),
    ).rejects.toThrow(/403/);
  });

  it('refuses a visitor socket from an origin the site does not allow', async () => {
    const { session } = await connectVisitor(parley);
    await expect(
      TestSocket.visitor(parley.wsUrl, session.visitorToken, { origin: 'https://evil.example' }),
    ).rejects.toThrow(/403/);
  });
});
