/**
 * Files both ways, over real HTTP uploads and real files on disk: each rule of
 * issue 11 — stored by content type, capped while streaming, served with safe
 * headers to the right people only, sent in a message once and only after it
 * is stored, refused with a clear error and nothing written, orphans swept.
 */
import { readdir, readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import {
  type AttachmentDTO,
  type ConversationDTO,
  FILE_PATHS,
  type MessageDTO,
  type UploadFileResponse,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { orphanFilesSweeper } from '../modules/files/commands.js';
import { addOperatorToSite, createSite } from '../modules/sites/commands.js';
import {
  type ApiError,
  api,
  loginOperator,
  type OperatorSession,
  startVisitorSession,
  TestSocket,
} from '../testing/clients.js';
import {
  addOperator,
  closeAllSockets,
  connectOperator,
  connectVisitor,
  newClientId,
  snapshotRows,
} from '../testing/fixtures.js';
import { HTML_PAGE, SVG_WITH_SCRIPT, samplePdf, samplePng } from '../testing/sample-files.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../testing/test-parley.js';
import { waitUntil } from '../testing/wait-until.js';

let parley: TestParley;
let admin: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
});
afterEach(closeAllSockets);
afterAll(async () => {
  await parley?.close();
});

type Credentials = { bearer: string } | { operator: OperatorSession };

function authHeaders(who: Credentials): Record<string, string> {
  return 'bearer' in who
    ? { authorization: `Bearer ${who.bearer}` }
    : { cookie: who.operator.cookie, 'x-csrf-token': who.operator.csrfToken };
}

