/**
 * The ingest benchmark (issue 12): N simulated visitors posting the loader's
 * tracking batches through the real path (POST /api/widget/track from the
 * site's allowed origin, text/plain JSON, one token per visitor got from its
 * first batch), while the message path carries a modest chat load over real
 * WebSockets — measured first without tracking, then with it, in the same run,
 * so "chat must not slow down when the site is busy" is a comparison, not a
 * guess. Against Parley on the machine's PostgreSQL and on the embedded one.
 *
 * Per database: sustained batches/s and items/s over the measured window,
 * ingest latency percentiles (request issued → answer read), refusals (429s
 * and any other status), server CPU and RSS, PostgreSQL CPU, the database's
 * growth on disk, and the message path's delivery/ack p50/p99 in both phases.
 * Results: console, bench/results/ingest-*.json and the "Ingest" section of
 * docs/benchmarks.md (each database's block replaced on its own).
 *
 *   node --import tsx bench/ingest.ts [--visitors 10000] [--interval 20] [--duration 60]
 *     [--workers 4] [--sockets 64] [--database local,embedded]
 *     [--message-rate 200] [--message-duration 30] [--message-visitors 200] [--operators 5] [--profile] [--no-docs]
 *
 * --profile runs the server under V8's CPU profiler (cpu-profiler.mjs) and prints its hottest functions.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { API_PATHS, type SiteDTO } from '@parley/protocol';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { E2E_ADMIN } from '../e2e/support/parley-process.js';
import { positive } from './cli-args.js';
import type { FromIngestWorker, IngestCounts, ToIngestWorker } from './ingest-protocol.js';
import { LoadGenerator, type PhaseResult, percentile } from './load-generator.js';
import { cpuMeter, cpuSeconds, postgresCpuSeconds, rssKb } from './proc-stats.js';
import { newestProfile, printProfileSummary } from './profile-summary.js';
import { startTarget, type Target, type TargetName } from './targets.js';

const PROFILER = fileURLToPath(new URL('./cpu-profiler.mjs', import.meta.url));
const WORKER_FILE = fileURLToPath(new URL('./ingest-worker.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
/** The simulated shop's pages: the demo site is told to allow it, as an owner would in site settings. */
const SHOP_ORIGIN = 'https://shop.bench.example';
/** Where tracking writes (migration 017): their growth is tracking's alone, unlike the database's (chat runs too). */
const TRACKING_TABLES = ['visitors', 'visits', 'page_views', 'visitor_events'] as const;
const TIME_LIMIT_MS = 30 * 60_000;
const DRAIN_MS = 10_000;
const SETTLE_MS = 3_000;
const REPLY_TIMEOUT_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    visitors: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '20' },
    duration: { type: 'string', default: '60' },
    workers: { type: 'string', default: '4' },
    sockets: { type: 'string', default: '64' },
    database: { type: 'string', default: 'local,embedded' },
    'message-rate': { type: 'string', default: '200' },
    'message-duration': { type: 'string', default: '30' },
    'message-visitors': { type: 'string', default: '200' },
    operators: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    'no-docs': { type: 'boolean', default: false },
  },
});

const config = {
  visitors: positive(args.visitors, 'visitors'),
  intervalSec: positive(args.interval, 'interval'),
  durationSec: positive(args.duration, 'duration'),
  workers: positive(args.workers, 'workers'),
  socketsPerWorker: positive(args.sockets, 'sockets'),
  messageRate: positive(args['message-rate'], 'message-rate'),
  messageDurationSec: positive(args['message-duration'], 'message-duration'),
  messageVisitors: positive(args['message-visitors'], 'message-visitors'),
  operators: positive(args.operators, 'operators'),
};
if (config.messageDurationSec > config.durationSec)
  throw new Error(
    '--message-duration must not exceed --duration (the chat phase runs inside the tracking window)',
  );
const DATABASES: Record<string, TargetName> = { local: 'parley-local', embedded: 'parley-embedded' };
const targetNames = args.database.split(',').map((d) => {
  const name = DATABASES[d];
  if (!name) throw new Error(`--database: unknown "${d}" (local, embedded)`);
  return name;
});

