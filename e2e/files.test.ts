/**
 * Files both ways in real Chromium (issue 11): the operator attaches a
 * picture in the console and the visitor sees its preview in the chat; the
 * visitor attaches a PDF in the chat and the operator sees its name and size
 * and downloads it, served as an attachment. Screenshots of both sides.
 */
import type { ConversationDetail, ConversationList } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { samplePdf, samplePng } from '../apps/server/src/testing/sample-files.js';
import { eventually, logIn } from './console-helpers.js';
import { expectAccessible } from './support/accessibility.js';
import { launchPerson } from './support/browser.js';
import { E2E_ADMIN } from './support/parley-process.js';
import { screenshotPath } from './support/screenshots.js';
import { chatFrame, openChat, useWidgetWorld } from './widget-support.js';

const world = useWidgetWorld();

async function firstPage(): Promise<Page> {
  const person = await launchPerson();
  world.people.push(person);
  return person.context.pages()[0] ?? person.context.newPage();
}

describe('files both ways', () => {
  it('the operator sends a picture (the visitor sees a preview), the visitor sends a PDF (the operator downloads it)', {
    timeout: 180_000,
  }, async () => {
    // The visitor asks on the shop.
    const shopper = await firstPage();
    await shopper.goto(`${world.shop.origin}/fixtures/widget-page.html`);
    const chat = await openChat(shopper);
    await chat.getByRole('textbox', { name: 'Message' }).fill('Which size should I take?');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();
    const question = await world.operator.waitForVisitorMessage('Which size should I take?');

    // The operator opens the conversation in the console and attaches a picture with the paperclip.
    const inbox = await firstPage();
    await inbox.goto(`${world.parley.url}/console/`);
    await logIn(inbox, E2E_ADMIN);
    await inbox.getByRole('button', { name: /Which size should I take\?/ }).click();
    const chooser = inbox.waitForEvent('filechooser');
    await inbox.getByRole('button', { name: 'Attach a file' }).click();
    await (await chooser).setFiles({
      name: 'size-chart.png',
      mimeType: 'image/png',
      buffer: samplePng(320, 180, [14, 116, 144]),
    });
    const consoleLog = inbox.getByRole('log', { name: 'Messages' });
    await consoleLog.getByRole('img', { name: 'size-chart.png' }).waitFor();

    // The visitor sees the picture's preview, loaded (with their token) and opening full size.
    const preview = chat.getByRole('link', { name: 'Open picture size-chart.png' });
    await preview.waitFor();
    await eventually(async () =>
      expect(
        await preview.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      ).toBe(320),
    );
    expect(await preview.getAttribute('href')).toMatch(/^blob:/);
    await expectAccessible(chatFrame(shopper), 'chat with a picture from the operator');

    // The visitor attaches a PDF with the paperclip; it goes once it is stored.
    const pdf = samplePdf('Order 1042', 30_000);
    const visitorChooser = shopper.waitForEvent('filechooser');
    await chat.getByRole('button', { name: 'Attach a file' }).click();
    await (await visitorChooser).setFiles({
      name: 'order-1042.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await chat.getByRole('link', { name: /order-1042\.pdf/ }).waitFor();
    await shopper.screenshot({ path: screenshotPath('widget-files.png') });

    // The operator sees its name and size, and downloads it: served as an attachment, the bytes whole.
    const file = consoleLog.getByRole('link', { name: /order-1042\.pdf/ });
    await file.waitFor();
    expect(await file.textContent()).toContain('29 KB');
    await expectAccessible(inbox, 'console conversation with files both ways');
    await inbox.screenshot({ path: screenshotPath('console-files.png') });
    const href = (await file.getAttribute('href')) ?? '';
    const download = inbox.waitForEvent('download');
    await file.click();
    expect((await download).suggestedFilename()).toBe('order-1042.pdf');
    const response = await inbox.request.get(`${world.parley.url}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="order-1042\.pdf"/);
    expect(response.headers()['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(await response.body()).equals(pdf)).toBe(true);

    // Both messages exist once each, with their files.
    const { body } = await api<ConversationDetail>(
      world.parley.url,
      `/api/conversations/${question.conversationId}`,
      { cookie: world.operator.session.cookie },
    );
    const withFiles = body.messages.filter((m) => m.attachments?.length);
    expect(withFiles.map((m) => [m.author.kind, m.attachments?.[0]?.name])).toEqual([
      ['operator', 'size-chart.png'],
      ['visitor', 'order-1042.pdf'],
    ]);
  });

  it('an admin sets the site’s file limits; the chat refuses what they exclude, with the reason, and cancels a slow upload', {
    timeout: 180_000,
  }, async () => {
    const admin = await firstPage();
    await admin.goto(`${world.parley.url}/console/`);
    await logIn(admin, E2E_ADMIN);
    await admin.getByRole('link', { name: 'Settings', exact: true }).click();
    await admin.getByRole('main').getByRole('link', { name: 'Demo shop' }).click();
    const files = admin.getByRole('form', { name: 'Files' });
    await files.getByRole('spinbutton', { name: 'Largest file (MB)' }).fill('1');
    await files.getByRole('checkbox', { name: 'PDF' }).uncheck();
    await files.getByRole('button', { name: 'Save file settings' }).click();
    await files.getByText('File settings saved.').waitFor();
    await expectAccessible(admin, 'console site settings with file limits');
    await files.screenshot({ path: screenshotPath('console-file-settings.png') });
    const session = await loginOperator(world.parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
    expect(session.sites[0]?.settings.files).toMatchObject({ maxBytes: 1024 * 1024 });
    expect(session.sites[0]?.settings.files.allowedTypes).not.toContain('application/pdf');

    // A visitor (a fresh page: the chat reads the limits when it starts) tries both.
    const openConversations = async () =>
      (
        await api<ConversationList>(world.parley.url, '/api/conversations?status=open', {
          cookie: session.cookie,
        })
      ).body.items.length;
    const before = await openConversations();
    const shopper = await firstPage();
    await shopper.goto(`${world.shop.origin}/fixtures/widget-page.html`);
    const chat = await openChat(shopper);
    await chat.getByRole('textbox', { name: 'Message' }).waitFor();
    const attach = async (name: string, mimeType: string, buffer: Buffer) => {
      const chooser = shopper.waitForEvent('filechooser');
      await chat.getByRole('button', { name: 'Attach a file' }).click();
      await (await chooser).setFiles({ name, mimeType, buffer });
    };
    // Over the size: refused in the chat before a byte is sent.
    await attach('big.png', 'image/png', Buffer.concat([samplePng(), Buffer.alloc(2 * 1024 * 1024)]));
    await chat.getByText('Larger than 1 MB, the limit here').waitFor();
    // A PDF, now excluded: the server refuses it by its content, and the chat says why.
    await attach('renamed.png', 'image/png', samplePdf());
    await chat.getByText('Files of this type (application/pdf) are not allowed here').waitFor();
    await expectAccessible(chatFrame(shopper), 'chat with refused files');
    await shopper.screenshot({ path: screenshotPath('widget-files-refused.png') });
    // A slow upload shows its progress and can be cancelled: nothing is sent.
    const cdp = await shopper.context().newCDPSession(shopper);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 64 * 1024,
    });
    await attach('slow.png', 'image/png', Buffer.concat([samplePng(), Buffer.alloc(800 * 1024)]));
    const progress = chat.getByRole('progressbar', { name: 'Uploading slow.png' });
    await progress.waitFor();
    await chat.getByRole('button', { name: 'Cancel' }).click();
    await progress.waitFor({ state: 'detached' });
    expect(await chat.getByText('slow.png').count()).toBe(0);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    // Nothing was sent: the visitor has no conversation (they wrote nothing else).
    expect(await openConversations()).toBe(before);
  });
});
