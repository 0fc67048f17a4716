/**
 * The operator console in real Chromium against a real Parley (in-process,
 * fresh database): login, status, live arrivals with a desktop notification,
 * replies, close/reopen, the lists' order and who answered, drafts per
 * conversation, keyboard shortcuts, visitor
 * text rendered as text, Russian and Armenian UI, exact resume after a lost
 * connection, and the profile. Elements are found by role and accessible name.
 */
import type { ConversationList, MessageDTO } from '@parley/protocol';
import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { addOperator, newClientId } from '../apps/server/src/testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../apps/server/src/testing/test-parley.js';
import {
  eventually,
  literal,
  logIn,
  newVisitor,
  type Operator,
  openConsole,
  type TestVisitor,
} from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';

let parley: TestParley;
const operators: Operator[] = [];
const visitors: TestVisitor[] = [];

beforeAll(async () => {
  parley = await startTestParley();
});

afterAll(async () => {
  for (const v of visitors) await v.socket.close();
  for (const o of operators) await o.person.close();
  await parley?.close();
});

async function operator(path?: string): Promise<Operator> {
  const o = await openConsole(parley.url, path);
  operators.push(o);
  return o;
}

async function visitor(): Promise<TestVisitor> {
  const v = await newVisitor(parley.url);
  visitors.push(v);
  return v;
}

const row = (page: Page, v: TestVisitor, text = '') =>
  page.getByRole('button', { name: new RegExp(`${literal(v.label)}.*${literal(text)}`) });
