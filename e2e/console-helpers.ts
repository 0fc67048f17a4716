/**
 * Helpers for the console's browser tests: an operator's browser with the
 * console open (desktop notifications recorded), logging in through the
 * form, and visitors driven over the real widget protocol.
 */
import type { MessageDTO, WidgetSessionResponse } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { startVisitorSession, TestSocket } from '../apps/server/src/testing/clients.js';
import { newClientId } from '../apps/server/src/testing/fixtures.js';
import { launchPerson, type Person } from './support/browser.js';

export interface Operator {
  person: Person;
  page: Page;
  /** Titles of the desktop notifications the console showed. */
  notifications(): Promise<string[]>;
}

/** An operator's own browser at `${baseUrl}/console/`, with notifications allowed and recorded. */
export async function openConsole(baseUrl: string, path = '/console/'): Promise<Operator> {
  const person = await launchPerson();
  await person.context.grantPermissions(['notifications'], { origin: baseUrl });
  await person.context.addInitScript(() => {
    const shown: string[] = [];
    const Original = window.Notification;
    class Recorded extends Original {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    }
    Object.defineProperty(window, 'Notification', { value: Recorded, configurable: true });
    Object.defineProperty(window, '__notifications', { value: shown });
  });
  const page = person.context.pages()[0] ?? (await person.context.newPage());
  await page.goto(baseUrl + path);
  return {
    person,
    page,
    notifications: () =>
      page.evaluate(() => (window as unknown as { __notifications: string[] }).__notifications),
  };
}

export interface LoginLabels {
  email: string;
  password: string;
  submit: string;
}

export const ENGLISH_LOGIN: LoginLabels = { email: 'Email', password: 'Password', submit: 'Log in' };

export async function logIn(
  page: Page,
  credentials: { email: string; password: string },
  labels: LoginLabels = ENGLISH_LOGIN,
): Promise<void> {
  await page.getByRole('textbox', { name: labels.email }).fill(credentials.email);
  await page.getByLabel(labels.password).fill(credentials.password);
  await page.getByRole('button', { name: labels.submit }).click();
}

/** A visitor talking over the widget's protocol (session + socket), as the widget does. */
export interface TestVisitor {
  session: WidgetSessionResponse;
  socket: TestSocket;
  /** The label the console shows for a visitor without a name. */
  label: string;
  say(text: string): Promise<MessageDTO>;
}

export async function newVisitor(baseUrl: string): Promise<TestVisitor> {
  const session = await startVisitorSession(baseUrl);
  const socket = await TestSocket.visitor(baseUrl.replace(/^http/, 'ws'), session.visitorToken);
  await socket.waitFor('session.ready');
  return {
    session,
    socket,
    label: `#${session.visitorId.replace(/-/g, '').slice(0, 6).toUpperCase()}`,
    async say(text) {
      const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
        clientId: newClientId(),
        text,
      });
      return message;
    },
  };
}

/** Escapes text for use inside a RegExp. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Polls until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Controls inside `scope` with no accessible name (aria-label, labelledby, label or text). */
export function unnamedControls(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) => {
    const controls = root.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]');
    const missing: string[] = [];
    for (const control of Array.from(controls)) {
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
