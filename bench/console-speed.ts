/**
 * Console speed (issue 4): with 100,000 conversations in the database and
 * one conversation of 1,000 messages, how fast the operator console opens
 * the conversation list and that conversation, in headless Chromium against
 * Parley started as `npm start` does (machine's PostgreSQL, fresh database).
 * Target: under 300 ms. Times are taken inside the page (performance.now),
 * from the click or navigation until the rows/messages are in the DOM, plus
 * the server's API time measured from Node for the same calls.
 *
 *   node --import tsx bench/console-speed.ts [--conversations 100000] [--runs 15] [--no-docs]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { launchPerson } from '../e2e/support/browser.js';
import { E2E_ADMIN, startParleyProcess } from '../e2e/support/parley-process.js';
import { seedConsoleBenchmark } from './console-seed.js';

const { values: args } = parseArgs({
  options: {
    conversations: { type: 'string', default: '100000' },
    messages: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '15' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const CONVERSATIONS = Number(args.conversations);
const BIG = Number(args.messages);
const RUNS = Number(args.runs);
const TARGET_MS = 300;

interface Series {
  name: string;
  what: string;
  samples: number[];
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Records when list rows and the last message first enter the DOM, relative to navigation start. */
function installMarks(): void {
  const marks: Record<string, number> = {};
  Object.defineProperty(window, '__marks', { value: marks });
  const big = (window as unknown as { __bigSeq?: string }).__bigSeq;
  new MutationObserver(() => {
    if (marks.row === undefined && document.querySelector('.rows li')) marks.row = performance.now();
    if (marks.last === undefined && big && document.querySelector(`[data-seq="${big}"]`)) {
      marks.last = performance.now();
    }
  }).observe(document, { childList: true, subtree: true });
}

async function marks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
}

async function waitForMark(page: Page, name: string): Promise<number> {
  await page.waitForFunction(
    (n) => (window as unknown as { __marks: Record<string, number> }).__marks[n],
    name,
  );
  return (await marks(page))[name] ?? Number.NaN;
}

/** Clicks inside the page and waits (per animation frame) until `done` matches: no driver round trips timed. */
function clickAndWait(page: Page, click: { selector: string; text?: string }, done: string): Promise<number> {
  return page.evaluate(
    async ({ click, done }) => {
      const target = Array.from(document.querySelectorAll<HTMLElement>(click.selector)).find(
        (element) => !click.text || element.textContent?.includes(click.text),
      );
      if (!target) throw new Error(`nothing to click: ${click.selector} ${click.text ?? ''}`);
      const start = performance.now();
      target.click();
      await new Promise<void>((resolve) => {
        const check = () => (document.querySelector(done) ? resolve() : requestAnimationFrame(check));
        check();
      });
      return performance.now() - start;
    },
    { click, done },
  );
}

