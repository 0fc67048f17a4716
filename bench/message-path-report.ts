/**
 * The message-path benchmark's results: their shape, the ratios against the
 * baseline relay, the issue's goals, and their three outputs — a console
 * table, a JSON file in bench/results/ and the "Message path" section of
 * docs/benchmarks.md (only the text between this benchmark's own markers).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { PhaseResult } from './load-generator.js';
import type { TargetName } from './targets.js';

export interface MeasuredPhase extends PhaseResult {
  /** Share of one core used by the server process during the phase (1 = 100 %). */
  serverCpu: number;
  /** Same, summed over every `postgres` process on the machine. */
  postgresCpu: number;
  /** Same, summed over the load workers. */
  loadCpu: number;
  /** CPU seconds the server process used over the phase. */
  serverCpuSeconds: number;
  /** CPU seconds of this target's own PostgreSQL backends over the phase (local PostgreSQL only). */
  ownPostgresCpuSeconds?: number;
  /** p99 within the limit, ≥ 90 % of the rate achieved, nothing lost. */
  passed: boolean;
}

export interface TargetResult {
  name: TargetName;
  visitors: number;
  operators: number;
  connectFailures: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  kbPerVisitor: number;
  warmup: MeasuredPhase;
  fixed: MeasuredPhase;
  steps: MeasuredPhase[];
  /** The highest step rate that passed (0: none). */
  sustainedRate: number;
  /** Local PostgreSQL only, over the fixed-rate phase: what one message costs the database. */
  database?: DatabaseCost;
  /** The same over the whole step-up, where group commit batches the most. */
  stepUpDatabase?: DatabaseCost;
  /** The settings of its PostgreSQL that shape the figures, in words (local PostgreSQL only). */
  databaseSettings?: string;
  /** Problems seen: lost, duplicated, unacked messages, errors, closed sockets. */
  violations: string[];
}

export interface DatabaseCost {
  commitsPerMessage: number;
  walSyncsPerMessage: number;
  walRecordsPerMessage: number;
  conversationUpdatesPerMessage: number;
  /** Share of those conversation updates that were HOT (wrote no index entries). */
  hotShare: number;
  /** WAL records of this database only (pg_walinspect; its commits included), unlike the cluster-wide count. */
  ownWalRecordsPerMessage?: number;
  ownWalBytesPerMessage?: number;
  /** Those records per message by the relation they wrote to. */
  ownWalByRelation?: { relation: string; records: number; bytes: number }[];
}

export interface RunResult {
  date: string;
  command: string;
  machine: string;
  config: {
    visitors: number;
    operators: number;
    workers: number;
    rate: number;
    durationSec: number;
    steps: number[];
    stepSec: number;
    p99LimitMs: number;
  };
  targets: TargetResult[];
}

const GOALS = { p99Ms: 25, sustained: 3000, kbPerVisitor: 16 };
const MARK_START = '<!-- message-path:start -->';
const MARK_END = '<!-- message-path:end -->';
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '∞');
const pct = (v: number) => `${Math.round(v * 100)} %`;
const ratio = (a: number, b: number | undefined) =>
  b && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a';

/** Problems of one phase in words; empty when every acked message reached every operator exactly once. */
export function violationsOf(label: string, p: PhaseResult): string[] {
  const out: string[] = [];
  if (p.lost) out.push(`${label}: ${p.lost} acked messages not delivered to every operator`);
  if (p.duplicates) out.push(`${label}: ${p.duplicates} duplicate deliveries to an operator`);
  if (p.unacked)
    out.push(`${label}: ${p.unacked} of ${p.sent} messages not acked by the end of the drain time`);
  if (p.errors) out.push(`${label}: ${p.errors} error frames (first: ${p.firstError})`);
  if (p.closedSockets) out.push(`${label}: ${p.closedSockets} sockets closed`);
  return out;
}

function databaseLine(d: DatabaseCost): string {
  const own =
    d.ownWalRecordsPerMessage === undefined
      ? ''
      : `, of them its own database's ${d.ownWalRecordsPerMessage.toFixed(2)} records / ` +
        `${Math.round(d.ownWalBytesPerMessage ?? 0)} bytes (${(d.ownWalByRelation ?? [])
          .filter((r) => r.records >= 0.05)
          .map((r) => `${r.relation} ${r.records.toFixed(2)}`)
          .join(', ')})`;
  return (
    `${d.commitsPerMessage.toFixed(2)} commits, ${d.walSyncsPerMessage.toFixed(2)} WAL syncs, ` +
    `${d.walRecordsPerMessage.toFixed(1)} WAL records${own}, ${d.conversationUpdatesPerMessage.toFixed(2)} conversation ` +
    `row updates of which ${pct(d.hotShare)} HOT`
  );
}