/** The tracking workers: forked processes, each with a share of the visitors and its own keep-alive agent. */
class TrackingLoad {
  private readonly waiting = new Map<
    ChildProcess,
    { type: string; resolve: (m: FromIngestWorker) => void }[]
  >();

  private constructor(readonly children: ChildProcess[]) {
    for (const child of children) {
      this.waiting.set(child, []);
      child.on('message', (message: FromIngestWorker) => {
        const queue = this.waiting.get(child) ?? [];
        if (message.type === 'fatal') {
          // Stops the run through the SIGTERM handler, which stops the server too.
          console.error(`tracking worker: ${message.message}`);
          process.kill(process.pid, 'SIGTERM');
          return;
        }
        const index = queue.findIndex((w) => w.type === message.type);
        if (index >= 0) queue.splice(index, 1)[0]?.resolve(message);
      });
    }
  }

  static start(count: number): TrackingLoad {
    return new TrackingLoad(
      Array.from({ length: count }, () =>
        fork(WORKER_FILE, [], {
          execArgv: ['--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      ),
    );
  }

  get pids(): number[] {
    return this.children.map((c) => c.pid ?? -1);
  }

  private ask<T extends FromIngestWorker['type']>(
    child: ChildProcess,
    message: ToIngestWorker,
    replyType: T,
  ): Promise<Extract<FromIngestWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`tracking worker: no ${replyType} reply`)),
        REPLY_TIMEOUT_MS,
      );
      this.waiting.get(child)?.push({
        type: replyType,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromIngestWorker, { type: T }>);
        },
      });
      child.send(message);
    });
  }

  async begin(url: string, siteKey: string): Promise<void> {
    const n = this.children.length;
    await Promise.all(
      this.children.map((child, i) =>
        this.ask(
          child,
          {
            type: 'start',
            workerIndex: i,
            url,
            siteKey,
            origin: SHOP_ORIGIN,
            visitors: Math.floor(config.visitors / n) + (i < config.visitors % n ? 1 : 0),
            intervalMs: config.intervalSec * 1000,
            rampMs: config.intervalSec * 1000,
            sockets: config.socketsPerWorker,
          },
          'started',
        ),
      ),
    );
  }

  async status() {
    const replies = await Promise.all(this.children.map((c) => this.ask(c, { type: 'status' }, 'status')));
    return { registered: replies.reduce((s, r) => s + r.registered, 0), ...sumCounts(replies) };
  }

  window(): void {
    for (const child of this.children) child.send({ type: 'window' } satisfies ToIngestWorker);
  }

  async collect() {
    const replies = await Promise.all(
      this.children.map((c) => this.ask(c, { type: 'collect' }, 'collected')),
    );
    const latencies = replies.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const onSocket = replies.flatMap((r) => r.onSocketLatencies).sort((a, b) => a - b);
    return { latencies, onSocket, ...sumCounts(replies) };
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => this.ask(c, { type: 'stop' }, 'stopped').catch(() => {})));
    this.kill();
  }

  kill(): void {
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

function sumCounts(replies: IngestCounts[]): IngestCounts {
  const failures: Record<string, number> = {};
  for (const r of replies)
    for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
  const sum = (key: 'batches' | 'items' | 'accepted' | 'newVisitors' | 'skipped') =>
    replies.reduce((s, r) => s + r[key], 0);
  return {
    batches: sum('batches'),
    items: sum('items'),
    accepted: sum('accepted'),
    newVisitors: sum('newVisitors'),
    skipped: sum('skipped'),
    failures,
    firstError: replies.find((r) => r.firstError)?.firstError ?? null,
  };
}

interface ChatPhase {
  sent: number;
  achievedRate: number;
  delivery: { p50: number; p99: number };
  ack: { p50: number; p99: number };
  /** Unacked, lost, errors, duplicates, closed sockets: 0 when all went well. */
  problems: number;
  serverCpu: number;
  /** The machine's 1-minute load average at the phase's end: how shared the 2 cores were. */
  loadAverage: number;
}

interface TargetResult {
  name: TargetName;
  databaseSettings?: string;
  visitors: number;
  /** Visitors holding a token when the window opened (their first batch answered). */
  registered: number;
  windowSec: number;
  offeredBatchesPerSec: number;
  batchesPerSec: number;
  itemsPerSec: number;
  acceptedPerSec: number;
  latency: { p50: number; p95: number; p99: number; max: number };
  /** From the request's getting a socket of the pool to its answer: the server's share when the pool is full. */
  onSocketLatency: { p50: number; p99: number };
  failures: Record<string, number>;
  firstError: string | null;
  skipped: number;
  rampSec: number;
  rampFailures: Record<string, number>;
  /** Shares of one core over the window (1 = 100 %). */
  serverCpu: number;
  /**
   * Server CPU milliseconds per tracking batch over the window, the chat's share subtracted (its messages
   * times what one cost in the phase without tracking).
   */
  serverCpuMsPerBatch: number;
  postgresCpu: number;
  ownPostgresCpu?: number;
  trackingLoadCpu: number;
  rssKb: { beforeTracking: number; peak: number; end: number };
  databaseBytes: { beforeTracking: number; after: number };
  trackingTableBytes: { beforeTracking: number; after: number };
  itemsInRun: number;
  chat: { quiet: ChatPhase; busy: ChatPhase };
}

interface RunResult {
  date: string;
  command: string;
  machine: string;
  loadAverageEnd: string;
  config: typeof config;
  targets: TargetResult[];
}

function chatPhase(p: PhaseResult, serverCpu: number): ChatPhase {
  return {
    sent: p.sent,
    achievedRate: p.achievedRate,
    delivery: { p50: p.delivery.p50, p99: p.delivery.p99 },
    ack: { p50: p.ack.p50, p99: p.ack.p99 },
    problems: p.unacked + p.lost + p.errors + p.duplicates + p.closedSockets,
    serverCpu,
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}

// Whatever is running, for the cleanup on error, SIGINT or the time limit.
let currentTarget: Target | null = null;
let currentChat: LoadGenerator | null = null;
let currentTracking: TrackingLoad | null = null;

async function cleanUp(): Promise<void> {
  currentTracking?.kill();
  currentChat?.kill();
  currentTracking = null;
  currentChat = null;
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

const f1 = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '∞');
const pct = (v: number) => `${Math.round(v * 100)} %`;
const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

async function allowShopOrigin(url: string): Promise<string> {
  const session = await loginOperator(url, E2E_ADMIN.email, E2E_ADMIN.password);
  const site = session.sites.find((s) => s.publicKey === 'demo') ?? session.sites[0];
  if (!site) throw new Error('no site to track');
  await api<SiteDTO>(url, API_PATHS.site(site.id), {
    method: 'PATCH',
    cookie: session.cookie,
    csrfToken: session.csrfToken,
    body: { allowedOrigins: [...site.allowedOrigins, SHOP_ORIGIN] },
  });
  return site.publicKey;
}

async function measureTarget(name: TargetName): Promise<TargetResult> {
  console.log(`\n== ${name}`);
  const profileDir = fileURLToPath(
    new URL(`./results/profiles/ingest-${name}-${Date.now()}`, import.meta.url),
  );
  const target = await startTarget(name, {
    // Every simulated visitor comes from 127.0.0.1: the per-IP tracking budget (1,200 batches a minute) would
    // refuse the load itself. The per-visitor budget stays as shipped (60 a minute; each sends 3).
    env: {
      TRACK_BATCHES_PER_IP_PER_MINUTE: '100000000',
      ...(args.profile && { NODE_OPTIONS: `--import=${PROFILER}`, BENCH_CPU_PROFILE_DIR: profileDir }),
    },
  });
  currentTarget = target;
  console.log(`  started at ${target.url} (pid ${target.pid})`);
  const siteKey = await allowShopOrigin(target.url);

  // The message path: its visitors, operators and their first messages (each opens a conversation).
  const tokens = await target.visitorTokens(config.messageVisitors);
  const chat = LoadGenerator.start(1);
  currentChat = chat;
  const connected = await chat.connect(
    target.url.replace(/^http/, 'ws'),
    tokens,
    config.operators,
    await target.operatorHeaders(),
  );
  if (connected.failures) throw new Error(`chat sockets failed: ${connected.firstError}`);
  let phase = 0;
  await chat.runPhase(
    phase++,
    'once',
    config.messageRate,
    (tokens.length / config.messageRate) * 1000,
    30_000,
  );
  await sleep(SETTLE_MS);

  const chatPhaseMeasured = async () => {
    const server = cpuMeter(() => cpuSeconds(target.pid));
    const result = await chat.runPhase(
      phase++,
      'rate',
      config.messageRate,
      config.messageDurationSec * 1000,
      DRAIN_MS,
    );
    return chatPhase(result, server());
  };
  const quiet = await chatPhaseMeasured();
  console.log(
    `  chat without tracking: ${config.messageRate} msg/s, delivery p50 ${f1(quiet.delivery.p50)} p99 ${f1(quiet.delivery.p99)} ms, ` +
      `ack p99 ${f1(quiet.ack.p99)} ms, server CPU ${pct(quiet.serverCpu)}, load average ${quiet.loadAverage.toFixed(2)}`,
  );

  const databaseBefore = (await target.databaseBytes?.()) ?? 0;
  const trackingTablesBefore = (await target.databaseBytes?.(TRACKING_TABLES)) ?? 0;
  const rssBefore = rssKb(target.pid);
  const tracking = TrackingLoad.start(config.workers);
  currentTracking = tracking;
  const rampStarted = performance.now();
  await tracking.begin(target.url, siteKey);
  // The ramp: every visitor's first batch (a new visitor each) spread over one interval; then until nearly all
  // hold a token, or three intervals at most.
  await sleep(config.intervalSec * 1000);
  let ramp = await tracking.status();
  while (
    ramp.registered < 0.99 * config.visitors &&
    performance.now() - rampStarted < config.intervalSec * 3000
  ) {
    await sleep(1000);
    ramp = await tracking.status();
  }
  const rampSec = (performance.now() - rampStarted) / 1000;
  console.log(
    `  ramp: ${ramp.registered} of ${config.visitors} visitors have a token after ${rampSec.toFixed(1)} s` +
      (Object.keys(ramp.failures).length
        ? `, refused ${JSON.stringify(ramp.failures)} (${ramp.firstError})`
        : ''),
  );

  // The measured window: tracking throughout, the chat phase inside it.
  tracking.window();
  const windowStarted = performance.now();
  const server = cpuMeter(() => cpuSeconds(target.pid));
  const postgres = cpuMeter(postgresCpuSeconds);
  const load = cpuMeter(() => tracking.pids.reduce((s, pid) => s + cpuSeconds(pid), 0));
  const backendsAtStart = await target.backendCpuSeconds?.();
  let peakRss = rssKb(target.pid);
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssKb(target.pid));
  }, 1000);
  const busy = await chatPhaseMeasured();
  console.log(
    `  chat with tracking: ${config.messageRate} msg/s, delivery p50 ${f1(busy.delivery.p50)} p99 ${f1(busy.delivery.p99)} ms, ` +
      `ack p99 ${f1(busy.ack.p99)} ms, server CPU ${pct(busy.serverCpu)}, load average ${busy.loadAverage.toFixed(2)}`,
  );
  const remaining = config.durationSec * 1000 - (performance.now() - windowStarted);
  if (remaining > 0) await sleep(remaining);
  const collected = await tracking.collect();
  const windowSec = (performance.now() - windowStarted) / 1000;
  clearInterval(sampler);
  const serverCpu = server();
  const postgresCpu = postgres();
  const trackingLoadCpu = load();
  const backendsAtEnd = await target.backendCpuSeconds?.();
  const ownPostgresCpu =
    backendsAtStart && backendsAtEnd
      ? [...backendsAtEnd].reduce((s, [pid, cpu]) => s + cpu - (backendsAtStart.get(pid) ?? 0), 0) / windowSec
      : undefined;
  const rssEnd = rssKb(target.pid);
  peakRss = Math.max(peakRss, rssEnd);
  const totals = await tracking.status();
  await tracking.stop();
  currentTracking = null;
  const databaseAfter = (await target.databaseBytes?.()) ?? 0;
  const trackingTablesAfter = (await target.databaseBytes?.(TRACKING_TABLES)) ?? 0;
  const databaseSettings = await target.databaseSettings?.();

  await chat.close();
  currentChat = null;
  await target.stop();
  currentTarget = null;
  if (args.profile) {
    const file = await newestProfile(profileDir);
    if (file) await printProfileSummary(file, 25);
  }

  const l = collected.latencies;
  const result: TargetResult = {
    name,
    ...(databaseSettings && { databaseSettings }),
    visitors: config.visitors,
    registered: ramp.registered,
    windowSec,
    offeredBatchesPerSec: config.visitors / config.intervalSec,
    batchesPerSec: collected.batches / windowSec,
    itemsPerSec: collected.items / windowSec,
    acceptedPerSec: collected.accepted / windowSec,
    latency: {
      p50: percentile(l, 50),
      p95: percentile(l, 95),
      p99: percentile(l, 99),
      max: l.at(-1) ?? Number.NaN,
    },
    onSocketLatency: { p50: percentile(collected.onSocket, 50), p99: percentile(collected.onSocket, 99) },
    failures: collected.failures,
    firstError: collected.firstError,
    skipped: collected.skipped,
    rampSec,
    rampFailures: ramp.failures,
    serverCpu,
    serverCpuMsPerBatch:
      (serverCpu * windowSec * 1000 -
        (quiet.serverCpu * config.messageDurationSec * 1000 * busy.sent) / Math.max(1, quiet.sent)) /
      Math.max(1, collected.batches),
    postgresCpu,
    ...(ownPostgresCpu !== undefined && { ownPostgresCpu }),
    trackingLoadCpu,
    rssKb: { beforeTracking: rssBefore, peak: peakRss, end: rssEnd },
    databaseBytes: { beforeTracking: databaseBefore, after: databaseAfter },
    trackingTableBytes: { beforeTracking: trackingTablesBefore, after: trackingTablesAfter },
    itemsInRun: totals.items,
    chat: { quiet, busy },
  };
  console.log(describe(result));
  return result;
}

