/**
 * Which canned replies match what the operator typed after `/`: by shortcut,
 * title and body, case-insensitive and in either keyboard layout (`/зкшсу`
 * finds `/price`). Shortcuts that start with the query come first, then
 * shortcuts that contain it, then titles, then bodies; the operator's own
 * replies before shared ones of the same rank.
 */
import type { CannedReplyDTO } from '@parley/protocol';
import { layoutVariants } from './keyboard-layout';

/** How many matches the picker shows: enough to choose from, few enough to scan. */
export const MAX_MATCHES = 8;

function rankOf(reply: CannedReplyDTO, variants: readonly string[]): number {
  const fields = [reply.shortcut.toLowerCase(), reply.title.toLowerCase(), reply.body.toLowerCase()];
  let best = Number.POSITIVE_INFINITY;
  for (const v of variants) {
    if (fields[0]?.startsWith(v)) best = Math.min(best, 0);
    else if (fields[0]?.includes(v)) best = Math.min(best, 1);
    else if (fields[1]?.includes(v)) best = Math.min(best, 2);
    else if (fields[2]?.includes(v)) best = Math.min(best, 3);
  }
  return best;
}

/**
 * @example filterCannedReplies(replies, 'зкш') // the `/price` reply, among others that match
 */
export function filterCannedReplies(
  replies: readonly CannedReplyDTO[],
  query: string,
  limit = MAX_MATCHES,
): CannedReplyDTO[] {
  const variants = layoutVariants(query.trim());
  return replies
    .map((reply) => ({ reply, rank: rankOf(reply, variants) }))
    .filter((m) => Number.isFinite(m.rank))
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        Number(a.reply.scope === 'shared') - Number(b.reply.scope === 'shared') ||
        a.reply.shortcut.localeCompare(b.reply.shortcut),
    )
    .slice(0, limit)
    .map((m) => m.reply);
}