/** CPU milliseconds per message of the server and of the target's own PostgreSQL backends over a phase. */
function cpuPerMessage(p: MeasuredPhase): { server: string; postgres: string } {
  const n = Math.max(1, p.sent);
  return {
    server: `${((p.serverCpuSeconds * 1000) / n).toFixed(3)}`,
    postgres:
      p.ownPostgresCpuSeconds === undefined ? 'n/a' : `${((p.ownPostgresCpuSeconds * 1000) / n).toFixed(3)}`,
  };
}

function summaryRows(run: RunResult): string[][] {
  const base = run.targets.find((t) => t.name === 'baseline-relay');
  return run.targets.map((t) => [
    t.name,
    t.kbPerVisitor.toFixed(1),
    ms(t.fixed.delivery.p50),
    ms(t.fixed.delivery.p95),
    ms(t.fixed.delivery.p99),
    ms(t.fixed.ack.p50),
    ms(t.fixed.ack.p99),
    pct(t.fixed.serverCpu),
    pct(t.fixed.postgresCpu),
    cpuPerMessage(t.fixed).server,
    cpuPerMessage(t.fixed).postgres,
    t.database?.ownWalRecordsPerMessage?.toFixed(2) ?? 'n/a',
    String(t.sustainedRate),
    ratio(t.fixed.delivery.p99, base?.fixed.delivery.p99),
    ratio(t.sustainedRate, base?.sustainedRate),
    ratio(t.kbPerVisitor, base?.kbPerVisitor),
  ]);
}

const SUMMARY_HEAD = [
  'target',
  'KB / idle visitor',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'ack p50',
  'ack p99',
  'server CPU',
  'PG CPU',
  'server CPU ms / msg',
  'own PG CPU ms / msg',
  'own WAL records / msg',
  'sustained msg/s',
  'p99 vs relay',
  'throughput vs relay',
  'memory vs relay',
];

function stepRows(t: TargetResult): string[][] {
  return t.steps.map((s) => [
    String(s.targetRate),
    s.achievedRate.toFixed(0),
    ms(s.delivery.p50),
    ms(s.delivery.p99),
    ms(s.ack.p99),
    pct(s.serverCpu),
    pct(s.postgresCpu),
    pct(s.loadCpu),
    cpuPerMessage(s).server,
    cpuPerMessage(s).postgres,
    s.passed ? 'yes' : 'no',
  ]);
}

const STEP_HEAD = [
  'rate',
  'achieved',
  'p50 ms',
  'p99 ms',
  'ack p99',
  'server CPU',
  'PG CPU',
  'load CPU',
  'server ms / msg',
  'own PG ms / msg',
  'ok',
];

function goalLines(run: RunResult): string[] {
  const lines: string[] = [];
  for (const t of run.targets) {
    if (t.name === 'baseline-relay') continue;
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    lines.push(
      `${t.name}: p99 ${ms(t.fixed.delivery.p99)} ms at ${run.config.rate} msg/s (goal ≤ ${GOALS.p99Ms}: ${met(t.fixed.delivery.p99 <= GOALS.p99Ms)}); ` +
        `sustained ${t.sustainedRate} msg/s (goal ≥ ${GOALS.sustained}: ${met(t.sustainedRate >= GOALS.sustained)}); ` +
        `${t.kbPerVisitor.toFixed(1)} KB per idle visitor (goal ≤ ${GOALS.kbPerVisitor}: ${met(t.kbPerVisitor <= GOALS.kbPerVisitor)})`,
    );
  }
  return lines;
}

function textTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function printRun(run: RunResult): void {
  console.log(`\nMessage path — ${run.date}\n${run.machine}\n`);
  console.log(textTable(SUMMARY_HEAD, summaryRows(run)));
  for (const t of run.targets) {
    console.log(`\n${t.name}: step-up (p99 ≤ ${run.config.p99LimitMs} ms, ≥ 90 % of the rate)`);
    console.log(textTable(STEP_HEAD, stepRows(t)));
    if (t.database)
      console.log(`database per message at ${run.config.rate} msg/s: ${databaseLine(t.database)}`);
    if (t.databaseSettings) console.log(`database: ${t.databaseSettings}`);
    if (t.stepUpDatabase)
      console.log(`database per message over the step-up: ${databaseLine(t.stepUpDatabase)}`);
  }
  console.log();
  for (const line of goalLines(run)) console.log(line);
  const violations = run.targets.flatMap((t) => t.violations.map((v) => `${t.name} ${v}`));
  console.log(
    violations.length
      ? violations.join('\n')
      : 'Correctness: every acked message reached every operator exactly once.',
  );
}