function failuresText(failures: Record<string, number>): string {
  const entries = Object.entries(failures);
  return entries.length ? entries.map(([k, v]) => `${v} × ${k}`).join(', ') : 'none';
}

const trackingGrowth = (t: TargetResult) => t.trackingTableBytes.after - t.trackingTableBytes.beforeTracking;

function describe(t: TargetResult): string {
  return [
    `  tracking over ${t.windowSec.toFixed(0)} s: ${t.batchesPerSec.toFixed(0)} batches/s (offered ${t.offeredBatchesPerSec.toFixed(0)}), ` +
      `${t.itemsPerSec.toFixed(0)} items/s, latency p50 ${f1(t.latency.p50)} p95 ${f1(t.latency.p95)} p99 ${f1(t.latency.p99)} max ${f1(t.latency.max)} ms ` +
      `(on a socket: p50 ${f1(t.onSocketLatency.p50)} p99 ${f1(t.onSocketLatency.p99)} ms)`,
    `  refused: ${failuresText(t.failures)}${t.firstError ? ` (first: ${t.firstError})` : ''}; turns skipped (previous batch unanswered): ${t.skipped}`,
    `  server CPU ${pct(t.serverCpu)} (${t.serverCpuMsPerBatch.toFixed(2)} ms per batch, chat's share subtracted), RSS ${mib(t.rssKb.beforeTracking)} → peak ${mib(t.rssKb.peak)}; PostgreSQL CPU ${pct(t.postgresCpu)} (machine)` +
      (t.ownPostgresCpu === undefined ? '' : `, ${pct(t.ownPostgresCpu)} (own backends)`) +
      `; tracking load CPU ${pct(t.trackingLoadCpu)}`,
    `  database ${(t.databaseBytes.beforeTracking / 2 ** 20).toFixed(1)} → ${(t.databaseBytes.after / 2 ** 20).toFixed(1)} MiB ` +
      `(chat included); tracking tables +${(trackingGrowth(t) / 2 ** 20).toFixed(1)} MiB, ` +
      `${(trackingGrowth(t) / Math.max(1, t.itemsInRun)).toFixed(0)} bytes per item over ${t.itemsInRun} items`,
  ].join('\n');
}

