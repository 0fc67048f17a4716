/**
 * A tracking worker of the ingest benchmark, driven over IPC by `ingest.ts`
 * (see `ingest-protocol.ts`). It plays its share of the visitors the way the
 * loader (apps/widget/src/loader/tracker.ts) does: a first batch with the
 * landing page and no token (the answer gives one), then every interval a page
 * view (leaving the previous page) or a ping, now and then a shop event, one
 * batch in flight per visitor, as text/plain JSON from the site's origin.
 *
 * Requests go through one keep-alive agent with a bounded number of sockets:
 * a browser holds a connection or two per visitor, but 10,000 of them from one
 * address would measure the kernel, not Parley.
 */
import { Agent, request } from 'node:http';
import type { TrackBatch, TrackItem } from '@parley/protocol';
import type {
  FromIngestWorker,
  IngestCounts,
  IngestWorkerConfig,
  ToIngestWorker,
} from './ingest-protocol.js';
import { nowMs } from './load-protocol.js';

const TRACK_PATH = '/api/widget/track';
const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
/** Where the simulated visitors come from: search with a query, social, advertising, e-mail, direct. */
const LANDINGS: { path: string; referrer?: string }[] = [
  { path: '/', referrer: 'https://www.google.com/' },
  { path: '/catalog/shoes', referrer: 'https://yandex.ru/search/?text=winter+boots' },
  { path: '/catalog/shoes?utm_source=yandex&utm_medium=cpc&utm_campaign=winter&yclid=123', referrer: '' },
  { path: '/product/42?utm_source=newsletter&utm_medium=email', referrer: '' },
  { path: '/', referrer: 'https://vk.com/' },
  { path: '/catalog/bags' },
];
const PAGES = ['/catalog/shoes', '/catalog/bags', '/product/7', '/product/42', '/product/108', '/cart', '/'];
const PAGE_VIEW_SHARE = 0.5;
const ADD_TO_CART_SHARE = 0.1;
const ORDER_SHARE = 0.02;

interface Visitor {
  index: number;
  token: string | null;
  pageId: string | null;
  nextId: number;
  busy: boolean;
  /** Items of a batch the server answered 5xx (busy) or never answered: sent again next turn, as the loader does. */
  unsent: TrackItem[];
}

let config: IngestWorkerConfig;
let agent: Agent;
let origin = '';
const visitors: Visitor[] = [];
const timers = new Set<NodeJS.Timeout>();
let stopping = false;
let inFlight = 0;
let counts: IngestCounts = emptyCounts();
let latencies: number[] = [];
let onSocketLatencies: number[] = [];

function emptyCounts(): IngestCounts {
  return { batches: 0, items: 0, accepted: 0, newVisitors: 0, failures: {}, firstError: null, skipped: 0 };
}

