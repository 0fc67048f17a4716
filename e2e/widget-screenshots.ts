/**
 * Screenshots of the widget on the demo shop (served by Parley at /shop/) for
 * docs/screenshots/: closed, open with a conversation, the request form, and a
 * 360 px phone. Run: `node --import tsx e2e/widget-screenshots.ts` after a build.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchPerson } from './support/browser.js';
import { startParleyProcess } from './support/parley-process.js';
import { connectOperator, openChat } from './widget-support.js';

const out = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
const parley = await startParleyProcess();
const people: { close(): Promise<void> }[] = [];

async function shopPage(options: Parameters<typeof launchPerson>[0] = {}): Promise<Page> {
  const person = await launchPerson(options);
  people.push(person);
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  await page.goto(`${parley.url}/shop/trail-shoes.html`);
  await page.getByRole('button', { name: 'Open chat' }).waitFor();
  return page;
}

try {
  const operator = await connectOperator(parley.url);
  const desktop = await shopPage();
  await desktop.screenshot({ path: `${out}widget-closed.png` });

  const chat = await openChat(desktop);
  await chat
    .getByRole('textbox', { name: 'Message' })
    .fill('Hi! Do the trail shoes run small? I usually wear 43.');
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
  const question = await operator.waitForVisitorMessage(
    'Hi! Do the trail shoes run small? I usually wear 43.',
  );
  await operator.reply(
    question.conversationId,
    'Hello! They run about half a size small, so 44 will fit you best.',
  );
  await operator.reply(question.conversationId, 'Here is our size guide: https://example.com/size-guide');
  await chat.getByText('size-guide').waitFor();
  await chat.getByRole('textbox', { name: 'Message' }).fill('Great, thank you');
  await desktop.screenshot({ path: `${out}widget-conversation.png` });

  const phone = await shopPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const phoneChat = await openChat(phone);
  await phoneChat.getByRole('textbox', { name: 'Message' }).fill('Is delivery to Yerevan possible?');
  await phoneChat.getByRole('button', { name: 'Send', exact: true }).click();
  const asked = await operator.waitForVisitorMessage('Is delivery to Yerevan possible?');
  await operator.reply(asked.conversationId, 'Yes, 3–5 days by courier.');
  await phoneChat.getByText('3–5 days').waitFor();
  await phone.screenshot({ path: `${out}widget-phone.png` });

  await operator.socket.close();
  const offline = await shopPage();
  const form = await openChat(offline);
  await form.getByRole('textbox', { name: 'Email' }).fill('ani@example.am');
  await form.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Gyumri?');
  await offline.screenshot({ path: `${out}widget-request-form.png` });
  console.log(`screenshots in ${out}`);
} finally {
  await Promise.all(people.map((p) => p.close()));
  await parley.stop();
}
