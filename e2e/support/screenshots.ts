/**
 * Where end-to-end tests put their screenshots: e2e/artifacts/screenshots/
 * (ignored by git) on every run, so that running the tests leaves the tree
 * clean; docs/screenshots/ with WRITE_SCREENSHOTS=1, to refresh the pictures
 * the docs show.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const folder = fileURLToPath(
  new URL(
    process.env.WRITE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../artifacts/screenshots/',
    import.meta.url,
  ),
);

/** The path for the screenshot called `name` (e.g. 'console-waiting.png'); its folder exists. */
export function screenshotPath(name: string): string {
  mkdirSync(folder, { recursive: true });
  return `${folder}${name}`;
}
