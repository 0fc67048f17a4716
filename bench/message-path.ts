/**
 * The message-path benchmark (issue 2): N visitors and M operators over real
 * WebSockets against Parley with its embedded PostgreSQL, Parley on the
 * machine's PostgreSQL, and a bare `ws` relay as the baseline — all in one
 * run, driven by the same load generator, one target at a time.
 *
 * Per target: server RSS growth per idle visitor connection; delivery and
 * ack latency at a fixed rate; then a step-up for the highest rate with
 * p99 ≤ 50 ms; and, throughout, that every acked message reached every
 * operator exactly once. Results: console, bench/results/*.json and the
 * "Message path" section of docs/benchmarks.md.
 *
 *   node --import tsx bench/message-path.ts [--visitors 5000] [--operators 10] [--workers 2]
 *     [--rate 500] [--duration 10] [--steps 500,1000,2000,3000,4000,6000] [--step-duration 5]
 *     [--targets parley-embedded,parley-local,baseline-relay] [--profile] [--no-docs] [--pg-options …]
 *     [--before-dir DIR]
 *
 * --pg-options='-c synchronous_commit=off' sets PostgreSQL options on Parley's connections to the local
 * PostgreSQL (a diagnostic: what a setting changes; never for published figures).
 * --before-dir=DIR is a checkout of an earlier commit with its node_modules (`git worktree add DIR REF &&
 * (cd DIR && npm install)`): the `parley-embedded-before` / `parley-local-before` targets run it, so a
 * change is compared with the code before it in the same run, beside the relay.
 * --profile runs each server under V8's CPU profiler (cpu-profiler.mjs) and prints its hottest functions
 * (profile-summary.ts).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { positive } from './cli-args.js';
import { LoadGenerator } from './load-generator.js';
import {
  type DatabaseCost,
  type MeasuredPhase,
  printRun,
  type RunResult,
  saveRun,
  type TargetResult,
  violationsOf,
} from './message-path-report.js';
import { cpuMeter, cpuSeconds, postgresCpuSeconds, rssKb } from './proc-stats.js';
import { newestProfile, printProfileSummary } from './profile-summary.js';
import { type DatabaseCounters, startTarget, TARGET_NAMES, type Target, type TargetName } from './targets.js';

const PROFILER = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));
const TIME_LIMIT_MS = 45 * 60_000;
const DRAIN_MS = 10_000;
/** The warm-up opens a conversation per visitor, Parley's slowest path: its stragglers get longer. */
const WARMUP_DRAIN_MS = 60_000;
const SETTLE_MS = 3_000;

const { values: args } = parseArgs({
  options: {
    visitors: { type: 'string', default: '5000' },
    operators: { type: 'string', default: '10' },
    workers: { type: 'string', default: '2' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '10' },
    steps: { type: 'string', default: '500,1000,2000,3000,4000,6000' },
    'step-duration': { type: 'string', default: '5' },
    'p99-limit': { type: 'string', default: '50' },
    targets: { type: 'string', default: 'baseline-relay,parley-embedded,parley-local' },
    profile: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
    'pg-options': { type: 'string' },
    'before-dir': { type: 'string' },
  },
});

const config: RunResult['config'] = {
  visitors: positive(args.visitors, 'visitors'),
  operators: positive(args.operators, 'operators'),
  workers: positive(args.workers, 'workers'),
  rate: positive(args.rate, 'rate'),
  durationSec: positive(args.duration, 'duration'),
  steps: args.steps.split(',').map((s) => positive(s, 'steps')),
  stepSec: positive(args['step-duration'], 'step-duration'),
  p99LimitMs: positive(args['p99-limit'], 'p99-limit'),
};
const targetNames = args.targets.split(',') as TargetName[];
for (const name of targetNames)
  if (!(TARGET_NAMES as readonly string[]).includes(name)) throw new Error(`unknown target ${name}`);

// Whatever is running, for the cleanup on error, SIGINT or the time limit.
let currentTarget: Target | null = null;
let currentLoad: LoadGenerator | null = null;

