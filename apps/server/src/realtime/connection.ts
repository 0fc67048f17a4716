/**
 * One client socket: reads frames, validates them against the protocol's
 * schemas, runs the typed handler, and answers each frame with one ack or one
 * error. Frames of one socket run one after another, so a client's messages
 * are stored in the order it sent them.
 */

import type { Socket } from 'node:net';
import type { AckOf, ErrorFrame } from '@parley/protocol';
import { LIMITS } from '@parley/protocol';
import { clientFrameEnvelope, describeIssues, type z } from '@parley/protocol/schemas';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger.js';
import { DomainError } from '../modules/errors.js';
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

export class SocketConnection implements RoomMember {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly ws: WebSocket,
    private readonly log: Logger,
    private readonly inFlight: InFlightTracker,
  ) {}

  sendRaw(frame: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.corkUntilNextTurn();
    this.ws.send(frame);
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
      const work = this.queue.then(() => this.handle(raw, isBinary, schemas, handlers));
      this.queue = work;
      this.inFlight.track(work);
    });
  }

  private async handle<M>(
    raw: Buffer,
    isBinary: boolean,
    schemas: FrameSchemas<M>,
    handlers: FrameHandlers<M>,
  ) {
    if (isBinary || raw.length > LIMITS.frameBytes) {
      return this.sendError(
        undefined,
        new DomainError('payload_too_large', `Frames are text and at most ${LIMITS.frameBytes} bytes`),
      );
    }
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
      error:
        error instanceof DomainError
          ? { code: error.code, message: error.message, ...(issues && { issues }) }
          : { code: 'internal', message: 'Something went wrong on our side; try again' },
    };
    this.send(frame);
  }
}