const TABLE_HEAD = [
  'database',
  'visitors',
  'batches/s',
  'items/s',
  'ingest p50 ms',
  'p95 ms',
  'p99 ms',
  'refused',
  'server CPU',
  'server CPU ms / batch',
  'server RSS',
  'PG CPU (own)',
  'DB growth (tracking tables)',
  'chat p50 / p99 ms without tracking',
  'chat p50 / p99 ms with tracking',
];

function tableRow(t: TargetResult): string[] {
  const growth = t.databaseBytes.after - t.databaseBytes.beforeTracking;
  const tracked = trackingGrowth(t);
  const chat = (p: ChatPhase) =>
    `${f1(p.delivery.p50)} / ${f1(p.delivery.p99)}${p.problems ? ` (${p.problems} problems)` : ''}`;
  return [
    t.name === 'parley-local' ? "machine's PostgreSQL" : 'embedded PostgreSQL',
    String(t.visitors),
    t.batchesPerSec.toFixed(0),
    t.itemsPerSec.toFixed(0),
    f1(t.latency.p50),
    f1(t.latency.p95),
    f1(t.latency.p99),
    failuresText(t.failures),
    pct(t.serverCpu),
    t.serverCpuMsPerBatch.toFixed(2),
    `${mib(t.rssKb.beforeTracking)} → ${mib(t.rssKb.peak)}`,
    `${pct(t.postgresCpu)}${t.ownPostgresCpu === undefined ? '' : ` (${pct(t.ownPostgresCpu)})`}`,
    `${(growth / 2 ** 20).toFixed(1)} MiB (${(tracked / 2 ** 20).toFixed(1)} MiB, ${(tracked / Math.max(1, t.itemsInRun)).toFixed(0)} B/item)`,
    chat(t.chat.quiet),
    chat(t.chat.busy),
  ];
}