function markdownSection(run: RunResult): string {
  const c = run.config;
  const parts = [
    '## Message path',
    '',
    `Command: \`${run.command}\``,
    '',
    `Run ${run.date} on ${run.machine}. The machine is shared and noisy (browser tests of other work ran meanwhile): compare the targets within this run, not against other runs.`,
    '',
    `${c.visitors} visitors and ${c.operators} operator sockets over real WebSockets on 127.0.0.1, spread over ${c.workers} load processes. ` +
      `Delivery latency is visitor send → first operator socket receives \`message.created\`; ack latency is send → the sender's ack. ` +
      `Latencies at a fixed ${c.rate} msg/s from random visitors for ${c.durationSec} s, after a warm-up in which every visitor sent one message (opening its conversation). ` +
      `"Sustained" is the highest step (${c.steps.join(', ')} msg/s, ${c.stepSec} s each) with p99 ≤ ${c.p99LimitMs} ms, ≥ 90 % of the rate achieved and nothing lost; for Parley every ack is a persisted message. ` +
      `Memory is the server's RSS growth from connecting the visitors, per visitor (the embedded PostgreSQL runs in its own processes and is not counted). ` +
      `CPU is the share of one core over the phase (2 cores in all); "PG CPU" is every PostgreSQL process on the machine (other work included), "own PG CPU" only the target's own backends, and "ms / msg" is CPU time per message sent in the phase. ` +
      `"Own WAL records" are the records that touched the target's database (pg_walinspect) plus its commits; pg_stat_wal's cluster-wide count also holds other work's. The baseline is \`bench/baseline-relay.ts\`, a bare \`ws\` relay with the same frames and no persistence.`,
    '',
    markdownTable(SUMMARY_HEAD, summaryRows(run)),
    '',
    ...goalLines(run).map((l) => `- ${l}`),
    '',
  ];
  for (const t of run.targets) {
    parts.push(`### ${t.name}: step-up`, '', markdownTable(STEP_HEAD, stepRows(t)), '');
    if (t.database)
      parts.push(
        `Database cost per message over the ${c.rate} msg/s phase: ${databaseLine(t.database)} (pg_stat_database, pg_stat_user_tables, pg_stat_wal, pg_walinspect).`,
        '',
      );
    if (t.databaseSettings) parts.push(`Its database: ${t.databaseSettings}.`, '');
    if (t.stepUpDatabase)
      parts.push(
        `The same over the whole step-up, where more messages share a commit: ${databaseLine(t.stepUpDatabase)}.`,
        '',
      );
  }
  const violations = run.targets.flatMap((t) => t.violations.map((v) => `${t.name} ${v}`));
  parts.push(
    violations.length
      ? `Correctness problems:\n\n${violations.map((v) => `- ${v}`).join('\n')}`
      : 'Correctness: in every phase each acked message reached each operator socket exactly once.',
  );
  return parts.join('\n');
}

/** Writes bench/results/message-path-<date>.json and, unless told not to, the docs section. */
export async function saveRun(run: RunResult, updateDocs: boolean): Promise<string> {
  const dir = `${repoRoot}bench/results`;
  await mkdir(dir, { recursive: true });
  const file = `${dir}/message-path-${run.date.replace(/[:.]/g, '-')}.json`;
  await writeFile(
    file,
    `${JSON.stringify(run, (_k, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v), 2)}\n`,
  );
  if (updateDocs) {
    const docs = `${repoRoot}docs/benchmarks.md`;
    const current = existsSync(docs) ? await readFile(docs, 'utf8') : '# Benchmarks\n';
    const section = `${MARK_START}\n${markdownSection(run)}\n${MARK_END}`;
    const start = current.indexOf(MARK_START);
    const end = current.indexOf(MARK_END);
    const next =
      start >= 0 && end > start
        ? current.slice(0, start) + section + current.slice(end + MARK_END.length)
        : `${current.trimEnd()}\n\n${section}\n`;
    await writeFile(docs, next);
  }
  return file;
}
