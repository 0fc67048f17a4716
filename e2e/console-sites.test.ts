/**
 * Sites in real Chromium against Parley started as `npm start` does: the
 * owner adds a site in Settings → Sites and sees its snippet with the new key,
 * a visitor of that site writes and the inbox names the site on the row, the
 * inbox's site switcher narrows the list to one site, and deleting the site
 * (a dialog naming it) takes it out of the list and the switcher. And, with
 * PARLEY_DEMO=false, the first screen after login asks for the first site and
 * shows its snippet.
 */
import type { SiteDTO } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { api, loginOperator, startVisitorSession, TestSocket } from '../apps/server/src/testing/clients.js';
import { newClientId } from '../apps/server/src/testing/fixtures.js';
import { logIn, type Operator, openConsole } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';

const started: ParleyProcess[] = [];
const operators: Operator[] = [];
const sockets: TestSocket[] = [];

afterAll(async () => {
  for (const s of sockets) await s.close();
  for (const o of operators) await o.person.close();
  for (const p of started) await p.stop();
});

async function start(env: Record<string, string> = {}): Promise<ParleyProcess> {
  const parley = await startParleyProcess({ env });
  started.push(parley);
  return parley;
}

async function ownerConsole(parley: ParleyProcess): Promise<Page> {
  const o = await openConsole(parley.url);
  operators.push(o);
  await o.page.setViewportSize({ width: 1280, height: 860 });
  await logIn(o.page, E2E_ADMIN);
  return o.page;
}

/** The sites as the API shows them to the owner now. */
async function sitesNow(parley: ParleyProcess): Promise<SiteDTO[]> {
  const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
  return (await api<{ sites: SiteDTO[] }>(parley.url, '/api/sites', { cookie: session.cookie })).body.sites;
}

function snippetFor(origin: string, key: string): string {
  return [
    '<script>',
    '  window.Parley = window.Parley || Object.assign((...args) => window.Parley.q.push(args), { q: [] });',
    '</script>',
    `<script async src="${origin}/widget/loader.js" data-site="${key}"></script>`,
  ].join('\n');
}

async function visitorSays(parley: ParleyProcess, siteKey: string, text: string): Promise<void> {
  const session = await startVisitorSession(parley.url, siteKey);
  const socket = await TestSocket.visitor(parley.url.replace(/^http/, 'ws'), session.visitorToken);
  sockets.push(socket);
  await socket.waitFor('session.ready');
  await socket.request('message.send', { clientId: newClientId(), text });
}