const MARK_START = '<!-- ingest:start -->';
const MARK_END = '<!-- ingest:end -->';
const blockStart = (name: string) => `<!-- ingest:${name}:start -->`;
const blockEnd = (name: string) => `<!-- ingest:${name}:end -->`;

function markdownBlock(run: RunResult, t: TargetResult): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const c = run.config;
  return [
    `### ${t.name === 'parley-local' ? "On the machine's PostgreSQL" : 'On the embedded PostgreSQL'}`,
    '',
    `Command: \`${run.command}\``,
    '',
    `Run ${run.date} on ${run.machine}; load average ${run.loadAverageEnd} at the end. The machine was shared with other work (tests, builds): compare the two chat phases within a run, not runs with each other.` +
      (t.databaseSettings ? ` Its database: ${t.databaseSettings}.` : ''),
    '',
    line(TABLE_HEAD),
    line(TABLE_HEAD.map(() => '---')),
    line(tableRow(t)),
    '',
    `${t.visitors} visitors (${t.registered} held a token after the ${t.rampSec.toFixed(0)} s ramp${Object.keys(t.rampFailures).length ? `; refused during the ramp: ${failuresText(t.rampFailures)}` : ''}), ` +
      `offered ${t.offeredBatchesPerSec.toFixed(0)} batches/s; measured over ${t.windowSec.toFixed(0)} s: ` +
      `${t.batchesPerSec.toFixed(0)} batches/s, ${t.itemsPerSec.toFixed(0)} items/s (${t.acceptedPerSec.toFixed(0)} items/s written as new), ` +
      `ingest latency p50 ${f1(t.latency.p50)}, p95 ${f1(t.latency.p95)}, p99 ${f1(t.latency.p99)}, max ${f1(t.latency.max)} ms ` +
      `(from the request's getting one of the ${c.workers} × ${c.socketsPerWorker} pooled sockets: p50 ${f1(t.onSocketLatency.p50)}, p99 ${f1(t.onSocketLatency.p99)} ms); ` +
      `turns skipped because the visitor's previous batch was still unanswered: ${t.skipped}. ` +
      `Tracking load processes used ${pct(t.trackingLoadCpu)} of a core. ` +
      `Chat at ${c.messageRate} msg/s (${c.messageVisitors} visitors, ${c.operators} operator sockets): ` +
      `without tracking delivery p50 ${f1(t.chat.quiet.delivery.p50)} / p99 ${f1(t.chat.quiet.delivery.p99)} ms, ack p99 ${f1(t.chat.quiet.ack.p99)} ms, ` +
      `server CPU ${pct(t.chat.quiet.serverCpu)}, load average ${t.chat.quiet.loadAverage.toFixed(2)}; ` +
      `with tracking delivery p50 ${f1(t.chat.busy.delivery.p50)} / p99 ${f1(t.chat.busy.delivery.p99)} ms, ack p99 ${f1(t.chat.busy.ack.p99)} ms, ` +
      `server CPU ${pct(t.chat.busy.serverCpu)}, load average ${t.chat.busy.loadAverage.toFixed(2)}.`,
  ].join('\n');
}

