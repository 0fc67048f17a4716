/**
 * Who is available on a site: an operator counts as online when their status
 * is "online" and a console of theirs is connected to some node right now.
 * This is what decides whether a visitor sees the chat or the request form.
 */
import type { OperatorPresenceDTO, PublicOperatorDTO } from '@parley/protocol';
import type { DomainContext } from '../context.js';
import { presentPublicOperator } from './presenter.js';
import { listOperatorsOfSite } from './queries.js';

export async function getSitePresence(
  ctx: Pick<DomainContext, 'db' | 'presence'>,
  siteId: string,
): Promise<OperatorPresenceDTO[]> {
  const operators = await listOperatorsOfSite(ctx.db, siteId);
  const connected = await ctx.presence.connectedOperators(operators.map((o) => o.id));
  return operators.map((o) => ({
    ...presentPublicOperator(o),
    status: o.status,
    connected: connected.has(o.id),
    openConversations: Number(o.open_conversations),
  }));
}

/** Operators a visitor may be told about: online and connected. */
export function availableOperators(presence: readonly OperatorPresenceDTO[]): PublicOperatorDTO[] {
  return presence
    .filter((p) => p.status === 'online' && p.connected)
    .map(({ id, displayName, avatarUrl }) => ({ id, displayName, avatarUrl }));
}

export async function publishSitePresence(ctx: DomainContext, siteId: string): Promise<void> {
  const operators = await getSitePresence(ctx, siteId);
  await ctx.bus.publish({ type: 'presence.updated', siteId, operators });
}
