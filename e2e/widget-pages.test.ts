/**
 * The operator's visitor card follows a single-page shop: once the chat frame
 * is loaded, a shop page that changes its address (history.pushState,
 * replaceState, back, hash) or its title reaches the operator as
 * `visitor.updated`, a burst of navigations as one `visitor.page` frame, and a
 * change made while the link was down once the link is back. Before the frame
 * is loaded, navigating costs nothing. Real Chromium, real Parley; the
 * operator listens on the console's socket.
 */
import type { VisitorDTO } from '@parley/protocol';
import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson, type Person } from './support/browser.js';
import { chatFrame, openChat, useWidgetWorld } from './widget-support.js';

const world = useWidgetWorld();
const { people } = world;

/** Longer than the loader's one look a second, twice over: whatever it would send has been sent. */
const QUIET_MS = 2500;

/**
 * Moves the page's clock (Playwright's, installed in `visit`) on by QUIET_MS at once, so the loader
 * takes its looks now instead of in 2.5 s of waiting; then lets whatever those looks handed the chat
 * frame go out of its socket (a task later in the frame) before the test looks at what was sent.
 */
async function quiet(page: Page): Promise<void> {
  await page.clock.runFor(QUIET_MS);
  const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
  await frame?.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
}

/** The loader's next look, now: after a change the test made on the page. */
const nextLook = (page: Page) => page.clock.runFor(1000);

interface PageFrame {
  url: string;
  title?: string;
}

/** A visitor's page, with the widget socket's `visitor.page` frames and its visitor id recorded. */
interface Visit {
  page: Page;
  /** `visitor.page` frames the widget sent, in order. */
  sent: PageFrame[];
  /** Resolves with the visitor id once the widget's socket is up. */
  visitorId: Promise<string>;
  errors: string[];
}

async function visit(prepare?: (person: Person) => Promise<void>): Promise<Visit> {
  const person = await launchPerson();
  people.push(person);
  // A clock the test moves on (time also flows as usual): the loader's looks come when the test says.
  await person.context.clock.install();
  await prepare?.(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const sent: PageFrame[] = [];
  let ready: (id: string) => void = () => undefined;
  const visitorId = new Promise<string>((resolve) => {
    ready = resolve;
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; data: PageFrame };
      if (frame.type === 'visitor.page') sent.push(frame.data);
    });
    ws.on('framereceived', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; data: { visitorId?: string } };
      if (frame.type === 'session.ready' && frame.data.visitorId) ready(frame.data.visitorId);
    });
  });
  await page.goto(`${world.shop.origin}/fixtures/widget-page.html`);
  return { page, sent, visitorId, errors };
}

/** The `visitor.updated` the operator receives once the visitor's card shows this page. */
function operatorSees(visitorId: string, url: string, title: string): Promise<VisitorDTO> {
  return world.operator.socket.waitFor<VisitorDTO>(
    'visitor.updated',
    (v) => v.id === visitorId && v.currentPage?.url === url && v.currentPage.title === title,
    10_000,
  );
}

function updatesOf(visitorId: string): VisitorDTO[] {
  return world.operator.socket.events
    .filter((e) => e.type === 'visitor.updated')
    .map((e) => e.data as VisitorDTO)
    .filter((v) => v.id === visitorId);
}

const isNative = (page: Page) =>
  page.evaluate(() =>
    [history.pushState, history.replaceState].every((fn) => String(fn).includes('[native code]')),
  );

