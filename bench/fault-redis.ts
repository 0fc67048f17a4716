/**
 * Fault run: Redis killed under two nodes, then restarted empty.
 *
 * Two Parley processes share one PostgreSQL and a Redis server of this run's
 * own. An operator console is connected to each node; visitors on both nodes
 * send steadily. Redis is killed for `--outage` seconds and comes back
 * empty (no persistence), as after a Redis restart. Reported per phase
 * (before, during, after the outage): sends acked and refused, and how many
 * acked messages reached, live (within 2 s), the operator on the sender's
 * node and the operator on the other node; and how long after Redis is back
 * a new visitor on each node is told an operator is online.
 *
 * `node --import tsx bench/fault-redis.ts [--seconds 60] [--outage 8] [--visitors 20]`
 * (visitors per node). Prints a Markdown section for docs/benchmarks.md.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageDTO } from '@parley/protocol';
import { loginOperator, startVisitorSession, TestSocket } from '../apps/server/src/testing/clients.js';
import { newClientId } from '../apps/server/src/testing/fixtures.js';
import { startOwnRedis } from '../apps/server/src/testing/redis-server.js';
import { E2E_ADMIN, type ParleyProcess, startParleyProcess } from '../e2e/support/parley-process.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 60);
const OUTAGE_S = arg('outage', 8);
const VISITORS_PER_NODE = arg('visitors', 20);
const SEND_EVERY_MS = 2_500; // within the default 30 messages per visitor per minute
const LIVE_WITHIN_MS = 2_000;

type Phase = 'before' | 'during' | 'after';
interface Sent {
  id: string;
  node: 0 | 1;
  phase: Phase;
  at: number;
}

const ws = (node: ParleyProcess) => node.url.replace('http', 'ws');

async function main(): Promise<void> {
  const redis = await startOwnRedis();
  const a = await startParleyProcess({ database: 'local', redisUrl: redis.url });
  const b = await startParleyProcess({ database: { url: a.databaseUrl ?? '' }, redisUrl: redis.url });
  const nodes = [a, b] as const;
  const sockets: TestSocket[] = [];
  try {
    // One console per node; each records when it saw which message.
    const seen = [new Map<string, number>(), new Map<string, number>()] as const;
    for (const [i, node] of nodes.entries()) {
      const session = await loginOperator(node.url, E2E_ADMIN.email, E2E_ADMIN.password);
      const operator = await TestSocket.operator(ws(node), session.cookie);
      sockets.push(operator);
      await operator.waitFor('session.ready');
      await operator.request('operator.status', { status: 'online' });
      operator.ws.on('message', (raw) => {
        // An operator's message.created carries the message and its conversation's row.
        const frame = JSON.parse(raw.toString()) as { type: string; data: { message: MessageDTO } };
        const id = frame.type === 'message.created' ? frame.data.message.id : null;
        if (id && !seen[i]?.has(id)) seen[i]?.set(id, Date.now());
      });
    }
    const visitors: { socket: TestSocket; node: 0 | 1 }[] = [];
    for (const [i, node] of nodes.entries()) {
      for (let v = 0; v < VISITORS_PER_NODE; v++) {
        const session = await startVisitorSession(node.url);
        const socket = await TestSocket.visitor(ws(node), session.visitorToken);
        sockets.push(socket);
        await socket.waitFor('session.ready');
        visitors.push({ socket, node: i as 0 | 1 });
      }
    }

    let phase: Phase = 'before';
    const sent: Sent[] = [];
    const refused: Record<Phase, number> = { before: 0, during: 0, after: 0 };
    const started = Date.now();
    const outageAt = started + ((SECONDS - OUTAGE_S) / 2) * 1000;
    let presenceBack: (number | null)[] = [null, null];

    const senders = visitors.map(async ({ socket, node }, k) => {
      await sleep((k * SEND_EVERY_MS) / visitors.length);
      while (Date.now() - started < SECONDS * 1000) {
        const at = Date.now();
        const during = phase;
        try {
          const ack = await socket.request<{ message: MessageDTO }>('message.send', {
            clientId: newClientId(),
            text: `fault run ${at}`,
          });
          sent.push({ id: ack.message.id, node, phase: during, at });
        } catch {
          refused[during] += 1;
        }
        await sleep(SEND_EVERY_MS);
      }
    });

    const faults = (async () => {
      await sleep(outageAt - Date.now());
      phase = 'during';
      await redis.kill();
      await sleep(OUTAGE_S * 1000);
      await redis.restart();
      phase = 'after';
      const back = Date.now();
      presenceBack = await Promise.all(
        nodes.map(async (node) => {
          while (Date.now() - back < 60_000) {
            if ((await startVisitorSession(node.url).catch(() => null))?.online) return Date.now() - back;
            await sleep(100);
          }
          return null;
        }),
      );
    })();
    await Promise.all([...senders, faults]);
    await sleep(LIVE_WITHIN_MS);

    const rows = (['before', 'during', 'after'] as const).map((p) => {
      const inPhase = sent.filter((s) => s.phase === p);
      const live = (s: Sent, at: number | undefined) => at !== undefined && at - s.at <= LIVE_WITHIN_MS;
      const sameNode = inPhase.filter((s) => live(s, seen[s.node].get(s.id))).length;
      const otherNode = inPhase.filter((s) => live(s, seen[s.node === 0 ? 1 : 0].get(s.id))).length;
      return `| ${p} | ${inPhase.length} | ${refused[p]} | ${sameNode} (${pct(sameNode, inPhase.length)}) | ${otherNode} (${pct(otherNode, inPhase.length)}) |`;
    });
    const report = [
      '## Fault run: Redis killed and restarted empty',
      '',
      `Command: \`node --import tsx bench/fault-redis.ts --seconds ${SECONDS} --outage ${OUTAGE_S} --visitors ${VISITORS_PER_NODE}\``,
      '',
      `Run ${new Date().toISOString()}: two nodes, ${VISITORS_PER_NODE} visitors per node sending every ${SEND_EVERY_MS / 1000} s, an operator console on each node; Redis killed for ${OUTAGE_S} s mid-run, then started again empty. "Live" is received by that console within ${LIVE_WITHIN_MS / 1000} s of the send.`,
      '',
      "| phase | acked | refused | live on the sender's node | live on the other node |",
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `Operator shown online to a new visitor after Redis came back: node A ${ms(presenceBack[0])}, node B ${ms(presenceBack[1])}.`,
    ];
    process.stdout.write(`\n${report.join('\n')}\n`);
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
    await b.stop();
    await a.stop();
    await redis.stop();
  }
}

const pct = (n: number, of: number) => (of === 0 ? '–' : `${Math.round((n / of) * 1000) / 10} %`);
const ms = (value: number | null | undefined) => (value == null ? 'not within 60 s' : `${value} ms`);

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
