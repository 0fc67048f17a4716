/**
 * The WebSocket gateway: authenticates a socket before the upgrade, joins it
 * to its rooms, wires its frames to the handler family, delivers bus
 * events to local rooms, hands access events (a session ended, tokens
 * revoked) to the access guard, and pings every socket (cutting the silent ones).
 * On shutdown it stops taking frames and tells every client to reconnect
 * elsewhere, after the frames already taken are saved.
 */
import {
  API_PATHS,
  CLOSE_CODES,
  type OperatorServerEvents,
  type VisitorServerEvents,
} from '@parley/protocol';
import { operatorFrameData, visitorFrameData } from '@parley/protocol/schemas';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isAccessEvent } from '../events/domain-events.js';
import type { EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger.js';
import type { DomainContext } from '../modules/context.js';
import { DomainError } from '../modules/errors.js';
import { publishPresenceOfOperator, routeSitesOfOperator } from '../modules/operators/commands.js';
import { availableOperators, getSitePresence } from '../modules/operators/presence.js';
import { isSessionLive } from '../modules/operators/sessions.js';
import {
  type AuthenticatedVisitor,
  authenticateOperator,
  authenticateVisitor,
  type OperatorPrincipal,
  SESSION_COOKIE,
} from '../modules/policy/authentication.js';
import { callOrigin, isOwnOrigin } from '../modules/policy/origins.js';
import { visitorTokenRenewer } from '../modules/visitors/access.js';
import type { VisitorTokenSigner } from '../modules/visitors/tokens.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { VisitorBudgetLimits } from '../rate-limit/visitor-budgets.js';
import { AccessGuard, guardOperatorFrames } from './access-guard.js';
import { type ConnectionLimits, SocketConnection } from './connection.js';
import { deliverEvent } from './fanout.js';
import { InFlightTracker } from './in-flight.js';
import { operatorFrameHandlers } from './operator-frames.js';
import { OperatorSiteRooms } from './operator-sites.js';
import { rooms } from './recipients.js';
import { RoomRegistry } from './room-registry.js';
import { visitorFrameHandlers } from './visitor-frames.js';
import { VisitorsNowBatcher } from './visitors-now-batcher.js';

export interface GatewayDeps {
  ctx: DomainContext;
  bus: EventBus;
  signer: VisitorTokenSigner;
  rateLimiter: RateLimiter;
  budgets: VisitorBudgetLimits;
  sockets: ConnectionLimits & { pingIntervalMs: number };
  log: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    socketVisitor?: AuthenticatedVisitor;
    socketOperator?: OperatorPrincipal;
  }
}

const DRAIN_RECONNECT_MS = 500;

export class Gateway {
  readonly registry = new RoomRegistry<SocketConnection>();
  readonly inFlight = new InFlightTracker();
  private readonly access = new AccessGuard();
  private readonly operatorSites: OperatorSiteRooms;
  private readonly visitorsNow = new VisitorsNowBatcher(this.registry);
  /** The visitors-now rooms each console joined, left when it closes. */
  private readonly watchedBy = new WeakMap<SocketConnection, Set<string>>();
  private readonly connections = new Set<SocketConnection>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private draining = false;

  constructor(private readonly deps: GatewayDeps) {
    this.operatorSites = new OperatorSiteRooms(this.registry, deps.ctx, deps.log);
    this.unsubscribe = deps.bus.subscribe((event) => {
      if (event.type === 'visitor.activity') this.visitorsNow.offer(event);
      else if (!isAccessEvent(event)) deliverEvent(this.registry, event);
      else if (event.type === 'operator.sites.changed') void this.operatorSites.refresh(event.operatorIds);
      else if (event.type === 'site.deleted') this.closeSiteVisitors(event.siteId);
      else this.access.handle(event);
    });
    this.heartbeat = setInterval(() => {
      const now = Date.now();
      for (const connection of this.connections) connection.heartbeat(now);
    }, deps.sockets.pingIntervalMs);
    this.heartbeat.unref();
  }

  register(app: FastifyInstance): void {
    app.get(
      API_PATHS.visitorSocket,
      { websocket: true, preValidation: (request) => this.authenticateVisitor(request) },
      (ws, request) => {
        const visitor = request.socketVisitor;
        if (!visitor) return ws.close(CLOSE_CODES.unauthorized);
        const connection = this.accept(ws, [
          rooms.visitor(visitor.visitorId),
          rooms.siteVisitors(visitor.siteId),
        ]);
        connection.listen(
          visitorFrameData,
          visitorFrameHandlers(this.visitorFrameDeps(), { ...visitor, ip: request.ip }),
        );
        connection.send({
          type: 'session.ready',
          data: { visitorId: visitor.visitorId, serverTime: new Date().toISOString() },
        } satisfies {
          type: 'session.ready';
          data: VisitorServerEvents['session.ready'];
        });
        this.watchVisitorAccess(connection, visitor);
        void this.sendAvailability(connection, visitor.siteId);
      },
    );

    app.get(
      API_PATHS.operatorSocket,
      { websocket: true, preValidation: (request) => this.authenticateOperator(request) },
      (ws, request) => {
        const principal = request.socketOperator;
        if (!principal) return ws.close(CLOSE_CODES.unauthorized);
        const { operator, session } = principal;
        // The operator's own room (mentions); site rooms follow their grants (OperatorSiteRooms).
        const connection = this.accept(ws, [rooms.operator(operator.id)]);
        this.operatorSites.track(connection, principal);
        this.access.watchOperator(ws, {
          operatorId: operator.id,
          sessionId: session.id,
          expiresAt: session.expiresAt,
        });
        const isLive = async () =>
          session.expiresAt.getTime() > Date.now() && isSessionLive(this.deps.ctx.db, session.id);
        connection.listen(
          operatorFrameData,
          guardOperatorFrames(
            ws,
            operatorFrameHandlers(this.deps.ctx, principal, {
              rateLimiter: this.deps.rateLimiter,
              log: this.deps.log,
              onClose: (cleanup) => ws.on('close', cleanup),
              watchVisitorsNow: (siteId, watching) => this.watchVisitorsNow(connection, siteId, watching),
            }),
            isLive,
          ),
        );
        connection.send({
          type: 'session.ready',
          data: { operatorId: operator.id, serverTime: new Date().toISOString() },
        } satisfies {
          type: 'session.ready';
          data: OperatorServerEvents['session.ready'];
        });
        void this.trackOperatorPresence(operator.id, 1);
        ws.on('close', () => void this.trackOperatorPresence(operator.id, -1));
      },
    );
  }