describe('the page a visitor is on', () => {
  it('follows pushState, back, replaceState, hash and title changes to the operator, a burst as one frame', async () => {
    const { page, sent, visitorId, errors } = await visit();
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    await expectAccessible(page, 'fixture shop page with the chat open');
    await expectAccessible(chatFrame(page), 'chat, empty');
    const id = await visitorId;
    await quiet(page);
    // The session carried the page the chat opened on: nothing to send yet.
    expect(sent).toEqual([]);

    // A router's burst: a redirect chain, then the product page and its title, all in one task.
    await page.evaluate(() => {
      for (let n = 1; n <= 5; n++) history.pushState({ n }, '', `/fixtures/catalog?page=${n}`);
      history.pushState({ n: 6 }, '', '/fixtures/trail-shoes-44');
      document.title = 'Trail shoes, size 44';
    });
    await nextLook(page);
    const product = `${world.shop.origin}/fixtures/trail-shoes-44`;
    await operatorSees(id, product, 'Trail shoes, size 44');
    await quiet(page);
    expect(sent).toEqual([{ url: product, title: 'Trail shoes, size 44' }]);
    expect(updatesOf(id)).toHaveLength(1);

    // Back (popstate): the address changes, the title stays as the shop left it.
    await page.evaluate(() => history.back());
    await nextLook(page);
    await operatorSees(id, `${world.shop.origin}/fixtures/catalog?page=5`, 'Trail shoes, size 44');

    await page.evaluate(() => {
      history.replaceState(null, '', '/fixtures/catalog?page=6');
      location.hash = 'reviews';
    });
    await nextLook(page);
    await operatorSees(id, `${world.shop.origin}/fixtures/catalog?page=6#reviews`, 'Trail shoes, size 44');

    // The title alone.
    await page.evaluate(() => {
      document.title = 'Catalog, page 6';
    });
    await nextLook(page);
    await operatorSees(id, `${world.shop.origin}/fixtures/catalog?page=6#reviews`, 'Catalog, page 6');
    await quiet(page);
    expect(sent).toHaveLength(4);
    expect(updatesOf(id)).toHaveLength(4);
    // Only the address and the title leave the page.
    for (const frame of sent) expect(Object.keys(frame).sort()).toEqual(['title', 'url']);
    expect(await isNative(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  it('sends a page that changed while the link was down once the link is back, and only that one', async () => {
    let down = false;
    const live: WebSocketRoute[] = [];
    const reachedServer: PageFrame[] = [];
    const { page, visitorId } = await visit(async (person) => {
      await person.context.routeWebSocket(/\/ws\/visitor/, (ws) => {
        if (down) return ws.close({ code: 4000, reason: 'network down' });
        const server = ws.connectToServer();
        live.push(ws, server);
        ws.onMessage((raw) => {
          const frame = JSON.parse(String(raw)) as { type: string; data: PageFrame };
          if (frame.type === 'visitor.page') reachedServer.push(frame.data);
          server.send(raw);
        });
      });
    });
    const chat = await openChat(page);
    const id = await visitorId;

    down = true;
    for (const ws of live.splice(0)) await ws.close({ code: 4000, reason: 'network down' });
    await expect
      .poll(() => chat.getByRole('status').textContent(), { timeout: 10_000 })
      .toBe('Reconnecting…');
    await page.evaluate(() => {
      history.pushState(null, '', '/fixtures/checkout');
      document.title = 'Checkout';
    });
    await quiet(page);
    expect(reachedServer).toEqual([]);

    down = false;
    const checkout = `${world.shop.origin}/fixtures/checkout`;
    await operatorSees(id, checkout, 'Checkout');
    await expect.poll(() => chat.getByRole('status').textContent(), { timeout: 10_000 }).toBe('');
    await quiet(page);
    expect(reachedServer).toEqual([{ url: checkout, title: 'Checkout' }]);
  });

  it('follows the page of a returning visitor whose chat frame loaded quietly, without opening it', async () => {
    const { page, visitorId } = await visit();
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).fill('Saving this for later');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    await world.operator.waitForVisitorMessage('Saving this for later');
    const id = await visitorId;
    // The loader has noted that this visitor talked (what makes the next page view load the frame).
    await expect.poll(() => page.evaluate(() => localStorage.getItem('parley:demo:active'))).toBe('1');

    // The next page view: the frame comes quietly (to catch replies) and the launcher stays closed.
    const again = new Promise<void>((resolve) =>
      page.on('websocket', (ws) =>
        ws.on('framereceived', ({ payload }) => {
          if (String(payload).includes('"session.ready"')) resolve();
        }),
      ),
    );
    await page.reload();
    await again;
    expect(await page.getByRole('button', { name: 'Open chat', exact: true }).isVisible()).toBe(true);
    await page.evaluate(() => {
      history.pushState(null, '', '/fixtures/sale');
      document.title = 'Sale';
    });
    await operatorSees(id, `${world.shop.origin}/fixtures/sale`, 'Sale');
  });

  it('opens the chat on a page whose title and address are longer than the protocol allows, and keeps reporting', async () => {
    const { page, visitorId, errors } = await visit();
    await page.evaluate(() => {
      document.title = `Trail shoes ${'and more '.repeat(60)}`;
      history.replaceState(null, '', `/fixtures/widget-page.html?utm_content=${'x'.repeat(2100)}`);
    });
    const chat = await openChat(page);
    await chat.getByRole('textbox', { name: 'Message' }).waitFor({ timeout: 10_000 });
    const id = await visitorId;
    await page.evaluate(() => {
      history.pushState(null, '', `/fixtures/boots?ref=${'y'.repeat(2100)}#top`);
    });
    const seen = await world.operator.socket.waitFor<VisitorDTO>(
      'visitor.updated',
      (v) => v.id === id && v.currentPage?.url === `${world.shop.origin}/fixtures/boots`,
      10_000,
    );
    expect(seen.currentPage?.title).toHaveLength(300);
    expect(seen.currentPage?.title?.startsWith('Trail shoes and more')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('costs only tracking while the chat frame is not loaded: no frame, no chat request, one timer; the chat opens on the current page', async () => {
    const parleyRequests: string[] = [];
    const { page, sent, visitorId, errors } = await visit(async (person) => {
      person.context.on('request', (request) => {
        if (request.url().startsWith(world.parley.url)) parleyRequests.push(new URL(request.url()).pathname);
      });
      // Counts the page's repeating timers, the loader's included.
      await person.context.addInitScript(() => {
        const scope = window as unknown as { __intervals: number };
        scope.__intervals = 0;
        const original = window.setInterval;
        window.setInterval = ((...args: Parameters<typeof original>) => {
          scope.__intervals++;
          return original(...args);
        }) as typeof original;
      });
    });
    const intervals = () => page.evaluate(() => (window as unknown as { __intervals: number }).__intervals);
    await page.getByRole('button', { name: 'Open chat', exact: true }).waitFor();
    await page.evaluate(() => {
      history.pushState(null, '', '/fixtures/boots');
      document.title = 'Boots';
      location.hash = 'sizes';
    });
    await quiet(page);
    // Since issue 12 the loader tracks pages before any chat (tracker.ts): its batches are all it sends.
    expect(parleyRequests[0]).toBe('/widget/loader.js');
    expect(new Set(parleyRequests.slice(1))).toEqual(new Set(['/api/widget/track']));
    expect(page.frames().some((f) => f.url().includes('/widget/frame.html'))).toBe(false);
    const beforeOpen = await intervals();
    expect(beforeOpen).toBeLessThanOrEqual(2);
    expect(await isNative(page)).toBe(true);

    // Opened now, the chat starts on the page the visitor is on, and has nothing more to send.
    const session = page.waitForRequest((r) => r.url().endsWith('/api/widget/session'));
    const chat = await openChat(page);
    const body = (await session).postDataJSON() as { page: PageFrame };
    expect(body.page).toEqual({ url: `${world.shop.origin}/fixtures/boots#sizes`, title: 'Boots' });
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    await visitorId;
    // The page watcher already runs for tracking: opening the chat adds no timer of its own but the frame's.
    expect(await intervals()).toBeLessThanOrEqual(beforeOpen + 1);
    await quiet(page);
    expect(sent).toEqual([]);
    expect(chatFrame(page).url()).toContain('/widget/frame.html');
    expect(errors).toEqual([]);
  });

  it('reports the page again when the visitor comes back to the tab, where another tab may have reported since', async () => {
    const { page, sent, visitorId } = await visit();
    await openChat(page);
    const id = await visitorId;
    await quiet(page);
    expect(sent).toEqual([]);
    // Headless Chromium keeps every tab visible: the shop page is told it went to the back and came forward.
    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'hidden', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await quiet(page);
    expect(sent).toEqual([]);
    await setHidden(false);
    const here = { url: `${world.shop.origin}/fixtures/widget-page.html`, title: 'Fixture shop page' };
    await expect.poll(() => sent).toEqual([here]);
    await operatorSees(id, here.url, here.title);
  });
});
