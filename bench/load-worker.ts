/**
 * A load-generator process for the message-path benchmark, driven over IPC by
 * `message-path.ts` (see `load-protocol.ts`). It holds a share of the visitor
 * and operator sockets (raw `ws`, no protocol client: the generator must stay
 * lighter than the server it measures), sends `message.send` frames at the
 * rate it is told, stamps each send and its ack, and stamps the first
 * `message.created` each of its operator sockets sees, counting repeats.
 *
 * Frames are recognised by prefix and fields cut out with indexOf instead of
 * JSON.parse: at 6,000 msg/s × 10 operators that is the difference between
 * measuring the server and measuring this process.
 */
import WebSocket from 'ws';
import {
  ACK_PREFIX,
  ERROR_PREFIX,
  type FromWorker,
  MESSAGE_CREATED_PREFIX,
  nowMs,
  type ReceiptRecord,
  type SendRecord,
  stringField,
  type ToWorker,
} from './load-protocol.js';

const CONNECT_CONCURRENCY = 64;
const CONNECT_TIMEOUT_MS = 120_000;
const TICK_MS = 2;
/** Sends per tick at most, so a stalled event loop does not come back with a burst of thousands. */
const MAX_BURST = 200;
const TEXT = 'Hello! Do you have these running shoes in size 42, and can you ship them by Friday?';

interface Operator {
  ws: WebSocket;
  seen: Set<string>;
}

const visitors: WebSocket[] = [];
const operators: Operator[] = [];
let workerIndex = 0;

// The current phase's records; replaced when a phase starts.
let phase = -1;
let sends: SendRecord[] = [];
let sendIndex = new Map<string, number>();
let receipts = new Map<string, ReceiptRecord>();
let acked = 0;
let errors = 0;
let duplicates = 0;
let receiptCount = 0;
let closedSockets = 0;
let firstError: string | null = null;

function reply(message: FromWorker): void {
  process.send?.(message);
}

function onVisitorFrame(raw: WebSocket.RawData): void {
  const text = raw.toString();
  if (text.startsWith(ACK_PREFIX)) {
    const ref = text.slice(ACK_PREFIX.length, text.indexOf('"', ACK_PREFIX.length));
    const index = sendIndex.get(ref);
    const record = index === undefined ? undefined : sends[index];
    if (record && record[2] < 0) {
      record[2] = nowMs();
      acked++;
    }
  } else if (text.startsWith(ERROR_PREFIX)) {
    errors++;
    firstError ??= text.slice(0, 300);
  }
}

function onOperatorFrame(operator: Operator, raw: WebSocket.RawData): void {
  const at = nowMs();
  const text = raw.toString();
  if (!text.startsWith(MESSAGE_CREATED_PREFIX)) return;
  const clientId = stringField(text, 'clientId');
  // Messages of another phase (late deliveries) are not this phase's business.
  if (!clientId?.startsWith(`bench-p${phase}-`)) return;
  if (operator.seen.has(clientId)) {
    duplicates++;
    return;
  }
  operator.seen.add(clientId);
  receiptCount++;
  const record = receipts.get(clientId);
  if (record) record[2]++;
  else receipts.set(clientId, [clientId, at, 1]);
}

function open(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    // perMessageDeflate off: Parley's gateway and the relay negotiate none either; compression would be our cost.
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

async function connectAll(message: Extract<ToWorker, { type: 'connect' }>): Promise<void> {
  workerIndex = message.workerIndex;
  let failures = 0;
  let error: string | null = null;
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  for (let i = 0; i < message.operatorCount; i++) {
    try {
      const ws = await open(`${message.wsBase}/ws/operator`, message.operatorHeaders);
      const operator: Operator = { ws, seen: new Set() };
      ws.on('message', (raw) => onOperatorFrame(operator, raw));
      ws.on('close', () => closedSockets++);
      ws.on('error', () => {});
      ws.send(JSON.stringify({ type: 'operator.status', ref: 'status', data: { status: 'online' } }));
      operators.push(operator);
    } catch (e) {
      failures++;
      error ??= String(e);
    }
  }
  let next = 0;
  const tokens = message.visitorTokens;
  const connectOne = async (): Promise<void> => {
    while (next < tokens.length && Date.now() < deadline) {
      const token = tokens[next++] ?? '';
      try {
        const ws = await open(`${message.wsBase}/ws/visitor?token=${encodeURIComponent(token)}`, {});
        ws.on('message', onVisitorFrame);
        ws.on('close', () => closedSockets++);
        ws.on('error', () => {});
        visitors.push(ws);
      } catch (e) {
        failures++;
        error ??= String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, connectOne));
  failures += tokens.length - next;
  reply({
    type: 'connected',
    visitors: visitors.length,
    operators: operators.length,
    failures,
    firstError: error,
  });
}

function startPhase(id: number): void {
  phase = id;
  sends = [];
  sendIndex = new Map();
  receipts = new Map();
  acked = 0;
  errors = 0;
  duplicates = 0;
  receiptCount = 0;
  closedSockets = 0;
  firstError = null;
  for (const operator of operators) operator.seen.clear();
}

function sendOne(ws: WebSocket, n: number): boolean {
  if (ws.readyState !== WebSocket.OPEN) return false;
  const clientId = `bench-p${phase}-w${workerIndex}-${n}`;
  sendIndex.set(clientId, sends.length);
  sends.push([clientId, nowMs(), -1]);
  ws.send(
    `{"type":"message.send","ref":"${clientId}","data":{"clientId":"${clientId}","text":"${TEXT} #${n}"}}`,
  );
  return true;
}

/** Paces sends against the clock: each tick sends what is due by now, so the average rate is exact. */
function run(message: Extract<ToWorker, { type: 'run' }>): void {
  startPhase(message.phase);
  const total =
    message.mode === 'once' ? visitors.length : Math.round((message.ratePerSec * message.durationMs) / 1000);
  const started = nowMs();
  let n = 0;
  let skipped = 0;
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((nowMs() - started) * message.ratePerSec) / 1000));
    const burstEnd = Math.min(due, n + MAX_BURST);
    for (; n < burstEnd; n++) {
      const ws =
        message.mode === 'once' ? visitors[n] : visitors[Math.floor(Math.random() * visitors.length)];
      if (!ws || !sendOne(ws, n)) skipped++;
    }
    if (n >= total || nowMs() - started > message.durationMs * 3 + 10_000) {
      clearInterval(timer);
      reply({ type: 'ran', phase: message.phase, sent: sends.length, skipped });
    }
  }, TICK_MS);
}

async function closeAll(): Promise<void> {
  for (const ws of [...visitors, ...operators.map((o) => o.ws)]) ws.terminate();
  reply({ type: 'closed' });
  setTimeout(() => process.exit(0), 100);
}

process.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'connect') void connectAll(message);
    else if (message.type === 'run') run(message);
    else if (message.type === 'progress')
      reply({ type: 'progress', sent: sends.length, acked, errors, receipts: receiptCount });
    else if (message.type === 'collect')
      reply({
        type: 'collected',
        phase: message.phase,
        sends,
        receipts: [...receipts.values()],
        duplicates,
        errors,
        firstError,
        closedSockets,
      });
    else if (message.type === 'close') void closeAll();
  } catch (e) {
    reply({ type: 'fatal', message: String(e) });
  }
});
// The coordinator gone (crashed, killed): nothing left to do here.
process.on('disconnect', () => process.exit(0));
