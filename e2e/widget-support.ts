/**
 * Helpers for the widget's browser tests: fixture pages served on a shop
 * origin other than Parley's (http://shop.test, answered by the browser's
 * router, allowed on the demo site), an operator acting over the real
 * socket, and a chime counter injected into every frame.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageDTO, OperatorStatus } from '@parley/protocol';
import pg from 'pg';
import type { BrowserContext, Frame, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { loginOperator, type OperatorSession, TestSocket } from '../apps/server/src/testing/clients.js';
import { newClientId } from '../apps/server/src/testing/fixtures.js';
import type { Person } from './support/browser.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from './support/parley-process.js';

const fixtures = new URL('./fixtures/', import.meta.url);

export interface FixtureShop {
  /** The shop's origin, e.g. http://127.0.0.1:40123 (another port: another origin than Parley's). */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves e2e/fixtures/* at <origin>/fixtures/ from a real HTTP server, with {{PARLEY}} replaced by
 * Parley's URL. Real, not routed in the browser: Chromium treats routed pages as public and would
 * refuse their scripts from a loopback Parley (local network access), unlike a real shop.
 */
export async function startFixtureShop(parleyUrl: string): Promise<FixtureShop> {
  const server = createServer(async (request, response) => {
    // The query (a landing page's UTM parameters) is the page's, not the file's name.
    const name = /^\/fixtures\/([\w-]+\.html)$/.exec((request.url ?? '').split('?')[0] ?? '')?.[1];
    try {
      if (!name) throw new Error('not found');
      const html = (await readFile(new URL(name, fixtures), 'utf8')).replaceAll('{{PARLEY}}', parleyUrl);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Site settings have no API yet: set them the way the console's settings page will, in the database.
 * Always allows the fixture shop's origin.
 */
export async function configureDemoSite(
  parley: ParleyProcess,
  shop: FixtureShop,
  settings: Record<string, unknown> = {},
): Promise<void> {
  const client = new pg.Client({ connectionString: parley.databaseUrl ?? undefined });
  await client.connect();
  try {
    await client.query(
      `UPDATE sites SET allowed_origins = ARRAY[$1::text], settings = settings || $2::jsonb WHERE public_key = 'demo'`,
      [shop.origin, JSON.stringify(settings)],
    );
  } finally {
    await client.end();
  }
}

export interface TestOperator {
  session: OperatorSession;
  socket: TestSocket;
  reply(conversationId: string, text: string): Promise<MessageDTO>;
  setStatus(status: OperatorStatus): Promise<void>;
  /** The first visitor message with this text, as the operator's console receives it. */
  waitForVisitorMessage(text: string, timeoutMs?: number): Promise<MessageDTO>;
}

/** The admin with a console socket open and status online: the site counts as online. */
export async function connectOperator(parleyUrl: string): Promise<TestOperator> {
  const session = await loginOperator(parleyUrl, E2E_ADMIN.email, E2E_ADMIN.password);
  const socket = await TestSocket.operator(parleyUrl.replace(/^http/, 'ws'), session.cookie);
  await socket.waitFor('session.ready');
  const operator: TestOperator = {
    session,
    socket,
    async reply(conversationId, text) {
      const { message } = await socket.request<{ message: MessageDTO }>('message.send', {
        conversationId,
        clientId: newClientId(),
        text,
      });
      return message;
    },
    async setStatus(status) {
      await socket.request('operator.status', { status });
    },
    waitForVisitorMessage: (text, timeoutMs = 10_000) =>
      socket.waitForMessage((m) => m.author.kind === 'visitor' && m.text === text, timeoutMs),
  };
  await operator.setStatus('online');
  return operator;
}

/** Counts oscillators started (the reply chime) in every frame, page and chat alike. */
export async function countChimes(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const scope = window as unknown as { __chimes: number };
    scope.__chimes = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<typeof start>) {
      scope.__chimes++;
      return start.apply(this, args);
    };
  });
}

export function chatFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().includes('/widget/frame.html'));
  if (!frame) throw new Error('no chat frame');
  return frame;
}

/** The chat frame once the loader has brought it (quietly, e.g. 1.5 s after load): waits up to `timeoutMs`. */
export async function waitForChatFrame(page: Page, timeoutMs = 40_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (!page.frames().some((f) => f.url().includes('/widget/frame.html')) && Date.now() < deadline)
    await page.waitForTimeout(250);
  return chatFrame(page);
}

/** Clicks the launcher and returns the chat window, found by the iframe's accessible title. */
export async function openChat(
  page: Page,
  labels = { launcher: 'Open chat', frame: 'Chat' },
): Promise<FrameLocator> {
  await page.getByRole('button', { name: labels.launcher, exact: true }).click();
  return page.getByTitle(labels.frame, { exact: true }).contentFrame();
}

/** What most widget test files share; its fields are set before their first test. */
export interface WidgetWorld {
  parley: ParleyProcess;
  /** A fixture shop on another origin, allowed by the demo site. */
  shop: FixtureShop;
  /** An operator listening on the console's socket. */
  operator: TestOperator;
  /** The browsers a test launches: push them here and they are closed after the file. */
  people: Person[];
}

/** Starts the shared setting before a test file's first test and stops it after its last. */
export function useWidgetWorld(): WidgetWorld {
  const world = { people: [] as Person[] } as WidgetWorld;
  beforeAll(async () => {
    world.parley = await startParleyProcess();
    world.shop = await startFixtureShop(world.parley.url);
    await configureDemoSite(world.parley, world.shop);
    world.operator = await connectOperator(world.parley.url);
  });
  afterAll(async () => {
    await Promise.all(world.people.map((p) => p.close()));
    await world.operator?.socket.close();
    await world.parley?.stop();
    await world.shop?.close();
  });
  return world;
}