const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** The visitor labels ("#5A40CE") of the current tab's rows, top to bottom: each row's accessible name starts with one. */
async function rowLabels(page: Page): Promise<string[]> {
  const tree = await page.getByRole('tabpanel').getByRole('list').ariaSnapshot();
  return [...tree.matchAll(/button "(#[0-9A-F]{6}) /g)].map((match) => match[1] ?? '');
}

async function loggedInConsole(): Promise<Page> {
  const o = await operator();
  await logIn(o.page, TEST_ADMIN);
  await o.page.getByRole('tab', { name: 'Open' }).waitFor();
  return o.page;
}

/** Texts of the messages shown in the open conversation, in order. */
function shownTexts(page: Page): Promise<string[]> {
  return log(page).getByRole('listitem').getByRole('paragraph').allTextContents();
}

/** Top-bar controls cut by the window's edge, and texts in it broken over two lines. */
function topBarProblems(page: Page): Promise<string[]> {
  return page.getByRole('banner').evaluate((bar) => {
    const problems: string[] = [];
    for (const child of Array.from(bar.children)) {
      const box = child.getBoundingClientRect();
      if (box.width > 0 && box.right > window.innerWidth + 1)
        problems.push(`${(child.textContent ?? '').trim()}: past the right edge`);
    }
    const walker = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      if (!text || node.parentElement?.closest('select, .visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set(Array.from(range.getClientRects()).map((rect) => Math.round(rect.top)));
      if (lines.size > 1) problems.push(`${text}: on ${lines.size} lines`);
    }
    return problems;
  });
}

describe('operator console', () => {
  it('logs in, goes online, sees a visitor arrive live (waiting, notified), replies, closes and reopens', async () => {
    const o = await operator();
    const { page } = o;
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await expectAccessible(page, 'console login');
    await logIn(page, { email: TEST_ADMIN.email, password: 'not-the-password' });
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
    await expectAccessible(page, 'console login, wrong password');
    await logIn(page, TEST_ADMIN);
    await page.getByText('No open conversations').waitFor();
    await expectAccessible(page, 'console inbox, empty');

    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Online' });
    // Online for visitors means status online AND a console connected: the widget's own view says so.
    await eventually(async () => {
      const probe = await newVisitor(parley.url);
      await probe.socket.close();
      expect(probe.session.online).toBe(true);
    });

    const v = await visitor();
    await v.say('Do you have these shoes in size 42?');
    const arrived = row(page, v, 'Do you have these shoes in size 42?');
    await arrived.waitFor();
    // The visitor wrote last: no name before the text, the row is titled with theirs.
    expect(await arrived.textContent()).not.toContain(': Do you have');
    expect(await arrived.textContent()).toMatch(/waiting \d+:\d\d/);
    await expectAccessible(page, 'console inbox, a visitor waiting');
    await eventually(async () => expect(await o.notifications()).toContain(`New conversation: ${v.label}`));

    await arrived.click();
    await log(page).getByText('Do you have these shoes in size 42?').waitFor();
    const card = page.getByRole('complementary', { name: 'Visitor' });
    await card.getByRole('link', { name: 'Shoes' }).waitFor(); // the current page, by its title
    await card.getByText(/Chrome/).waitFor();
    await expectAccessible(page, 'console inbox, a conversation open');

    await page.getByRole('textbox', { name: 'Reply' }).fill('Yes, we do. Shall I reserve a pair?');
    await page.getByRole('textbox', { name: 'Reply' }).press('Enter');
    const reply = await v.socket.waitFor<MessageDTO>('message.created', (m) => m.author.kind === 'operator');
    expect(reply.text).toBe('Yes, we do. Shall I reserve a pair?');
    expect(reply.author.name).toBeTruthy();
    await log(page).getByText('Yes, we do. Shall I reserve a pair?').waitFor();
    expect(await page.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');
    // Answered: the row names who answered and stops counting.
    await row(page, v, 'Admin: Yes, we do. Shall I reserve a pair?').waitFor();
    await eventually(async () => expect(await row(page, v).textContent()).not.toMatch(/waiting/));
    await expectAccessible(page, 'console inbox, a conversation answered');

    // A colleague's note (the composer for notes comes later; it is written over HTTP here): shown
    // and labelled in the thread and the row, never sent to the visitor.
    const colleague = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    await api(parley.url, `/api/conversations/${reply.conversationId}/messages`, {
      cookie: colleague.cookie,
      csrfToken: colleague.csrfToken,
      body: {
        clientId: newClientId(),
        text: 'Regular customer, offer free shipping',
        visibility: 'internal',
      },
    });
    const note = log(page).getByRole('listitem').filter({ hasText: 'Regular customer, offer free shipping' });
    await note.getByText('Note', { exact: true }).waitFor();
    await row(page, v, 'Note · Admin: Regular customer, offer free shipping').waitFor();
    expect(v.socket.messagesReceived().map((m) => m.text)).not.toContain(
      'Regular customer, offer free shipping',
    );

    await page.getByRole('button', { name: 'Close conversation' }).click();
    await page.getByRole('button', { name: 'Reopen conversation' }).waitFor();
    await v.socket.waitFor<{ status: string }>('conversation.updated', (c) => c.status === 'closed');
    expect(await page.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Closed' }).click();
    await row(page, v).waitFor();
    await expectAccessible(page, 'console inbox, a closed conversation');

    await page.getByRole('button', { name: 'Reopen conversation' }).click();
    await page.getByRole('button', { name: 'Close conversation' }).waitFor();
    await page.getByRole('tab', { name: 'Open' }).click();
    await row(page, v).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
  });

  it('shows what the visitor is typing, and keeps a draft per conversation when switching', async () => {
    const page = await loggedInConsole();
    const first = await visitor();
    const second = await visitor();
    await first.say('First visitor here');
    await second.say('Second visitor here');
    await row(page, first, 'First visitor here').click();

    await first.socket.request('typing.set', {
      typing: true,
      preview: 'Actually, I wanted to ask about ret',
    });
    await page.getByText('Actually, I wanted to ask about ret').waitFor();
    await expectAccessible(page, 'console inbox, the visitor typing');

    const composer = page.getByRole('textbox', { name: 'Reply' });
    await composer.fill('Draft for the first visitor');
    await row(page, second, 'Second visitor here').click();
    await log(page).getByText('Second visitor here').waitFor();
    expect(await composer.inputValue()).toBe('');
    await composer.fill('Draft for the second');
    await row(page, first).click();
    await log(page).getByText('First visitor here').waitFor();
    expect(await composer.inputValue()).toBe('Draft for the first visitor');

    // Shift+Enter is a new line, Enter sends both lines as one message.
    await composer.press('End');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    await composer.press('Enter');
    const sent = await first.socket.waitFor<MessageDTO>(
      'message.created',
      (m) => m.author.kind === 'operator',
    );
    expect(sent.text).toBe('Draft for the first visitor\nsecond line');

    // Keyboard: Alt+↓/↑ move between conversations (the list is newest first), Alt+R focuses the reply box.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const order = await rowLabels(page);
    const index = order.indexOf(first.label);
    expect(index).toBeGreaterThanOrEqual(0);
    await page.keyboard.press(index === 0 ? 'Alt+ArrowDown' : 'Alt+ArrowUp');
    const neighbour = order[index === 0 ? 1 : index - 1] ?? '';
    await page.getByRole('heading', { name: neighbour, level: 2 }).first().waitFor();
    await page.keyboard.press('Alt+KeyR');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Reply');

    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Next conversation').waitFor();
    await help.getByText('New line in the reply').waitFor();
    await expectAccessible(page, 'console keyboard shortcuts dialog');
    await help.getByRole('button', { name: 'Close' }).click();
  });

  it("keeps the lists in the server's order as messages come and conversations close and reopen", async () => {
    const page = await loggedInConsole();
    const anna = await addOperator(parley, 'Anna');
    const admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const [a, b, c] = [await visitor(), await visitor(), await visitor()];
    const conversationOf = new Map<TestVisitor, string>();
    for (const v of [a, b, c])
      conversationOf.set(v, (await v.say(`Question from ${v.label}`)).conversationId);
    const id = (v: TestVisitor) => conversationOf.get(v) ?? '';

    /** Our visitors' rows as the current tab shows them, top to bottom, and as the server lists them. */
    const expectOrder = (expected: TestVisitor[]) =>
      eventually(async () => {
        const labels = await rowLabels(page);
        const ours = [a, b, c].map((v) => v.label);
        expect(labels.filter((l) => ours.includes(l))).toEqual(expected.map((v) => v.label));
      });
    const expectServerOrder = async (query: string, expected: TestVisitor[]) => {
      const { body } = await api<ConversationList>(parley.url, `/api/conversations?${query}`, {
        cookie: admin.cookie,
      });
      const ours = [a, b, c].map(id);
      expect(body.items.map((i) => i.id).filter((i) => ours.includes(i))).toEqual(expected.map(id));
    };
    await expectOrder([c, b, a]);

    // A new message moves its row to the top.
    await a.say('Hello again?');
    await expectOrder([a, c, b]);

    // Anna answers b from her console (over HTTP here): b goes first, and its row names her.
    await api(parley.url, `/api/conversations/${id(b)}/messages`, {
      cookie: anna.session.cookie,
      csrfToken: anna.session.csrfToken,
      body: { clientId: newClientId(), text: 'Sure, one moment' },
    });
    await row(page, b, 'Anna: Sure, one moment').waitFor();
    await expectOrder([b, a, c]);
    await expectServerOrder('status=open&channel=chat', [b, a, c]);

    // Closing keeps a conversation's activity: closed last, c still sorts below a, as a reload would show.
    const auth = { cookie: admin.cookie, csrfToken: admin.csrfToken, body: {} };
    await api(parley.url, `/api/conversations/${id(a)}/close`, auth);
    await api(parley.url, `/api/conversations/${id(c)}/close`, auth);
    await expectOrder([b]);
    await page.getByRole('tab', { name: 'Closed' }).click();
    await expectServerOrder('status=closed', [a, c]);
    await expectOrder([a, c]);

    // Reopening is activity: c comes back at the top of Open, live and after a reload.
    await api(parley.url, `/api/conversations/${id(c)}/reopen`, auth);
    await expectOrder([a]);
    await page.getByRole('tab', { name: 'Open' }).click();
    await expectOrder([c, b]);
    await expectServerOrder('status=open&channel=chat', [c, b]);
    await page.reload();
    await expectOrder([c, b]);
  });

  it('renders whatever a visitor sends as text, with only safe links', async () => {
    const page = await loggedInConsole();
    const v = await visitor();
    const payload =
      '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> javascript:window.__xss=3 see https://example.com/shoes?size=42.';
    await v.say(payload);
    await row(page, v).click();
    await log(page).getByText('<img src=x onerror="window.__xss=1">', { exact: false }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    // No element came from the text: the only images are the authors' decorative photos.
    expect(await log(page).getByRole('img').count()).toBe(0);
    expect(await log(page).locator('script, img:not([alt=""])').count()).toBe(0);
    const links = log(page).getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/shoes?size=42');
    expect(await links.first().getAttribute('rel')).toContain('noopener');
    // The list row shows it as text too.
    expect(await row(page, v).textContent()).toContain('<script>');
  });

  it('speaks Russian and Armenian, with an accessible name on every control', async () => {
    const v = await visitor();
    await v.say('Здравствуйте! Բարև։');
    const o = await operator();
    const { page } = o;
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ru');
    await logIn(page, TEST_ADMIN, { email: 'Эл. почта', password: 'Пароль', submit: 'Войти' });
    await page.getByRole('tab', { name: 'Открытые' }).waitFor();
    await page.getByRole('tab', { name: 'Закрытые' }).waitFor();
    await page.getByRole('tab', { name: 'Заявки' }).waitFor();
    await page.getByRole('combobox', { name: 'Статус' }).selectOption({ label: 'В сети' });
    await row(page, v).click();
    await page.getByRole('textbox', { name: 'Ответ' }).waitFor();
    await page.getByRole('button', { name: 'Отправить' }).waitFor();
    await page.getByRole('button', { name: 'Закрыть диалог' }).waitFor();
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await expectAccessible(page, 'console in Russian');

    await page.getByRole('combobox', { name: 'Язык' }).selectOption('hy');
    await page.getByRole('tab', { name: 'Բաց' }).waitFor();
    await page.getByRole('tab', { name: 'Փակ' }).waitFor();
    await page.getByRole('tab', { name: 'Հայտեր' }).waitFor();
    await page.getByRole('combobox', { name: 'Կարգավիճակ' }).selectOption({ label: 'Բացակա' });
    await page.getByRole('textbox', { name: 'Պատասխան' }).waitFor();
    await page.getByRole('button', { name: 'Ուղարկել' }).waitFor();
    await page.getByRole('button', { name: 'Փակել զրույցը' }).waitFor();
    await page.getByRole('button', { name: 'Դուրս գալ' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await expectAccessible(page, 'console in Armenian');
    // The top bar, in its longest language on a small laptop: every control whole and on screen.
    await page.setViewportSize({ width: 1024, height: 768 });
    expect(await topBarProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Պրոֆիլ' }).click();
    await page.getByRole('textbox', { name: 'Ցուցադրվող անուն' }).waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await expectAccessible(page, 'console profile dialog in Armenian');
    await page.getByRole('button', { name: 'Փակել', exact: true }).click();
    await page.getByRole('combobox', { name: 'Լեզու' }).selectOption('en');
    await page.getByRole('tab', { name: 'Open' }).waitFor();
  });

  it('resumes after a lost connection without losing or duplicating anything', async () => {
    const o = await operator();
    const { page } = o;
    // A switchable network between the console and the server.
    let network: 'up' | 'swallow' | 'down' = 'up';
    const live = new Set<WebSocketRoute>();
    await page.routeWebSocket(/\/ws\/operator/, (ws) => {
      if (network === 'down') return void ws.close({ code: 4000, reason: 'test: network down' });
      const server = ws.connectToServer();
      live.add(ws);
      ws.onMessage((frame) => server.send(frame));
      server.onMessage((frame) => {
        if (network === 'up') ws.send(frame);
      });
      ws.onClose(() => live.delete(ws));
    });
    await page.reload();
    await logIn(page, TEST_ADMIN);
    const v = await visitor();
    await v.say('before the outage');
    await row(page, v, 'before the outage').click();
    await log(page).getByText('before the outage').waitFor();

    // The reply reaches the server but neither its ack nor its event come back; then the line drops.
    network = 'swallow';
    await page.getByRole('textbox', { name: 'Reply' }).fill('reply during the outage');
    await page.getByRole('button', { name: 'Send' }).click();
    await v.socket.waitFor<MessageDTO>('message.created', (m) => m.text === 'reply during the outage');
    network = 'down';
    for (const ws of live) await ws.close({ code: 4000, reason: 'test: network down' });
    await page.getByText('Connection lost').waitFor();
    await expectAccessible(page, 'console inbox, connection lost');
    await v.say('missed one');
    await v.say('missed two');
    network = 'up';

    await log(page).getByText('missed two').waitFor({ timeout: 20_000 });
    await eventually(async () =>
      expect(await shownTexts(page)).toEqual([
        'before the outage',
        'reply during the outage',
        'missed one',
        'missed two',
      ]),
    );
    // The resent reply (same clientId) was stored once.
    const session = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    const { body } = await api<{ messages: MessageDTO[] }>(
      parley.url,
      `/api/conversations/${v.socket.messagesReceived()[0]?.conversationId}/messages?afterSeq=0`,
      { cookie: session.cookie },
    );
    expect(body.messages.map((m) => m.text)).toEqual(await shownTexts(page));
    // Live again: a new message arrives without a reload.
    await v.say('after the outage');
    await log(page).getByText('after the outage').waitFor();
  });

  it('changes the display name and photo that visitors see', async () => {
    const page = await loggedInConsole();
    await page.getByRole('button', { name: 'Profile' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your profile' });
    await dialog.getByRole('textbox', { name: 'Display name' }).fill('Anna from Support');
    const photo = await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 360;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no canvas');
      g.fillStyle = '#c0392b';
      g.fillRect(0, 0, 640, 360);
      g.fillStyle = '#2980b9';
      g.fillRect(140, 0, 360, 360);
      return canvas.toDataURL('image/png').split(',')[1] ?? '';
    });
    await dialog
      .getByLabel('Upload photo')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: Buffer.from(photo, 'base64') });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Saved.').waitFor();
    await expectAccessible(page, 'console profile dialog, saved');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const session = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
    expect(session.operator.displayName).toBe('Anna from Support');
    expect(session.operator.avatarUrl).toMatch(/^\/avatars\//);
    // The stored photo is the square, 256×256 centre of the upload.
    const size = await page.evaluate(async (src) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    }, session.operator.avatarUrl ?? '');
    expect(size).toEqual([256, 256]);

    const v = await visitor();
    await v.say('Who am I talking to?');
    await row(page, v).click();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Anna here.');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = await v.socket.waitFor<MessageDTO>('message.created', (m) => m.author.kind === 'operator');
    expect(reply.author.name).toBe('Anna from Support');
    expect(reply.author.avatarUrl).toBe(session.operator.avatarUrl);
  });

  it('lists offline requests under Requests', async () => {
    const page = await loggedInConsole();
    const { body } = await api<{ conversationId: string }>(parley.url, '/api/widget/requests', {
      body: {
        clientId: 'request-0001',
        email: 'buyer@example.com',
        text: 'Please call me about delivery',
      },
      headers: { authorization: `Bearer ${(await visitor()).session.visitorToken}` },
    });
    await page.getByRole('tab', { name: 'Requests' }).click();
    await page.getByRole('button', { name: /Please call me about delivery/ }).click();
    await page.getByRole('complementary', { name: 'Visitor' }).getByText('buyer@example.com').waitFor();
    await expectAccessible(page, 'console requests, a request open');
    const list = await api<ConversationList>(parley.url, '/api/conversations?channel=offline_request', {
      cookie: (await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password)).cookie,
    });
    expect(list.body.items.some((c) => c.id === body.conversationId)).toBe(true);
  });
});

/** Buttons, fields and selects that a screen reader would announce without a name. */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const controls = document.querySelectorAll<HTMLElement>(
      'button, input, select, textarea, a[href], [role="tab"]',
    );
    const missing: string[] = [];
    for (const control of Array.from(controls)) {
      if (control.closest('[hidden], dialog:not([open])')) continue;
      const labelled = control.getAttribute('aria-labelledby');
      const name =
        control.getAttribute('aria-label') ||
        (labelled && document.getElementById(labelled)?.textContent) ||
        ('labels' in control && (control as HTMLInputElement).labels?.[0]?.textContent) ||
        control.textContent;
      if (!name?.trim()) missing.push(control.outerHTML.slice(0, 80));
    }
    return missing;
  });
}