/** Uploads raw bytes as the clients do; resolves with the status and the JSON answer. */
async function upload(path: string, who: Credentials, bytes: Buffer, name: string) {
  const response = await fetch(`${parley.url}${path}?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...authHeaders(who) },
    body: bytes,
  });
  return { status: response.status, body: (await response.json()) as UploadFileResponse & ApiError['body'] };
}

async function uploaded(path: string, who: Credentials, bytes: Buffer, name: string): Promise<AttachmentDTO> {
  const { status, body } = await upload(path, who, bytes, name);
  expect(status, JSON.stringify(body)).toBe(201);
  return body.file;
}

/** Every file in the store's folder (in its sub-folders), `.part` files included. */
async function storedFiles(): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(parley.filesDir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) names.push(entry.name);
  return names.sort();
}

async function fetchFile(url: string, headers: Record<string, string>) {
  const response = await fetch(`${parley.url}${url}`, { headers });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** A visitor with a conversation (one message sent), and an operator console connected. */
async function chat() {
  const operator = await connectOperator(parley);
  const visitor = await connectVisitor(parley);
  const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Hello, a question about my order',
  });
  return { operator, visitor, conversationId: message.conversationId };
}

async function setFileSettings(files: Record<string, unknown>) {
  await api(parley.url, `/api/sites/${parley.demoSiteId}`, {
    method: 'PATCH',
    cookie: admin.cookie,
    csrfToken: admin.csrfToken,
    body: { settings: { files } },
  });
}

describe('files both ways', () => {
  it('the operator sends an image: stored on disk by content, shown inline to the visitor with safe headers', async () => {
    const { operator, visitor, conversationId } = await chat();
    const png = samplePng(64, 48);
    const file = await uploaded(
      FILE_PATHS.conversationFiles(conversationId),
      { operator: admin },
      png,
      'shoe size chart.png',
    );
    expect(file).toMatchObject({ name: 'shoe size chart.png', contentType: 'image/png', size: png.length });
    expect(file.url).toBe(FILE_PATHS.file(file.id));
    // The bytes are on disk under the file's id, whole.
    expect(await storedFiles()).toContain(file.id);
    expect(await readFile(join(parley.filesDir, file.id.slice(0, 2), file.id))).toEqual(png);

    const clientId = newClientId();
    const send = { conversationId, clientId, text: 'Here is the chart', fileIds: [file.id] };
    const { message } = await operator.socket.request<{ message: MessageDTO }>('message.send', send);
    expect(message.attachments).toEqual([file]);
    const seen = await visitor.socket.waitForMessage((m) => m.id === message.id);
    expect(seen.attachments).toEqual([file]);

    const { response, bytes } = await fetchFile(file.url, {
      authorization: `Bearer ${visitor.session.visitorToken}`,
    });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(png);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="shoe size chart.png"; filename*=UTF-8''shoe%20size%20chart.png`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain('sandbox');

    // A retry of the same send (the ack was lost) returns the original: the message exists once.
    const retry = await operator.socket.request<{ message: MessageDTO }>('message.send', send);
    expect(retry.message.id).toBe(message.id);
    const { rows } = await parley.services.database.pool.query(
      'SELECT count(*)::int AS n FROM messages WHERE client_id = $1',
      [clientId],
    );
    expect(rows[0].n).toBe(1);
    // History after a reload carries the file too.
    const again = await startVisitorSession(parley.url, 'demo', visitor.session.visitorToken);
    expect(again.history.at(-1)?.attachments).toEqual([file]);
  });

  it('the visitor sends a PDF without text: the operator downloads it as an attachment, the inbox row names it', async () => {
    const { operator, visitor } = await chat();
    const pdf = samplePdf('Invoice 1042');
    // Named as the visitor's computer named it: the type comes from the bytes, the name is only shown.
    const file = await uploaded(
      FILE_PATHS.widgetFiles,
      { bearer: visitor.session.visitorToken },
      pdf,
      'счёт №1042.pdf',
    );
    expect(file).toMatchObject({ contentType: 'application/pdf', size: pdf.length });
    const { message } = await visitor.socket.request<{ message: MessageDTO }>('message.send', {
      clientId: newClientId(),
      text: '',
      fileIds: [file.id],
    });
    const created = await operator.socket.waitFor<{ message: MessageDTO; conversation: ConversationDTO }>(
      'message.created',
      (data) => data.message.id === message.id,
    );
    expect(created.message.attachments).toEqual([file]);
    expect(created.conversation.lastMessage?.text).toBe('счёт №1042.pdf');

    const { response, bytes } = await fetchFile(file.url, { cookie: admin.cookie });
    expect(response.status).toBe(200);
    expect(bytes).toEqual(pdf);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="____ _1042.pdf"; filename*=UTF-8''${encodeURIComponent('счёт №1042.pdf')}`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lets only the right people fetch a file: the conversation’s visitor and the site’s operators', async () => {
    const { operator, visitor, conversationId } = await chat();
    const file = await uploaded(
      FILE_PATHS.conversationFiles(conversationId),
      { operator: admin },
      samplePng(),
      'a.png',
    );
    await operator.socket.request('message.send', {
      conversationId,
      clientId: newClientId(),
      text: '',
      fileIds: [file.id],
    });
    const note = await uploaded(
      FILE_PATHS.conversationFiles(conversationId),
      { operator: admin },
      samplePng(8, 8),
      'n.png',
    );
    await operator.socket.request('message.send', {
      conversationId,
      clientId: newClientId(),
      text: 'For colleagues only',
      visibility: 'internal',
      fileIds: [note.id],
    });
    const other = await connectVisitor(parley);
    const elsewhere = await otherSiteOperator();
    const status = async (url: string, headers: Record<string, string>) =>
      (await fetchFile(url, headers)).response.status;
    expect(await status(file.url, {})).toBe(401);
    expect(await status(file.url, { authorization: `Bearer ${visitor.session.visitorToken}` })).toBe(200);
    expect(await status(file.url, { authorization: `Bearer ${other.session.visitorToken}` })).toBe(404);
    expect(await status(file.url, { cookie: elsewhere.cookie })).toBe(404);
    // A note's file never reaches the visitor, by its URL either.
    expect(await status(note.url, { authorization: `Bearer ${visitor.session.visitorToken}` })).toBe(404);
    expect(await status(note.url, { cookie: admin.cookie })).toBe(200);
    expect(
      await status(FILE_PATHS.file('00000000-0000-4000-8000-000000000000'), { cookie: admin.cookie }),
    ).toBe(404);
  });

  it.each([
    ['an HTML page named .png', HTML_PAGE, 'photo.png', 415, 'unsupported_type'],
    ['an SVG with a script', SVG_WITH_SCRIPT, 'logo.svg', 415, 'unsupported_type'],
    ['a type the site does not allow (zip)', zipOf('hello.txt'), 'archive.zip', 415, 'unsupported_type'],
    [
      'binary bytes of no known type',
      Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]),
      'data.bin',
      415,
      'unsupported_type',
    ],
    ['an empty file', Buffer.alloc(0), 'empty.png', 400, 'bad_request'],
    ['a name with a path', samplePng(), '../../etc/passwd.png', 400, 'bad_request'],
  ] as const)('refuses %s, writing nothing', async (_what, bytes, name, status, code) => {
    const visitor = await connectVisitor(parley);
    const before = { rows: await snapshotRows(parley.services.ctx.db), files: await storedFiles() };
    const refused = await upload(
      FILE_PATHS.widgetFiles,
      { bearer: visitor.session.visitorToken },
      bytes,
      name,
    );
    expect(refused.status).toBe(status);
    expect(refused.body.error.code).toBe(code);
    expect(refused.body.error.message.length).toBeGreaterThan(5);
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before.rows);
    expect(await storedFiles()).toEqual(before.files);
  });

  it('caps the size per site while streaming: past the limit nothing stays on disk', async () => {
    const visitor = await connectVisitor(parley);
    await setFileSettings({ maxBytes: 64 * 1024 });
    try {
      const before = { rows: await snapshotRows(parley.services.ctx.db), files: await storedFiles() };
      // Larger than the first bytes read to detect the type: the cap is met while the rest streams to disk.
      const big = samplePdf('Big', 200 * 1024);
      const refused = await upload(
        FILE_PATHS.widgetFiles,
        { bearer: visitor.session.visitorToken },
        big,
        'big.pdf',
      );
      expect(refused.status).toBe(413);
      expect(refused.body.error).toMatchObject({
        code: 'payload_too_large',
        message: expect.stringContaining('0.1 MB'),
      });
      expect(await storedFiles()).toEqual(before.files);
      expect(await snapshotRows(parley.services.ctx.db)).toEqual(before.rows);
      // Within the limit it is stored.
      await uploaded(
        FILE_PATHS.widgetFiles,
        { bearer: visitor.session.visitorToken },
        samplePdf('Small', 60 * 1024),
        'small.pdf',
      );
      // The allowlist is the site's too: without PDFs, a PDF is refused.
      await setFileSettings({ allowedTypes: ['image/png'] });
      const pdf = await upload(
        FILE_PATHS.widgetFiles,
        { bearer: visitor.session.visitorToken },
        samplePdf(),
        'x.pdf',
      );
      expect(pdf.status).toBe(415);
    } finally {
      await setFileSettings({
        maxBytes: 10 * 1024 * 1024,
        allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
      });
    }
    const bad = api(parley.url, `/api/sites/${parley.demoSiteId}`, {
      method: 'PATCH',
      cookie: admin.cookie,
      csrfToken: admin.csrfToken,
      body: { settings: { files: { maxBytes: 500 * 1024 * 1024, allowedTypes: ['text/html'] } } },
    });
    await expect(bad).rejects.toMatchObject({ status: 400 });
  });

  it('refuses messages naming unknown, another visitor’s, another site’s or already sent files, writing nothing', async () => {
    const { operator, visitor, conversationId } = await chat();
    const other = await connectVisitor(parley);
    const othersFile = await uploaded(
      FILE_PATHS.widgetFiles,
      { bearer: other.session.visitorToken },
      samplePng(),
      'theirs.png',
    );
    // The admin works on a second site too; a file uploaded there may not go into this site's conversation.
    const second = await secondSiteConversation();
    const foreignFile = await uploaded(
      FILE_PATHS.conversationFiles(second.conversationId),
      { operator: admin },
      samplePng(),
      'x.png',
    );
    const mine = await uploaded(
      FILE_PATHS.widgetFiles,
      { bearer: visitor.session.visitorToken },
      samplePng(),
      'mine.png',
    );
    await visitor.socket.request('message.send', { clientId: newClientId(), text: '', fileIds: [mine.id] });

    const before = await snapshotRows(parley.services.ctx.db);
    const cases: [string, typeof visitor.socket, Record<string, unknown>, string][] = [
      ['unknown', visitor.socket, { fileIds: ['00000000-0000-4000-8000-000000000000'] }, 'not_found'],
      ['another visitor’s', visitor.socket, { fileIds: [othersFile.id] }, 'not_found'],
      ['another site’s', operator.socket, { conversationId, fileIds: [foreignFile.id] }, 'not_found'],
      ['already sent', visitor.socket, { fileIds: [mine.id] }, 'conflict'],
      ['not a file id', visitor.socket, { fileIds: ['../x'] }, 'bad_request'],
      ['neither text nor files', visitor.socket, { fileIds: [] }, 'bad_request'],
    ];
    for (const [what, socket, data, code] of cases) {
      await expect(
        socket.request('message.send', { clientId: newClientId(), text: '', ...data }),
        what,
      ).rejects.toMatchObject({ frame: { error: { code } } });
    }
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
    // The server is still up and answering.
    expect((await fetch(`${parley.url}/healthz`)).status).toBe(200);
  });

  it('one send raced by its own retry on another connection stores the message once', async () => {
    const { operator, visitor } = await chat();
    const second = await TestSocket.visitor(parley.wsUrl, visitor.session.visitorToken);
    await second.waitFor('session.ready');
    const file = await uploaded(
      FILE_PATHS.widgetFiles,
      { bearer: visitor.session.visitorToken },
      samplePdf(),
      'r.pdf',
    );
    const send = { clientId: newClientId(), text: '', fileIds: [file.id] };
    const [a, b] = await Promise.all([
      visitor.socket.request<{ message: MessageDTO }>('message.send', send),
      second.request<{ message: MessageDTO }>('message.send', send),
    ]);
    expect(a.message.id).toBe(b.message.id);
    const { rows } = await parley.services.database.pool.query(
      'SELECT count(*)::int AS n FROM messages WHERE client_id = $1',
      [send.clientId],
    );
    expect(rows[0].n).toBe(1);
    await operator.socket.waitForMessage((m) => m.id === a.message.id);
    await second.close();
  });

  it('an upload cut off by a lost connection leaves no file and no row', async () => {
    const visitor = await connectVisitor(parley);
    const before = { rows: await snapshotRows(parley.services.ctx.db), files: await storedFiles() };
    const pdf = samplePdf('Cut', 300 * 1024);
    await new Promise<void>((resolve) => {
      const url = new URL(`${parley.url}${FILE_PATHS.widgetFiles}?name=cut.pdf`);
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(pdf.length),
          authorization: `Bearer ${visitor.session.visitorToken}`,
        },
      });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // Half of it, then the connection drops.
      req.write(pdf.subarray(0, 150 * 1024), () => setTimeout(() => req.destroy(), 200));
    });
    // The server notices the lost connection and removes what it had written.
    await waitUntil(async () => JSON.stringify(await storedFiles()) === JSON.stringify(before.files), 10_000);
    expect(await snapshotRows(parley.services.ctx.db)).toEqual(before.rows);
  });

  it('sweeps uploads no message referenced, and only those', async () => {
    const { operator, conversationId } = await chat();
    const sent = await uploaded(
      FILE_PATHS.conversationFiles(conversationId),
      { operator: admin },
      samplePng(),
      'sent.png',
    );
    await operator.socket.request('message.send', {
      conversationId,
      clientId: newClientId(),
      text: '',
      fileIds: [sent.id],
    });
    const orphan = await uploaded(
      FILE_PATHS.conversationFiles(conversationId),
      { operator: admin },
      samplePng(),
      'left.png',
    );
    const db = parley.services.ctx.db;
    // Not old enough yet: stays.
    expect(await orphanFilesSweeper(db, parley.services.files, new Date(Date.now() - 60_000))).toBe(0);
    // Older than the cut-off (the clock driven by the argument, not by waiting).
    expect(
      await orphanFilesSweeper(db, parley.services.files, new Date(Date.now() + 60_000)),
    ).toBeGreaterThanOrEqual(1);
    const files = await storedFiles();
    expect(files).toContain(sent.id);
    expect(files).not.toContain(orphan.id);
    expect((await fetchFile(orphan.url, { cookie: admin.cookie })).response.status).toBe(404);
    expect((await fetchFile(sent.url, { cookie: admin.cookie })).response.status).toBe(200);

    // A deleted conversation (a visitor's data deleted) leaves its files unlinked: nobody may fetch them,
    // and the sweep removes their bytes too.
    await parley.services.database.pool.query('DELETE FROM conversations WHERE id = $1', [conversationId]);
    expect((await fetchFile(sent.url, { cookie: admin.cookie })).response.status).toBe(404);
    await orphanFilesSweeper(db, parley.services.files, new Date(Date.now() + 60_000));
    expect(await storedFiles()).not.toContain(sent.id);
  });
});

/** An operator who works on another site only. */
async function otherSiteOperator(): Promise<OperatorSession> {
  const site = await createSite(parley.services.ctx.db, { name: 'Other shop', allowedOrigins: [] });
  const { session } = await addOperator(parley, `Elsewhere${Date.now()}`, site.id);
  return session;
}

/** A second site the admin also works on, with a visitor's conversation on it. */
async function secondSiteConversation(): Promise<{ conversationId: string }> {
  const db = parley.services.ctx.db;
  const site = await createSite(db, { name: 'Second shop', allowedOrigins: [] });
  await addOperatorToSite(db, site.id, admin.operator.id);
  const session = await startVisitorSession(parley.url, site.public_key);
  const socket = await TestSocket.visitor(parley.wsUrl, session.visitorToken);
  await socket.waitFor('session.ready');
  const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
    clientId: newClientId(),
    text: 'Hi from the second shop',
  });
  await socket.close();
  // The admin's session was read before this site existed: log in again to work on it.
  admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  return { conversationId: message.conversationId };
}

/** A real zip archive (stored, no compression) holding one small text file. */
function zipOf(name: string): Buffer {
  const data = Buffer.from('hello');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(10, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, Buffer.from(name), data]);
}