async function main() {
  console.log(`Starting Parley and seeding ${CONVERSATIONS} conversations + one of ${BIG} messages…`);
  const node = await startParleyProcess({ database: 'local' });
  const person = await launchPerson();
  try {
    const seedStart = Date.now();
    const seeded = await seedConsoleBenchmark(node.databaseUrl ?? '', CONVERSATIONS, BIG);
    console.log(
      `Seeded ${seeded.conversations} conversations, ${seeded.messages} messages in ${Date.now() - seedStart} ms`,
    );

    // tsx (esbuild keepNames) wraps named functions in __name(); functions sent into the page need it defined.
    await person.context.addInitScript('window.__name = (fn) => fn;');
    await person.context.addInitScript(`window.__bigSeq = ${JSON.stringify(String(BIG))};`);
    await person.context.addInitScript(installMarks);
    const page = person.context.pages()[0] ?? (await person.context.newPage());
    await page.goto(`${node.url}/console/`);
    await page.getByRole('textbox', { name: 'Email' }).fill(E2E_ADMIN.email);
    await page.getByLabel('Password').fill(E2E_ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('tab', { name: 'Open' }).waitFor();

    const series: Series[] = [
      {
        name: 'list, page load',
        what: 'navigate to /console/ → first page of Open rows in the DOM',
        samples: [],
      },
      {
        name: 'list, tab switch',
        what: 'click "Closed" (not loaded yet) → its rows in the DOM',
        samples: [],
      },
      {
        name: '1,000-message conversation, click',
        what: 'click its row → message #1000 in the DOM',
        samples: [],
      },
      {
        name: '1,000-message conversation, page load',
        what: 'navigate to /console/conversations/:id → message #1000 in the DOM',
        samples: [],
      },
    ];
    const [listLoad, listSwitch, openClick, openLoad] = series as [Series, Series, Series, Series];
    const conversationUrl = `${node.url}/console/conversations/${seeded.bigConversationId}`;
    // Two warm-up rounds (JIT, caches), then the measured ones.
    for (let run = -2; run < RUNS; run++) {
      await page.goto(`${node.url}/console/`);
      const rowAt = await waitForMark(page, 'row');
      const switchMs = await clickAndWait(
        page,
        { selector: '[role="tab"]', text: 'Closed' },
        '[aria-labelledby="tab-closed"] .rows li',
      );
      await page.goto(`${node.url}/console/`);
      await waitForMark(page, 'row');
      const clickMs = await clickAndWait(
        page,
        { selector: '.rows .row', text: seeded.bigVisitorName },
        `[data-seq="${BIG}"]`,
      );
      await page.goto(conversationUrl);
      const lastAt = await waitForMark(page, 'last');
      if (run < 0) continue;
      listLoad.samples.push(rowAt);
      listSwitch.samples.push(switchMs);
      openClick.samples.push(clickMs);
      openLoad.samples.push(lastAt);
    }
    const shown = await page.locator('[data-seq]').count();

    // The server's share, from Node: the same requests the console makes.
    const session = await loginOperator(node.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const apiSeries: Series[] = [
      { name: 'GET /api/conversations?status=open&channel=chat', what: 'first page (50)', samples: [] },
      { name: 'GET /api/conversations?status=closed', what: 'first page (50)', samples: [] },
      {
        name: 'GET /api/conversations/:id',
        what: 'conversation + visitor + latest 200 messages',
        samples: [],
      },
    ];
    const paths = [
      '/api/conversations?status=open&channel=chat',
      '/api/conversations?status=closed',
      `/api/conversations/${seeded.bigConversationId}`,
    ];
    for (let run = -2; run < RUNS * 2; run++) {
      for (const [i, path] of paths.entries()) {
        const start = performance.now();
        await api(node.url, path, { cookie: session.cookie });
        if (run >= 0) apiSeries[i]?.samples.push(performance.now() - start);
      }
    }

    const lines = report(seeded.conversations, seeded.messages, shown, series, apiSeries);
    console.log(lines.join('\n'));
    if (!args['no-docs']) await writeDocs(lines);
  } finally {
    await person.close();
    await node.stop();
  }
}

function report(conversations: number, messages: number, shown: number, browser: Series[], server: Series[]) {
  const row = (s: Series) => {
    const p50 = percentile(s.samples, 50);
    const p95 = percentile(s.samples, 95);
    return `| ${s.name} | ${s.what} | ${p50.toFixed(0)} | ${p95.toFixed(0)} |`;
  };
  const worstP95 = Math.max(...browser.map((s) => percentile(s.samples, 95)));
  return [
    '## Console',
    '',
    `\`node --import tsx bench/console-speed.ts\` — ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores` +
      ` (load average ${loadavg()[0]?.toFixed(1)} at the end: other work shares them),` +
      ` headless Debian Chromium, Parley as \`npm start\` runs it on the machine's PostgreSQL.`,
    `Database: ${conversations.toLocaleString('en')} conversations, ${messages.toLocaleString('en')} messages` +
      ` (seeded with set-based SQL, \`bench/console-seed.ts\`); one open conversation has ${BIG.toLocaleString('en')}` +
      ` messages (the server sends the latest 200; the console renders the latest ${shown} and reveals older ones on "Load earlier messages").` +
      ` ${RUNS} measured runs after 2 warm-up runs; times in ms, taken inside the page with \`performance.now()\`` +
      ' until the elements are in the DOM.',
    '',
    '| in the browser | from → to | p50 | p95 |',
    '|---|---|---|---|',
    ...browser.map(row),
    '',
    '| server API (from Node, same machine) | what | p50 | p95 |',
    '|---|---|---|---|',
    ...server.map(row),
    '',
    `Target: under ${TARGET_MS} ms. Worst p95 above: ${worstP95.toFixed(0)} ms — ${
      worstP95 < TARGET_MS ? 'met' : 'NOT met'
    }. "Page load" includes loading the app's script and checking the session, not only the list.`,
  ];
}

async function writeDocs(lines: string[]): Promise<void> {
  const path = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  const text = await readFile(path, 'utf8');
  const start = '<!-- console:start -->';
  const end = '<!-- console:end -->';
  const section = `${start}\n${lines.join('\n')}\n${end}`;
  const next =
    text.includes(start) && text.includes(end)
      ? text.slice(0, text.indexOf(start)) + section + text.slice(text.indexOf(end) + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
  console.log(`Wrote the Console section of ${path}`);
}

await main();