describe('sites in the console', () => {
  it('adds a site with its own key and snippet, shows it in the inbox switcher, and deletes it', async () => {
    const parley = await start();
    const page = await ownerConsole(parley);
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    // One site: nothing to switch.
    expect(await page.getByRole('combobox', { name: 'Site' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
    await page.getByRole('textbox', { name: /Name of the new site/ }).fill('Trail Shop');
    await page.getByRole('button', { name: 'Create site' }).click();

    // The new site's page opens, with the snippet carrying its new key.
    const form = page.getByRole('form', { name: 'Site settings: Trail Shop' });
    await form.waitFor();
    const created = (await sitesNow(parley)).find((s) => s.name === 'Trail Shop');
    expect(created?.publicKey).toMatch(/^pk_[A-Za-z0-9_-]{22}$/);
    expect(new URL(page.url()).pathname).toBe(`/console/settings/sites/${created?.id}`);
    const origin = new URL(parley.url).origin;
    const snippet = await form.getByRole('code').filter({ hasText: 'loader.js' }).textContent();
    expect(snippet).toBe(snippetFor(origin, created?.publicKey ?? ''));
    await expectAccessible(page, 'console, a new site');

    // The list of sites shows both, each with its key.
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Sites' }).click();
    const list = page.getByRole('region', { name: 'Sites' });
    await list.getByRole('link', { name: 'Trail Shop' }).waitFor();
    await list.getByText(created?.publicKey ?? '').waitFor();
    await list.getByRole('link', { name: 'Demo shop' }).waitFor();
    await expectAccessible(page, 'console, the list of sites');
    await page.screenshot({ path: screenshotPath('console-settings-sites.png') });

    // The inbox: a switcher with both sites; a visitor of the new site writes; the row names the site.
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    const switcher = page.getByRole('combobox', { name: 'Site' });
    await switcher.waitFor();
    expect(await switcher.getByRole('option').allTextContents()).toEqual([
      'All my sites',
      'Demo shop',
      'Trail Shop',
    ]);
    await visitorSays(parley, created?.publicKey ?? '', 'Do you ship to Yerevan?');
    await visitorSays(parley, 'demo', 'Is this in stock?');
    const rows = page.getByRole('tabpanel').getByRole('button');
    const trailRow = rows.filter({ hasText: 'Do you ship to Yerevan?' });
    await trailRow.waitFor();
    await trailRow.getByText('Trail Shop', { exact: true }).waitFor();
    await rows.filter({ hasText: 'Is this in stock?' }).getByText('Demo shop', { exact: true }).waitFor();
    await expectAccessible(page, 'console inbox, two sites');
    await page.screenshot({ path: screenshotPath('console-inbox-sites.png') });

    // One site at a time: only its conversations, and no site name on the rows.
    await switcher.selectOption({ label: 'Trail Shop' });
    await rows.filter({ hasText: 'Is this in stock?' }).waitFor({ state: 'detached' });
    await trailRow.waitFor();
    expect(await trailRow.getByText('Trail Shop', { exact: true }).count()).toBe(0);
    await switcher.selectOption({ label: 'All my sites' });
    await rows.filter({ hasText: 'Is this in stock?' }).waitFor();

    // Deleting it: a dialog naming the site, Cancel first, then for real.
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('region', { name: 'Sites' }).getByRole('link', { name: 'Trail Shop' }).click();
    await page.getByRole('button', { name: 'Delete site…' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete “Trail Shop”?' });
    await dialog.waitFor();
    await expectAccessible(page, 'console, deleting a site');
    await page.screenshot({ path: screenshotPath('console-delete-site.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await sitesNow(parley)).map((s) => s.name)).toContain('Trail Shop');
    await page.getByRole('button', { name: 'Delete site…' }).click();
    await dialog.getByRole('button', { name: 'Delete “Trail Shop”' }).click();
    await page.getByRole('heading', { name: 'Sites' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/settings/sites');
    await page.getByRole('region', { name: 'Sites' }).getByRole('link', { name: 'Trail Shop' }).waitFor({
      state: 'detached',
    });
    expect((await sitesNow(parley)).map((s) => s.name)).toEqual(['Demo shop']);
    await expect(startVisitorSession(parley.url, created?.publicKey ?? '')).rejects.toMatchObject({
      status: 404,
    });

    // Back in the inbox: one site again, no switcher, the deleted site's conversation gone.
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    await rows.filter({ hasText: 'Is this in stock?' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Site' }).count()).toBe(0);
    expect(await rows.filter({ hasText: 'Do you ship to Yerevan?' }).count()).toBe(0);
  });

  it('leads the owner of a fresh install without the demo to the first site and its snippet', async () => {
    const parley = await start({ PARLEY_DEMO: 'false' });
    expect(await sitesNow(parley)).toEqual([]);
    const page = await ownerConsole(parley);
    await page.getByRole('heading', { name: 'Welcome to Parley' }).waitFor();
    await expectAccessible(page, 'console first run');
    await page.getByRole('textbox', { name: /Name of the new site/ }).fill('Mountain Gear');
    await page.screenshot({ path: screenshotPath('console-first-run.png') });
    await page.getByRole('button', { name: 'Create site' }).click();

    await page.getByRole('heading', { name: '“Mountain Gear” is ready' }).waitFor();
    const [site] = await sitesNow(parley);
    expect(site?.name).toBe('Mountain Gear');
    expect(site?.publicKey).toMatch(/^pk_/);
    const snippet = await page.getByRole('code').filter({ hasText: 'loader.js' }).textContent();
    expect(snippet).toBe(snippetFor(new URL(parley.url).origin, site?.publicKey ?? ''));
    await expectAccessible(page, 'console first run, the snippet');
    await page.screenshot({ path: screenshotPath('console-first-site-snippet.png') });

    await page.getByRole('button', { name: 'Open the site’s settings' }).click();
    await page.getByRole('form', { name: 'Site settings: Mountain Gear' }).waitFor();
    await page.getByRole('link', { name: 'Back to the inbox' }).click();
    await page.getByRole('tab', { name: 'Open' }).waitFor();
    // No demo: the shop and its key are not there.
    expect((await fetch(`${parley.url}/shop/`)).status).toBe(404);
    await expect(startVisitorSession(parley.url, 'demo')).rejects.toMatchObject({ status: 404 });
  });
});