async function cleanUp(): Promise<void> {
  currentLoad?.kill();
  currentLoad = null;
  await currentTarget?.stop().catch((e: unknown) => console.error('stopping the target failed:', e));
  currentTarget = null;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything`);
    void cleanUp().finally(() => process.exit(130));
  });
setTimeout(() => {
  console.error(`time limit of ${TIME_LIMIT_MS / 60_000} min reached: stopping`);
  void cleanUp().finally(() => process.exit(1));
}, TIME_LIMIT_MS).unref();

/** Runs a phase while metering CPU of the server, PostgreSQL and the load workers. */
async function measuredPhase(
  target: Target,
  load: LoadGenerator,
  phase: number,
  mode: 'rate' | 'once',
  rate: number,
  durationMs: number,
  drainMs = DRAIN_MS,
): Promise<MeasuredPhase> {
  const server = cpuMeter(() => cpuSeconds(target.pid));
  const postgres = cpuMeter(postgresCpuSeconds);
  const workers = cpuMeter(() => load.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0));
  const serverCpuAtStart = cpuSeconds(target.pid);
  const backendsAtStart = await target.backendCpuSeconds?.();
  const result = await load.runPhase(phase, mode, rate, durationMs, drainMs);
  const serverCpuSeconds = cpuSeconds(target.pid) - serverCpuAtStart;
  // Only this target's backends: the machine's PostgreSQL also serves other work meanwhile.
  const backendsAtEnd = await target.backendCpuSeconds?.();
  const ownPostgresCpuSeconds =
    backendsAtStart && backendsAtEnd
      ? [...backendsAtEnd].reduce((sum, [pid, cpu]) => sum + cpu - (backendsAtStart.get(pid) ?? 0), 0)
      : undefined;
  const passed =
    result.delivery.p99 <= config.p99LimitMs &&
    result.achievedRate >= 0.9 * rate &&
    result.lost === 0 &&
    result.unacked === 0;
  return {
    ...result,
    serverCpu: server(),
    postgresCpu: postgres(),
    loadCpu: workers(),
    serverCpuSeconds,
    ...(ownPostgresCpuSeconds !== undefined && { ownPostgresCpuSeconds }),
    passed,
  };
}

function describe(label: string, p: MeasuredPhase): string {
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '∞');
  return (
    `  ${label}: ${p.sent} sent, ${p.achievedRate.toFixed(0)}/s achieved, delivery p50 ${f(p.delivery.p50)} ` +
    `p95 ${f(p.delivery.p95)} p99 ${f(p.delivery.p99)} max ${f(p.delivery.max)} ms, ack p50 ${f(p.ack.p50)} ` +
    `p99 ${f(p.ack.p99)} ms, CPU server ${Math.round(p.serverCpu * 100)} % PG ${Math.round(p.postgresCpu * 100)} % ` +
    `load ${Math.round(p.loadCpu * 100)} %`
  );
}

/** What one message cost the database between two readings of its counters. */
async function databaseCost(
  target: Target,
  before: DatabaseCounters,
  after: DatabaseCounters,
  messages: number,
): Promise<DatabaseCost> {
  const n = Math.max(1, messages);
  const per = (key: Exclude<keyof DatabaseCounters, 'walLsn'>) => (after[key] - before[key]) / n;
  const wal = await target.walOfDatabase?.(before.walLsn, after.walLsn);
  return {
    ...(wal && {
      // Commit records name no relation: this database's own commits stand for them.
      ownWalRecordsPerMessage: wal.records / n + per('commits'),
      ownWalBytesPerMessage: wal.bytes / n,
      ownWalByRelation: wal.byRelation.map((r) => ({ ...r, records: r.records / n, bytes: r.bytes / n })),
    }),
    commitsPerMessage: per('commits'),
    walSyncsPerMessage: per('walSyncs'),
    walRecordsPerMessage: per('walRecords'),
    conversationUpdatesPerMessage: per('conversationUpdates'),
    hotShare: per('conversationHotUpdates') / Math.max(1e-9, per('conversationUpdates')),
  };
}

async function measureTarget(name: TargetName): Promise<TargetResult> {
  const profileDir = fileURLToPath(new URL(`./results/profiles/${name}-${Date.now()}`, import.meta.url));
  console.log(`\n== ${name}`);
  const target = await startTarget(name, {
    env: args.profile ? { NODE_OPTIONS: `--import=${PROFILER}`, BENCH_CPU_PROFILE_DIR: profileDir } : {},
    ...(args['pg-options'] && { postgresOptions: args['pg-options'] }),
    ...(args['before-dir'] && { beforeDir: args['before-dir'] }),
  });
  currentTarget = target;
  console.log(`  started at ${target.url} (pid ${target.pid})`);
  let started = performance.now();
  const tokens = await target.visitorTokens(config.visitors);
  const headers = await target.operatorHeaders();
  console.log(
    `  ${tokens.length} visitor sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const load = LoadGenerator.start(config.workers);
  currentLoad = load;
  await sleep(SETTLE_MS);
  const rssBeforeKb = rssKb(target.pid);
  started = performance.now();
  const connected = await load.connect(target.url.replace(/^http/, 'ws'), tokens, config.operators, headers);
  console.log(
    `  ${connected.visitors} visitors + ${connected.operators} operators connected in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s` +
      (connected.failures ? `, ${connected.failures} failed (${connected.firstError})` : ''),
  );
  await sleep(SETTLE_MS);
  const rssAfterKb = rssKb(target.pid);
  const kbPerVisitor = (rssAfterKb - rssBeforeKb) / Math.max(1, connected.visitors);
  console.log(`  RSS ${rssBeforeKb} → ${rssAfterKb} KiB: ${kbPerVisitor.toFixed(1)} KiB per idle visitor`);

  let phase = 0;
  const warmupRate = Math.max(config.rate, 1000);
  const warmup = await measuredPhase(
    target,
    load,
    phase++,
    'once',
    warmupRate,
    (connected.visitors / warmupRate) * 1000,
    WARMUP_DRAIN_MS,
  );
  console.log(describe('warm-up (first message of each visitor)', warmup));

  // Every target rests as long after the warm-up (autovacuum, stragglers); PostgreSQL also needs that long to
  // flush an idle backend's counters (a busy one's at most once a second) before they are read.
  const statsFlushMs = 11_000;
  await sleep(statsFlushMs);
  const dbBefore = await target.databaseStats?.();
  const fixed = await measuredPhase(target, load, phase++, 'rate', config.rate, config.durationSec * 1000);
  console.log(describe(`${config.rate} msg/s`, fixed));
  let database: DatabaseCost | undefined;
  let dbBeforeSteps: DatabaseCounters | undefined;
  if (dbBefore && target.databaseStats) {
    await sleep(statsFlushMs);
    dbBeforeSteps = await target.databaseStats();
    database = await databaseCost(target, dbBefore, dbBeforeSteps, fixed.sent);
  }

  const steps: MeasuredPhase[] = [];
  for (const rate of config.steps) {
    const step = await measuredPhase(target, load, phase++, 'rate', rate, config.stepSec * 1000);
    steps.push(step);
    console.log(describe(`step ${rate} msg/s${step.passed ? '' : ' (FAILED)'}`, step));
    if (!step.passed) break;
    await sleep(1000);
  }
  const databaseSettings = await target.databaseSettings?.();
  let stepUpDatabase: DatabaseCost | undefined;
  if (dbBeforeSteps && target.databaseStats) {
    await sleep(statsFlushMs);
    const sent = steps.reduce((sum, step) => sum + step.sent, 0);
    stepUpDatabase = await databaseCost(target, dbBeforeSteps, await target.databaseStats(), sent);
  }
  const violations = [
    ...violationsOf('warm-up', warmup),
    ...violationsOf(`${config.rate} msg/s`, fixed),
    // A failed step may leave messages unacked at its drain deadline: that is overload, not loss.
    ...steps.flatMap((s) => violationsOf(`step ${s.targetRate}`, { ...s, unacked: 0 })),
  ];
  for (const v of violations) console.log(`  VIOLATION ${v}`);

  await load.close();
  currentLoad = null;
  await target.stop();
  currentTarget = null;
  if (args.profile) {
    const file = await newestProfile(profileDir);
    if (file) await printProfileSummary(file, 25);
  }
  return {
    name,
    visitors: connected.visitors,
    operators: connected.operators,
    connectFailures: connected.failures,
    rssBeforeKb,
    rssAfterKb,
    kbPerVisitor,
    warmup,
    fixed,
    steps,
    sustainedRate: Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.targetRate)),
    ...(database && { database }),
    ...(stepUpDatabase && { stepUpDatabase }),
    ...(databaseSettings && { databaseSettings }),
    violations,
  };
}

async function main(): Promise<void> {
  const cpu = cpus();
  const run: RunResult = {
    date: new Date().toISOString(),
    command: `npm run bench:messages${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at start`,
    config,
    targets: [],
  };
  for (const name of targetNames) run.targets.push(await measureTarget(name));
  printRun(run);
  const file = await saveRun(run, !args['no-docs']);
  console.log(`\nResults: ${file}${args['no-docs'] ? '' : ' and docs/benchmarks.md'}`);
}

main()
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanUp();
    process.exit(1);
  });