  /** Tells every client to reconnect (to another node), once their in-flight frames are saved. */
  async drain(): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeat);
    // Frames taken so far are saved; new ones are not taken, or a flooding client keeps the drain open.
    for (const connection of this.connections) connection.stopAccepting();
    const notice = JSON.stringify({
      type: 'server.draining',
      data: { reconnectAfterMs: DRAIN_RECONNECT_MS },
    });
    for (const connection of this.connections) connection.sendRaw(notice);
    await this.inFlight.drain();
    this.visitorsNow.stop();
    for (const connection of this.connections)
      connection.ws.close(CLOSE_CODES.restarting, 'server restarting');
    this.unsubscribe();
  }

  /** Joins or leaves the site's visitors-now room; the room is left with the socket or the site's grant. */
  private watchVisitorsNow(connection: SocketConnection, siteId: string, watching: boolean): void {
    const room = rooms.siteVisitorsNow(siteId);
    let watched = this.watchedBy.get(connection);
    if (!watched) {
      const rooms = new Set<string>();
      watched = rooms;
      this.watchedBy.set(connection, rooms);
      connection.ws.once('close', () => {
        for (const name of rooms) this.registry.leave(name, connection);
      });
    }
    if (watching) {
      this.registry.join(room, connection);
      watched.add(room);
    } else {
      this.registry.leave(room, connection);
      watched.delete(room);
    }
  }

  /** A deleted site's widgets: their tokens name a visitor that is gone, so they may not reconnect. */
  private closeSiteVisitors(siteId: string): void {
    for (const connection of this.registry.membersOf(rooms.siteVisitors(siteId)))
      connection.ws.close(CLOSE_CODES.unauthorized, 'This site was deleted');
  }

  private visitorFrameDeps() {
    return {
      ctx: this.deps.ctx,
      rateLimiter: this.deps.rateLimiter,
      budgets: this.deps.budgets,
      log: this.deps.log,
    };
  }

  private accept(ws: SocketConnection['ws'], roomNames: string[]): SocketConnection {
    const connection = new SocketConnection(ws, this.deps.log, this.inFlight, this.deps.sockets);
    this.connections.add(connection);
    for (const room of roomNames) this.registry.join(room, connection);
    ws.on('close', () => {
      this.connections.delete(connection);
      for (const room of roomNames) this.registry.leave(room, connection);
    });
    ws.on('error', (error) => this.deps.log.debug({ err: error }, 'socket error'));
    return connection;
  }

  private async authenticateVisitor(request: FastifyRequest): Promise<void> {
    if (this.draining) throw new DomainError('unavailable', 'This node is restarting');
    const token = (request.query as { token?: unknown }).token;
    request.socketVisitor = await authenticateVisitor(
      this.deps.ctx.db,
      this.deps.signer,
      typeof token === 'string' ? token : undefined,
      callOrigin(request),
    );
  }

  private async authenticateOperator(request: FastifyRequest): Promise<void> {
    if (this.draining) throw new DomainError('unavailable', 'This node is restarting');
    if (!isOwnOrigin(callOrigin(request)))
      throw new DomainError('forbidden', 'Cross-origin operator socket refused');
    const principal = await authenticateOperator(this.deps.ctx.db, request.cookies[SESSION_COOKIE]);
    if (!principal) throw new DomainError('unauthorized', 'Log in first');
    request.socketOperator = principal;
  }

  /** Closes the socket if the visitor's tokens are revoked; hands it a fresh token when its own is due. */
  private watchVisitorAccess(connection: SocketConnection, visitor: AuthenticatedVisitor): void {
    this.access.watchVisitor(connection.ws, visitor.visitorId, {
      renewAt: this.deps.signer.renewalDueAt(visitor.tokenExpiresAt),
      renew: () => {
        const fresh = visitorTokenRenewer(this.deps.signer, visitor);
        connection.send({
          type: 'visitor.token',
          data: { visitorToken: fresh.token, expiresAt: fresh.expiresAt.toISOString() },
        } satisfies { type: 'visitor.token'; data: VisitorServerEvents['visitor.token'] });
      },
    });
  }

  private async sendAvailability(connection: SocketConnection, siteId: string): Promise<void> {
    try {
      const operators = availableOperators(await getSitePresence(this.deps.ctx, siteId));
      connection.send({ type: 'availability.updated', data: { online: operators.length > 0, operators } });
    } catch (error) {
      this.deps.log.warn({ err: error }, 'could not send availability');
    }
  }

  private async trackOperatorPresence(operatorId: string, delta: 1 | -1): Promise<void> {
    try {
      await this.deps.ctx.presence.changeConnections(operatorId, delta);
      await publishPresenceOfOperator(this.deps.ctx, operatorId);
      // A console connecting (an online operator's reconnect included) may take waiting chats.
      if (delta === 1) await routeSitesOfOperator(this.deps.ctx, operatorId);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'presence update failed');
    }
  }
}
