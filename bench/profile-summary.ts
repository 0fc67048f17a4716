/**
 * Where a Node CPU profile (`node --cpu-prof`, a .cpuprofile file) spent its
 * time: self time per function and per package, idle excluded. The
 * message-path benchmark prints it for Parley under `--profile`; also a CLI:
 *
 *   node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to: an npm package, Parley's own code, or Node's internals. */
function packageOf(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  if (url.includes('/apps/') || url.includes('/packages/')) return 'parley';
  if (url.startsWith('node:')) return 'node internals';
  return url ? 'other' : '(native)';
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
}

export async function printProfileSummary(file: string, count = 25): Promise<void> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') {
      idle += functionName === '(idle)' ? us : 0;
      if (functionName === '(idle)') return;
    }
    busy += us;
    const where = url ? `${url.replace(/^.*\/(node_modules|apps|packages)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = functionName.startsWith('(') ? functionName : packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  console.log(
    `\nCPU profile ${file}: ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle\nSelf time by package:`,
  );
  for (const line of top(byPackage, busy, 12)) console.log(`  ${line}`);
  console.log('Self time by function:');
  for (const line of top(byFunction, busy, count)) console.log(`  ${line}`);
}

/** The most recent .cpuprofile in a folder, or null. */
export async function newestProfile(dir: string): Promise<string | null> {
  const files = await readdir(dir).catch(() => [] as string[]);
  let newest: { file: string; at: number } | null = null;
  for (const name of files.filter((f) => f.endsWith('.cpuprofile'))) {
    const file = join(dir, name);
    const at = (await stat(file)).mtimeMs;
    if (!newest || at > newest.at) newest = { file, at };
  }
  return newest?.file ?? null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  await printProfileSummary(file, Number(count ?? 25));
}