function reply(message: FromIngestWorker): void {
  process.send?.(message);
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;

function itemId(visitor: Visitor): string {
  return `w${config.workerIndex}v${visitor.index}i${(visitor.nextId++).toString(36)}`;
}

function pageItem(visitor: Visitor, path: string, referrer?: string): TrackItem {
  const id = itemId(visitor);
  visitor.pageId = id;
  return {
    t: 'page',
    id,
    ago: 0,
    url: `${origin}${path}`,
    title: `Shop — ${path}`,
    ...(referrer && { referrer }),
  };
}

/** What the loader would have queued by this visitor's next turn. */
function nextItems(visitor: Visitor): TrackItem[] {
  const unsent = visitor.unsent;
  visitor.unsent = [];
  // A first batch refused is sent again as it was (the loader has no token to add more with yet).
  if (!visitor.token && unsent.length > 0) return unsent;
  return [...unsent, ...newItems(visitor)].slice(-50);
}

function newItems(visitor: Visitor): TrackItem[] {
  if (!visitor.token) {
    const landing = pick(LANDINGS);
    return [pageItem(visitor, landing.path, landing.referrer)];
  }
  const items: TrackItem[] = [];
  if (Math.random() < PAGE_VIEW_SHARE) {
    if (visitor.pageId) {
      const seconds = Math.round((config.intervalMs / 1000) * (0.5 + Math.random()));
      items.push({ t: 'leave', id: itemId(visitor), ago: 0, pageId: visitor.pageId, seconds });
    }
    items.push(pageItem(visitor, pick(PAGES)));
  } else {
    items.push({ t: 'ping', id: itemId(visitor), ago: 0 });
  }
  const roll = Math.random();
  if (roll < ORDER_SHARE)
    items.push({
      t: 'event',
      id: itemId(visitor),
      ago: 0,
      name: 'order_placed',
      props: {
        amount: 129.9,
        currency: 'EUR',
        orderId: `o-${config.workerIndex}-${visitor.index}-${visitor.nextId}`,
      },
    });
  else if (roll < ORDER_SHARE + ADD_TO_CART_SHARE)
    items.push({
      t: 'event',
      id: itemId(visitor),
      ago: 0,
      name: 'add_to_cart',
      props: { sku: `sku-${Math.floor(Math.random() * 500)}`, amount: 43.3, currency: 'EUR' },
    });
  return items;
}

function fail(key: string, error: string): void {
  counts.failures[key] = (counts.failures[key] ?? 0) + 1;
  counts.firstError ??= error.slice(0, 300);
}

function post(visitor: Visitor): void {
  const items = nextItems(visitor);
  const batch: TrackBatch = { siteKey: config.siteKey, visitorToken: visitor.token, items };
  const body = JSON.stringify(batch);
  const wasNew = !visitor.token;
  visitor.busy = true;
  inFlight++;
  const started = nowMs();
  // When the request got one of the pool's sockets: the time after it is the server's alone.
  let onSocket = started;
  const done = () => {
    visitor.busy = false;
    inFlight--;
  };
  const req = request(
    `${config.url}${TRACK_PATH}`,
    {
      method: 'POST',
      agent,
      headers: {
        // As fetch keepalive and sendBeacon send it: no preflight.
        'content-type': 'text/plain;charset=UTF-8',
        'content-length': Buffer.byteLength(body),
        origin,
        'user-agent': USER_AGENT,
      },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => {
        const at = nowMs();
        done();
        if (res.statusCode !== 200) {
          if ((res.statusCode ?? 500) >= 500) visitor.unsent = items;
          fail(String(res.statusCode), `${res.statusCode} ${text}`);
          return;
        }
        try {
          const answer = JSON.parse(text) as { visitorToken: string; accepted: number };
          visitor.token = answer.visitorToken;
          counts.batches++;
          counts.items += items.length;
          counts.accepted += answer.accepted;
          if (wasNew) counts.newVisitors++;
          latencies.push(at - started);
          onSocketLatencies.push(at - onSocket);
        } catch (e) {
          fail('bad-json', String(e));
        }
      });
      res.on('error', (e) => {
        done();
        visitor.unsent = items;
        fail('network', String(e));
      });
    },
  );
  req.once('socket', () => {
    onSocket = nowMs();
  });
  req.on('error', (e) => {
    done();
    visitor.unsent = items;
    fail('network', String(e));
  });
  req.end(body);
}

function schedule(visitor: Visitor, delayMs: number): void {
  const timer = setTimeout(() => {
    timers.delete(timer);
    if (stopping) return;
    if (visitor.busy) counts.skipped++;
    else post(visitor);
    schedule(visitor, config.intervalMs * (0.75 + Math.random() * 0.5));
  }, delayMs);
  timers.add(timer);
}

function start(message: IngestWorkerConfig): void {
  config = message;
  origin = message.origin;
  agent = new Agent({ keepAlive: true, maxSockets: message.sockets, maxFreeSockets: message.sockets });
  for (let i = 0; i < message.visitors; i++) {
    const visitor: Visitor = { index: i, token: null, pageId: null, nextId: 0, busy: false, unsent: [] };
    visitors.push(visitor);
    schedule(visitor, (i / message.visitors) * message.rampMs + Math.random() * 50);
  }
  reply({ type: 'started' });
}

async function stop(): Promise<void> {
  stopping = true;
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  const deadline = Date.now() + 60_000;
  while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  agent?.destroy();
  reply({ type: 'stopped' });
}

process.on('message', (message: ToIngestWorker) => {
  try {
    if (message.type === 'start') start(message);
    else if (message.type === 'window') {
      counts = emptyCounts();
      latencies = [];
      onSocketLatencies = [];
    } else if (message.type === 'status')
      reply({
        type: 'status',
        registered: visitors.filter((v) => v.token).length,
        inFlight,
        ...counts,
      });
    else if (message.type === 'collect')
      reply({ type: 'collected', latencies, onSocketLatencies, ...counts });
    else if (message.type === 'stop') void stop();
  } catch (e) {
    reply({ type: 'fatal', message: String(e) });
  }
});
process.on('disconnect', () => process.exit(0));
