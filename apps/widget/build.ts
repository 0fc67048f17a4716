/**
 * Builds the widget into dist/: loader.js (the host-page script) and the chat
 * frame (frame.html, frame.js, frame.css; the server serves frame.html by that
 * name). Prints gzip sizes against the budgets; e2e/widget-budgets.test.ts
 * enforces them in a real browser.
 */
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = `${here}dist/`;

const common: BuildOptions = {
  bundle: true,
  minify: true,
  format: 'iife',
  legalComments: 'none',
  // UTF-8 keeps Russian and Armenian texts at 2 bytes a letter instead of 6-byte escapes.
  charset: 'utf8',
  logLevel: 'warning',
};

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await Promise.all([
  // The loader runs on every page of every site: an older target reaches more browsers.
  build({
    ...common,
    entryPoints: [`${here}src/loader/index.ts`],
    outfile: `${dist}loader.js`,
    target: 'es2019',
  }),
  build({
    ...common,
    entryPoints: [`${here}src/frame/index.ts`],
    outfile: `${dist}frame.js`,
    target: 'es2020',
  }),
  build({ ...common, entryPoints: [`${here}src/frame/frame.css`], outfile: `${dist}frame.css` }),
  copyFile(`${here}src/frame/frame.html`, `${dist}frame.html`),
]);

const gz = async (file: string) => gzipSync(await readFile(`${dist}${file}`), { level: 9 }).length;
const loader = await gz('loader.js');
const frame = (await gz('frame.html')) + (await gz('frame.js')) + (await gz('frame.css'));
console.log(`widget: loader.js ${loader} B gzip (budget 6144), chat frame ${frame} B gzip (budget 40960)`);
