/**
 * Accessibility checked by a tool: runs axe-core (WCAG 2.1 A and AA rules) in
 * a page or a frame as the test sees it, and fails on any serious or critical
 * violation, naming the rule, the elements and what to fix. Browser tests call
 * `expectAccessible` on every screen they visit.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

// Read once: axe's own build, evaluated in the page through the DevTools protocol (not a <script>
// tag), so a page's Content-Security-Policy, like the chat frame's, does not stop it.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Fails if `target` (a page, or a frame such as the chat's) has a serious or critical WCAG 2.1 A/AA violation. */
export async function expectAccessible(target: Page | Frame, label: string): Promise<void> {
  const present = await target.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!present) await target.evaluate(`${axeSource}\n;void 0`);
  const violations = await target.evaluate(async (tags) => {
    const { axe } = window as unknown as {
      axe: { run(context: Document, options: object): Promise<{ violations: Violation[] }> };
    };
    // Each frame is checked on its own (the chat frame by its own call): axe does not wait on iframes.
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, iframes: false });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, WCAG_TAGS);
  const failing = violations.filter((v) => FAILING_IMPACTS.has(v.impact ?? ''));
  if (failing.length === 0) return;
  const report = failing.flatMap((v) => [
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} element(s)`,
    ...v.nodes.map(
      (n) => `  ${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`,
    ),
  ]);
  throw new Error(`Accessibility violations on ${label}:\n${report.join('\n')}`);
}
