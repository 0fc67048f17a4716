/**
 * Files both ways in real Chromium (issue 11): the operator attaches a
 * picture in the console and the visitor sees its preview in the chat; the
 * visitor attaches a PDF in the chat and the operator sees its name and size
 * and downloads it, served as an attachment. Screenshots of both sides.
 */
import type { ConversationDetail } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api } from '../apps/server/src/testing/clients.js';
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
});
