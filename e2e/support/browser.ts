/**
 * Headless Chromium from Debian's `chromium` package, driven by
 * playwright-core (never a downloaded browser). Each context gets its own
 * profile folder, so two contexts are two different people.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Let the widget's reply sound play without a prior gesture in tests.
  '--autoplay-policy=no-user-gesture-required',
];

export interface Person {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser profile of one person (visitor or operator). */
export async function launchPerson(options: BrowserContextOptions = {}): Promise<Person> {
  const profile = await mkdtemp(join(tmpdir(), 'parley-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
