/**
 * The message-path benchmark's baseline: a bare `ws` relay with Parley's wire
 * format and no persistence, validation, rooms or domain. A visitor's
 * `message.send` is acked with a made-up message and the `message.created`
 * frame goes to every operator socket (and back to the sender, as Parley
 * echoes to the visitor's own room). Whatever Parley costs above this is the
 * price of its database, validation and routing.
 *
 * Run as its own process: `node --import tsx bench/baseline-relay.ts`; prints
 * `Relay: http://127.0.0.1:PORT` once listening, stops on SIGTERM/SIGINT.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';

interface SendFrame {
  type: string;
  ref: string;
  data: { clientId: string; text: string };
}

const operators = new Set<WebSocket>();
let nextSeq = 0;

const server = createServer((_req, res) => {
  res.writeHead(404).end();
});
// Parley's gateway negotiates no compression either; keep the two comparable.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

server.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  if (path !== '/ws/visitor' && path !== '/ws/operator') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => (path === '/ws/operator' ? operator(ws) : visitor(ws)));
});

function operator(ws: WebSocket): void {
  operators.add(ws);
  ws.on('close', () => operators.delete(ws));
  ws.on('error', () => {});
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { ref?: string };
    if (frame.ref) ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, data: {} }));
  });
}

function visitor(ws: WebSocket): void {
  const visitorId = randomUUID();
  const conversationId = randomUUID();
  ws.on('error', () => {});
  ws.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as SendFrame;
    if (frame.type !== 'message.send') return;
    const message = {
      id: randomUUID(),
      conversationId,
      seq: ++nextSeq,
      clientId: frame.data.clientId,
      author: { kind: 'visitor', id: visitorId, name: null, avatarUrl: null },
      text: frame.data.text,
      createdAt: new Date().toISOString(),
    };
    // Serialized once for all operators, as Parley's fan-out does.
    const created = JSON.stringify({ type: 'message.created', data: message });
    for (const op of operators) op.send(created);
    ws.send(created);
    ws.send(JSON.stringify({ type: 'ack', ref: frame.ref, data: { message } }));
  });
}

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`Relay: http://127.0.0.1:${port}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const ws of wss.clients) ws.terminate();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
