/**
 * One client socket: reads frames, validates them against the protocol's
 * schemas, runs the typed handler, and answers each frame with one ack or one
 * error. Frames of one socket run one after another, so a client's messages
 * are stored in the order it sent them.
 *
 * It also keeps one client from costing the server without bound: frames
 * waiting for their turn are capped (`LIMITS.socketQueue`: refused past it,
 * closed with `flooding` if the client keeps on), a socket that reads too
 * slowly is closed (`tooSlow`) instead of buffered for, one that answers no
 * ping is cut, and once the node drains no new frame is taken.
 */

import type { Socket } from 'node:net';
import type { AckOf, ErrorFrame } from '@parley/protocol';
import { CLOSE_CODES, LIMITS } from '@parley/protocol';
import { clientFrameEnvelope, describeIssues, type z } from '@parley/protocol/schemas';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { DomainError, publicErrorOf } from '../modules/errors.js';
import type { InFlightTracker } from './in-flight.js';
import type { RoomMember } from './room-registry.js';

type RequestOf<M, K extends keyof M> = M[K] extends { request: infer R } ? R : never;

const corkedThisTurn = new Set<Socket>();

function uncorkAll(): void {
  for (const socket of corkedThisTurn) socket.uncork();
  corkedThisTurn.clear();
}

export type FrameHandlers<M> = { [K in keyof M]: (data: RequestOf<M, K>) => Promise<AckOf<M, K>> };
export type FrameSchemas<M> = { [K in keyof M]: z.ZodType<RequestOf<M, K>> };

export interface ConnectionLimits {
  /** Bytes held for this socket (not yet taken by the kernel) past which it is closed as too slow. */
  sendBufferBytes: number;
  /** Silence (no pong, no frame) after which the socket is taken for dead. */
  pongTimeoutMs: number;
}

export class SocketConnection implements RoomMember {
  private queue: Promise<void> = Promise.resolve();
  private queuedFrames = 0;
  private queuedBytes = 0;
  private refusalsInARow = 0;
  private accepting = true;
  private lastHeardAt = Date.now();

  constructor(
    readonly ws: WebSocket,
    private readonly log: Logger,
    private readonly inFlight: InFlightTracker,
    private readonly limits: ConnectionLimits,
  ) {
    ws.on('pong', () => {
      this.lastHeardAt = Date.now();
    });
  }

  sendRaw(frame: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // Checked before adding: one large answer (a sync page) always goes out to a reader that keeps up.
    if (this.ws.bufferedAmount > this.limits.sendBufferBytes) {
      this.closeAsTooSlow();
      return;
    }
    this.corkUntilNextTurn();
    this.ws.send(frame);
  }

