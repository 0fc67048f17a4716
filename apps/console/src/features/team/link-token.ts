/** The token of a one-time team link the console was opened with, read from the address's fragment. */
import { TEAM_LINK_PAGES } from '@parley/protocol';

const PAGES: readonly string[] = Object.values(TEAM_LINK_PAGES);

export function teamLinkToken(at: { pathname: string; hash: string }): string | null {
  if (!PAGES.includes(at.pathname.replace(/\/$/, ''))) return null;
  return at.hash.slice(1) || '';
}