function intro(): string {
  return [
    '## Ingest: tracking batches beside the chat',
    '',
    "What the loader's tracking (issue 12) costs the server, and whether chat slows down meanwhile (`bench/ingest.ts`, `npm run bench:ingest`). " +
      "Each simulated visitor posts the loader's batches to `POST /api/widget/track` over HTTP keep-alive (text/plain JSON, `Origin` one of the site's allowed origins): " +
      'a first batch with the landing page and no token (its answer gives one; first batches are spread over one interval), then every interval (±25 %) a page view (with the `leave` of the previous page) or a ping, ' +
      'plus `add_to_cart` in 10 % and `order_placed` in 2 % of the batches; one batch in flight per visitor, as the loader does. ' +
      'Visitors are spread over several load processes with a bounded socket pool each. All come from 127.0.0.1, so the per-IP tracking budget is lifted for the run (`TRACK_BATCHES_PER_IP_PER_MINUTE`, and the new-visitor budgets as the message-path benchmark does); the per-visitor budget stays as shipped. ' +
      'Ingest latency is request issued → answer read, over the batches answered 200 in the measured window. ' +
      'Meanwhile the message-path load generator (`bench/load-generator.ts`) sends chat messages at a fixed rate over real WebSockets: first a phase without tracking, then the same phase inside the tracking window. ' +
      'CPU is the share of one core (2 cores in all; Node runs Parley on one); "ms / batch" is the server\'s CPU time over the window less the chat\'s share (its messages at their cost without tracking), per batch answered; "PG CPU" counts every PostgreSQL process on the machine (other work included), "own" only the target\'s backends. DB growth is `pg_database_size` from before tracking started to after it stopped (the chat phase\'s messages included); in brackets the growth of the tracking tables alone (`visitors`, `visits`, `page_views`, `visitor_events` with their indexes) and that per item sent over the whole tracking run (ramp included).',
    '',
  ].join('\n');
}

