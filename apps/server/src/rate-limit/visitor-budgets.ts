/**
 * What visitors may spend per minute, beyond each visitor's own limit: a
 * fresh visitor token costs nothing to get, so messages and new visitors are
 * also budgeted per IP address and per site. Used by the widget's HTTP routes
 * and the visitor socket alike, so both paths draw on the same budgets.
 */
import type { RateLimiter } from './rate-limiter.js';

/** Per-minute budgets, from env.ts. */
export interface VisitorBudgetLimits {
  messagesPerVisitor: number;
  messagesPerIp: number;
  messagesPerSite: number;
  newVisitorsPerIp: number;
  newVisitorsPerSite: number;
}

/** Whose budget ran out: the caller words its refusal after it. */
export type SpentBudget = 'visitor' | 'ip' | 'site';

const MINUTE = 60_000;

/**
 * Counts keys in order and stops at the first that is over: a message the
 * visitor's own limit refuses does not eat into the IP's or the site's budget.
 * One limiter call for all of them (one Redis round trip per message, not three).
 */
async function spend<W extends SpentBudget>(
  limiter: RateLimiter,
  budgets: { key: string; limit: number; who: W }[],
): Promise<W | null> {
  const spent = await limiter.hitEach(budgets, MINUTE);
  return budgets[spent]?.who ?? null;
}

/** One visitor message (socket or offline request); null when it may go, else whose budget is spent. */
export function spendVisitorMessage(
  limiter: RateLimiter,
  limits: VisitorBudgetLimits,
  from: { visitorId: string; siteId: string; ip: string },
): Promise<SpentBudget | null> {
  return spend(limiter, [
    { key: `visitor-message:${from.visitorId}`, limit: limits.messagesPerVisitor, who: 'visitor' },
    { key: `visitor-message-ip:${from.ip}`, limit: limits.messagesPerIp, who: 'ip' },
    { key: `visitor-message-site:${from.siteId}`, limit: limits.messagesPerSite, who: 'site' },
  ]);
}

/** One new visitor (a widget session without a valid token); null when it may start. */
export function spendNewVisitor(
  limiter: RateLimiter,
  limits: VisitorBudgetLimits,
  from: { siteId: string; ip: string },
): Promise<'ip' | 'site' | null> {
  return spend(limiter, [
    { key: `new-visitor-ip:${from.ip}`, limit: limits.newVisitorsPerIp, who: 'ip' },
    { key: `new-visitor-site:${from.siteId}`, limit: limits.newVisitorsPerSite, who: 'site' },
  ]);
}

/** The budgets as env.ts names them. */
export function visitorBudgetsFromEnv(env: {
  VISITOR_MESSAGES_PER_MINUTE: number;
  VISITOR_MESSAGES_PER_IP_PER_MINUTE: number;
  SITE_VISITOR_MESSAGES_PER_MINUTE: number;
  NEW_VISITORS_PER_IP_PER_MINUTE: number;
  NEW_VISITORS_PER_SITE_PER_MINUTE: number;
}): VisitorBudgetLimits {
  return {
    messagesPerVisitor: env.VISITOR_MESSAGES_PER_MINUTE,
    messagesPerIp: env.VISITOR_MESSAGES_PER_IP_PER_MINUTE,
    messagesPerSite: env.SITE_VISITOR_MESSAGES_PER_MINUTE,
    newVisitorsPerIp: env.NEW_VISITORS_PER_IP_PER_MINUTE,
    newVisitorsPerSite: env.NEW_VISITORS_PER_SITE_PER_MINUTE,
  };
}
