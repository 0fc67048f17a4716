/**
 * The visitor's chat in a real Chromium against a real Parley: a shop page on
 * another origin embeds the widget; the operator acts over the console's socket.
 */
import type { ConversationDetail, MessageDTO, TypingDTO } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api } from '../apps/server/src/testing/clients.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { screenshotPath } from './support/screenshots.js';
import { chatFrame, countChimes, openChat, useWidgetWorld } from './widget-support.js';

const world = useWidgetWorld();
const { people } = world;

async function visitor(
  prepare?: (person: Person) => Promise<void>,
): Promise<{ person: Person; page: Page; errors: string[] }> {
  const person = await launchPerson();
  people.push(person);
  await countChimes(person.context);
  await prepare?.(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${world.shop.origin}/fixtures/widget-page.html`);
  return { person, page, errors };
}

const chimes = (page: Page) =>
  chatFrame(page).evaluate(() => (window as unknown as { __chimes: number }).__chimes);

async function messagesOf(conversationId: string): Promise<MessageDTO[]> {
  const { body } = await api<ConversationDetail>(world.parley.url, `/api/conversations/${conversationId}`, {
    cookie: world.operator.session.cookie,
  });
  return body.messages;
}

describe('widget chat', () => {
  it('sends, shows the operator reply with name and chime, badges it when closed, and keeps history on reload', async () => {
    const { page, errors } = await visitor();
    await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    await expectAccessible(page, 'host page with the launcher');
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).fill('Do you have the trail shoes in size 44?');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const question = await world.operator.waitForVisitorMessage('Do you have the trail shoes in size 44?');

    await world.operator.reply(question.conversationId, 'Yes, size 44 is in stock.');
    const shown = chat.getByRole('log');
    await expect.poll(() => shown.getByText('Yes, size 44 is in stock.').count()).toBe(1);
    // Signed with the operator's name.
    expect(await shown.getByText('Admin', { exact: true }).count()).toBe(1);
    expect(await chimes(page)).toBe(1);
    await expectAccessible(chatFrame(page), 'chat with a question and a reply');
    await expectAccessible(page, 'host page with the chat open');

    // Closed with Escape: focus returns to the launcher, and the next reply shows as a badge.
    await chat.getByRole('textbox', { name: 'Message' }).press('Escape');
    const launcher = page.getByRole('button', { name: 'Open chat', exact: true });
    await expect.poll(() => launcher.isVisible()).toBe(true);
    expect(await launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await world.operator.reply(question.conversationId, 'Shall I reserve a pair?');
    // The badge, as a screen reader hears it (the launcher's description).
    await expect.poll(() => page.getByText('Unread replies: 1', { exact: true }).count()).toBe(1);
    expect(await chimes(page)).toBe(2);
    await expectAccessible(page, 'host page with an unread reply');

    await page.reload();
    const again = await openChat(page);
    const log = again.getByRole('log');
    await expect.poll(() => log.textContent()).toContain('Shall I reserve a pair?');
    const text = (await log.textContent()) ?? '';
    expect(text).toContain('Do you have the trail shoes in size 44?');
    expect(text.indexOf('Do you have the trail shoes')).toBeLessThan(
      text.indexOf('Yes, size 44 is in stock.'),
    );
    expect(await chimes(page)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shows typing both ways: the operator sees the draft, the visitor sees who is typing', async () => {
    const { page } = await visitor();
    const chat = await openChat(page);
    const box = chat.getByRole('textbox', { name: 'Message' });
    await box.fill('Hello there');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const hello = await world.operator.waitForVisitorMessage('Hello there');

    await box.pressSequentially('Is there a discount', { delay: 20 });
    const typing = await world.operator.socket.waitFor<TypingDTO>(
      'typing.updated',
      (t) =>
        t.conversationId === hello.conversationId &&
        t.typing &&
        (t.preview ?? '').includes('Is there a disc'),
    );
    expect(typing.authorKind).toBe('visitor');

    await world.operator.socket.request('typing.set', { conversationId: hello.conversationId, typing: true });
    await expect.poll(() => chat.getByText('Admin is typing…').isVisible()).toBe(true);
    await expectAccessible(chatFrame(page), 'chat, the operator typing');
    await world.operator.reply(hello.conversationId, 'Ten percent off this week.');
    await expect.poll(() => chat.getByText('Admin is typing…').count()).toBe(0);
  });

  it('delivers messages written while the link was down once and in order, and says it is reconnecting', async () => {
    let down = false;
    let cutAfter: string | null = 'Second: do they run small?';
    const { page } = await visitor(async (person) => {
      await person.context.routeWebSocket(/\/ws\/visitor/, (ws) => {
        if (down) return ws.close({ code: 4000, reason: 'network down' });
        const server = ws.connectToServer();
        ws.onMessage((raw) => {
          server.send(raw);
          if (cutAfter && String(raw).includes(cutAfter)) {
            // The frame reached the server but its ack never comes back: the worst moment to lose the link.
            cutAfter = null;
            down = true;
            server.close({ code: 4000 });
            ws.close({ code: 4000, reason: 'network down' });
          }
        });
      });
    });
    const chat = await openChat(page);
    const box = chat.getByRole('textbox', { name: 'Message' });
    const send = chat.getByRole('button', { name: 'Send', exact: true });
    await box.fill('First: trail shoes');
    await send.click();
    const first = await world.operator.waitForVisitorMessage('First: trail shoes');

    await box.fill('Second: do they run small?');
    await send.click();
    const status = chat.getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Reconnecting…');
    await expectAccessible(chatFrame(page), 'chat, reconnecting');
    for (const text of ['Third: I usually wear 43', 'Fourth: and wide feet']) {
      await box.fill(text);
      await send.click();
    }
    await world.operator.reply(first.conversationId, 'Reply while you were away');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    down = false;

    const expected = [
      'First: trail shoes',
      'Second: do they run small?',
      'Third: I usually wear 43',
      'Fourth: and wide feet',
    ];
    await expect
      .poll(
        async () =>
          (await messagesOf(first.conversationId))
            .filter((m) => m.author.kind === 'visitor')
            .map((m) => m.text),
        {
          timeout: 20_000,
        },
      )
      .toEqual(expected);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('');
    const log = chat.getByRole('log');
    await expect.poll(() => log.getByText('Reply while you were away').count()).toBe(1);
    for (const text of expected) expect(await log.getByText(text).count()).toBe(1);
    expect(await log.getByText('Sending…').count()).toBe(0);
    // Nothing more arrives later either (a late duplicate would show here).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await messagesOf(first.conversationId)).filter((m) => m.author.kind === 'visitor')).toHaveLength(
      4,
    );
  });

  it('renders what operators and visitors type as text: no markup, no script, only http(s) links', async () => {
    const { page, errors } = await visitor();
    const chat = await openChat(page);
    const visitorPayload = '<b onmouseover="window.__xss=9">bold?</b>';
    await chat.getByRole('textbox', { name: 'Message' }).fill(visitorPayload);
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const opened = await world.operator.waitForVisitorMessage(visitorPayload);
    const payloads = [
      '<img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '"><svg onload="window.__xss=3"></svg>',
      'javascript:window.__xss=4',
      '<a href="javascript:window.__xss=5">click</a>',
      'Size guide: https://example.com/sizes?a=1&b=<i>2</i>.',
    ];
    for (const text of payloads) await world.operator.reply(opened.conversationId, text);
    const log = chat.getByRole('log');
    await expect.poll(() => log.textContent()).toContain('Size guide:');
    const shown = await log.textContent();
    for (const text of [visitorPayload, ...payloads]) expect(shown).toContain(text);
    expect(await log.locator('img, script, svg, b, i, iframe').count()).toBe(0);
    const links = log.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://example.com/sizes?a=1&b=');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await links.first().getAttribute('target')).toBe('_blank');
    const xss = () => (window as unknown as { __xss?: number }).__xss ?? null;
    expect(await chatFrame(page).evaluate(xss)).toBeNull();
    expect(await page.evaluate(xss)).toBeNull();
    expect(errors).toEqual([]);
  });

  it('works with storage and cookies blocked (a session-only visitor), without an error on the page', async () => {
    const { page, errors } = await visitor(async (person) => {
      await person.context.addInitScript(() => {
        const refuse = () => {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        };
        for (const name of ['localStorage', 'sessionStorage']) {
          Object.defineProperty(window, name, { get: refuse, configurable: true });
        }
        Object.defineProperty(Document.prototype, 'cookie', { get: refuse, set: refuse, configurable: true });
      });
    });
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).fill('No storage here, can you still hear me?');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const question = await world.operator.waitForVisitorMessage('No storage here, can you still hear me?');
    await world.operator.reply(question.conversationId, 'Loud and clear.');
    await expect.poll(() => chat.getByRole('log').textContent()).toContain('Loud and clear.');
    expect(await page.evaluate(() => typeof (window as { Parley?: { open?: unknown } }).Parley?.open)).toBe(
      'function',
    );
    expect(errors).toEqual([]);
  });

  it('starts afresh when the visitor token in the page storage is not one', async () => {
    const { page, errors } = await visitor(async (person) => {
      // A host page script (or a broken extension) wrote over Parley's key.
      await person.context.addInitScript(() => {
        if (location.pathname.endsWith('widget-page.html'))
          localStorage.setItem('parley:demo:token', 'x'.repeat(5000));
      });
    });
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).fill('My storage is a mess, hello anyway');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    await world.operator.waitForVisitorMessage('My storage is a mess, hello anyway');
    expect(errors).toEqual([]);
  });

  it('says so when the chat cannot start on a page, instead of loading forever', async () => {
    const person = await launchPerson();
    people.push(person);
    const page = person.context.pages()[0] ?? (await person.context.newPage());
    // A page of Parley's own origin (the frame may be embedded there) with a site key that does not exist.
    const url = `${world.parley.url}/fixtures/unknown-site.html`;
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><title>Misconfigured shop</title>
          <script async src="${world.parley.url}/widget/loader.js" data-site="no-such-site"></script></html>`,
      }),
    );
    await page.goto(url);
    const chat = await openChat(page);
    await expect
      .poll(() => chat.getByRole('status').textContent())
      .toBe('Chat is not available on this page.');
    await expectAccessible(chatFrame(page), 'chat not available');
    await page.screenshot({ path: screenshotPath('widget-unavailable.png') });
  });
});