async function saveRun(run: RunResult, updateDocs: boolean): Promise<string> {
  const dir = `${repoRoot}bench/results`;
  await mkdir(dir, { recursive: true });
  const file = `${dir}/ingest-${run.date.replace(/[:.]/g, '-')}.json`;
  await writeFile(file, `${JSON.stringify(run, null, 2)}\n`);
  if (!updateDocs) return file;
  const docs = `${repoRoot}docs/benchmarks.md`;
  let text = existsSync(docs) ? await readFile(docs, 'utf8') : '# Benchmarks\n';
  if (!text.includes(MARK_START)) text = `${text.trimEnd()}\n\n${MARK_START}\n${intro()}\n${MARK_END}\n`;
  for (const t of run.targets) {
    const block = `${blockStart(t.name)}\n${markdownBlock(run, t)}\n${blockEnd(t.name)}`;
    const start = text.indexOf(blockStart(t.name));
    const end = text.indexOf(blockEnd(t.name));
    text =
      start >= 0 && end > start
        ? text.slice(0, start) + block + text.slice(end + blockEnd(t.name).length)
        : text.replace(MARK_END, `${block}\n\n${MARK_END}`);
  }
  await writeFile(docs, text);
  return file;
}

async function main(): Promise<void> {
  const cpu = cpus();
  const run: RunResult = {
    date: new Date().toISOString(),
    command: `npm run bench:ingest${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at start`,
    loadAverageEnd: '',
    config,
    targets: [],
  };
  for (const name of targetNames) run.targets.push(await measureTarget(name));
  run.loadAverageEnd = loadavg()[0]?.toFixed(2) ?? '?';
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
