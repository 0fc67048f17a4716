/**
 * `npm run bench`: the benchmarks this folder has, and a way to run one.
 * Without a name it lists them (nothing runs: each takes minutes and loads
 * the machine, so running one is a choice); with a name it runs that one,
 * passing the rest of the arguments on.
 *
 *   npm run bench                                   # list
 *   npm run bench -- message-path --steps 1000,2000 # run one
 *
 * Results and the commands behind the published figures: docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Benchmark {
  file: string;
  what: string;
  example: string;
}

const BENCHMARKS: Record<string, Benchmark> = {
  'message-path': {
    file: 'message-path.ts',
    what: 'visitors and operators over real WebSockets: latency, sustained rate, memory, exactly-once; against a bare ws relay',
    example: '--targets baseline-relay,parley-local --steps 1000,2000,3000',
  },
  ingest: {
    file: 'ingest.ts',
    what: 'simulated visitors posting tracking batches (page views, pings, events) while chat runs: ingest rate, latency, CPU, RSS, chat p99 with and without',
    example: '--visitors 2000 --duration 30 --database local',
  },
  'console-speed': {
    file: 'console-speed.ts',
    what: 'the console in headless Chromium opening the list and a 1,000-message conversation among 100,000',
    example: '--conversations 100000 --runs 15 --no-docs',
  },
  'fault-redis': {
    file: 'fault-redis.ts',
    what: 'Redis killed under two nodes and restarted empty: sends, live delivery, presence recovery',
    example: '--seconds 60 --outage 8 --visitors 20',
  },
};

const here = dirname(fileURLToPath(import.meta.url));

function list(): void {
  const lines = ['Benchmarks (npm run bench -- NAME [options]):', ''];
  for (const [name, b] of Object.entries(BENCHMARKS)) {
    lines.push(
      `  ${name.padEnd(14)} ${b.what}`,
      `  ${''.padEnd(14)} e.g. npm run bench -- ${name} ${b.example}`,
    );
  }
  lines.push('', 'Figures and the commands behind them: docs/benchmarks.md');
  process.stdout.write(`${lines.join('\n')}\n`);
}

const [name, ...rest] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h') {
  list();
} else {
  const benchmark = BENCHMARKS[name];
  const file = benchmark && join(here, benchmark.file);
  if (!file || !existsSync(file)) {
    process.stderr.write(`No benchmark named "${name}".\n\n`);
    list();
    process.exit(2);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