  /**
   * Pings the client, or cuts the socket when nothing was heard from it for the pong timeout: a
   * half-open connection (a laptop closed, a NAT that forgot it) would otherwise live forever.
   */
  heartbeat(now = Date.now()): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (now - this.lastHeardAt > this.limits.pongTimeoutMs) {
      this.log.debug('socket missed its pongs; cutting it');
      this.ws.terminate();
      return;
    }
    this.ws.ping();
  }

  /**
   * The node is draining: frames already queued still run, new ones are dropped unread (the client
   * resends them after reconnecting elsewhere), so a flooding client cannot hold the drain open.
   */
  stopAccepting(): void {
    this.accepting = false;
  }

  private closeAsTooSlow(): void {
    this.log.warn({ buffered: this.ws.bufferedAmount }, 'socket reads too slowly; closing it');
    // Nothing more is queued for it (sendRaw sends only while OPEN). The close frame waits behind what
    // is already buffered; a reader that stays stuck is cut by ws after its close timeout (30 s).
    this.ws.close(CLOSE_CODES.tooSlow, 'reading too slowly: reconnect and resync');
  }

  /**
   * Holds this socket's writes until the event loop's check phase: an operator
   * receiving a burst of messages gets one write (one syscall) per loop turn
   * instead of one per frame — socket writes were the server's largest cost
   * in bench/message-path.ts. Frames stay in order; the delay is under a turn.
   */
  private corkUntilNextTurn(): void {
    // ws exposes no cork API; its underlying net.Socket does.
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket || corkedThisTurn.has(socket)) return;
    socket.cork();
    corkedThisTurn.add(socket);
    // One immediate per turn for all sockets, not one per socket: most turns carry a single message.
    if (corkedThisTurn.size === 1) setImmediate(uncorkAll);
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  /** Starts reading frames; call once, after the connection is authenticated. */
  listen<M>(schemas: FrameSchemas<M>, handlers: FrameHandlers<M>): void {
    this.ws.on('message', (raw: Buffer, isBinary: boolean) => {
      this.lastHeardAt = Date.now();
      // Closing (flooding, too slow, drained): what still arrives is neither run nor answered.
      if (this.ws.readyState !== this.ws.OPEN) return;
      if (isBinary || raw.length > LIMITS.frameBytes) {
        return this.sendError(
          undefined,
          new DomainError('payload_too_large', `Frames are text and at most ${LIMITS.frameBytes} bytes`),
        );
      }
      // Draining: not run and not answered. The 1012 close that follows fails the client's pending
      // request, and clients resend unanswered frames after reconnecting (same clientId: never twice).
      if (!this.accepting) return;
      const { frames, bytes, refusalsBeforeClose } = LIMITS.socketQueue;
      if (this.queuedFrames >= frames || this.queuedBytes + raw.length > bytes) {
        this.refusalsInARow += 1;
        if (this.refusalsInARow > refusalsBeforeClose) {
          this.log.warn('socket kept sending past its queue; closing it');
          this.accepting = false;
          return this.ws.close(CLOSE_CODES.flooding, 'too many frames waiting: wait for acks');
        }
        return this.sendError(
          refOf(raw),
          new DomainError('rate_limited', `More than ${frames} frames are waiting; wait for their acks`),
        );
      }
      this.refusalsInARow = 0;
      this.queuedFrames += 1;
      this.queuedBytes += raw.length;
      const work = this.queue.then(async () => {
        try {
          await this.handle(raw, schemas, handlers);
        } finally {
          this.queuedFrames -= 1;
          this.queuedBytes -= raw.length;
        }
      });
      this.queue = work;
      this.inFlight.track(work);
    });
  }

  private async handle<M>(raw: Buffer, schemas: FrameSchemas<M>, handlers: FrameHandlers<M>) {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.sendError(undefined, new DomainError('bad_request', 'Frame is not valid JSON'));
    }
    const envelope = clientFrameEnvelope.safeParse(json);
    if (!envelope.success) {
      return this.sendError(
        undefined,
        new DomainError('bad_request', 'Frame must be { type, ref, data }'),
        describeIssues(envelope.error),
      );
    }
    const { type, ref, data } = envelope.data;
    if (!Object.hasOwn(schemas as object, type)) {
      return this.sendError(ref, new DomainError('bad_request', `Unknown frame type "${type}"`));
    }
    const key = type as keyof M;
    const parsed = schemas[key].safeParse(data);
    if (!parsed.success) {
      return this.sendError(
        ref,
        new DomainError('bad_request', `Invalid ${type}`),
        describeIssues(parsed.error),
      );
    }
    try {
      const ack = await handlers[key](parsed.data as RequestOf<M, keyof M>);
      this.send({ type: 'ack', ref, data: ack });
    } catch (error) {
      if (!(error instanceof DomainError))
        this.log.error({ err: error, frame: type }, 'frame handler failed');
      this.sendError(ref, error);
    }
  }

  private sendError(ref: string | undefined, error: unknown, issues?: ErrorFrame['error']['issues']): void {
    const frame: ErrorFrame = {
      type: 'error',
      ...(ref !== undefined && { ref }),
      error: { ...publicErrorOf(error), ...(issues && { issues }) },
    };
    this.send(frame);
  }
}

/** The ref of a frame that will not run, for its refusal, when it has a readable one. */
function refOf(raw: Buffer): string | undefined {
  try {
    const ref = (JSON.parse(raw.toString('utf8')) as { ref?: unknown })?.ref;
    return typeof ref === 'string' && ref.length > 0 && ref.length <= 64 ? ref : undefined;
  } catch {
    return undefined;
  }
}
