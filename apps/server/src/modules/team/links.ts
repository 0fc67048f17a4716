/**
 * One-time team links: an invitation (sets a new member's name and password)
 * or a password reset (sets an existing member's password). A link carries a
 * random token; only its SHA-256 is stored, so a leaked table opens nothing.
 * A link is usable once, for `TEAM_LINK_TTL_DAYS`, until revoked or replaced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TEAM_LINK_PAGES, TEAM_LINK_TTL_DAYS, type TeamLinkState } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { TeamLinkRow } from '../../db/schema.js';

export const TEAM_LINK_TTL_MS = TEAM_LINK_TTL_DAYS * 24 * 3600_000;

export const tokenHashOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export const newLinkToken = () => randomBytes(32).toString('base64url');

/** The console address a link opens: the token in the fragment, which browsers never send to a server. */
export function linkUrl(baseUrl: string, kind: TeamLinkRow['kind'], token: string): string {
  return `${baseUrl.replace(/\/$/, '')}${TEAM_LINK_PAGES[kind]}#${token}`;
}

/** The token in a link made by `linkUrl`. */
export function tokenOfUrl(url: string): string {
  return url.slice(url.indexOf('#') + 1);
}

export function linkState(
  link: Pick<TeamLinkRow, 'used_at' | 'revoked_at' | 'expires_at'>,
  now = new Date(),
): TeamLinkState {
  if (link.used_at) return 'used';
  if (link.revoked_at) return 'revoked';
  if (link.expires_at.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

export async function findLinkByToken(
  db: Queryable,
  token: string,
  options: { lock?: boolean } = {},
): Promise<TeamLinkRow | undefined> {
  let query = db.selectFrom('team_links').selectAll().where('token_hash', '=', tokenHashOf(token));
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface NewLink {
  kind: TeamLinkRow['kind'];
  email: string;
  role?: TeamLinkRow['role'];
  siteIds?: string[];
  operatorId?: string | null;
  createdBy: string | null;
}

/** Writes a link with a fresh token (in the caller's transaction); returns its row and the token, which is not stored. */
export async function linkWriter(
  db: Queryable,
  link: NewLink,
  now = new Date(),
): Promise<{ row: TeamLinkRow; token: string }> {
  const token = newLinkToken();
  const row = await db
    .insertInto('team_links')
    .values({
      kind: link.kind,
      token_hash: tokenHashOf(token),
      email: link.email,
      role: link.role ?? null,
      site_ids: link.siteIds ?? [],
      operator_id: link.operatorId ?? null,
      created_by: link.createdBy,
      expires_at: new Date(now.getTime() + TEAM_LINK_TTL_MS),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, token };
}

/** Gives a link a fresh token and a fresh week (a re-sent invitation): the old link stops working. */
export async function linkRenewer(
  db: Queryable,
  linkId: string,
  now = new Date(),
): Promise<{ row: TeamLinkRow; token: string } | undefined> {
  const token = newLinkToken();
  const row = await db
    .updateTable('team_links')
    .set({ token_hash: tokenHashOf(token), expires_at: new Date(now.getTime() + TEAM_LINK_TTL_MS) })
    .where('id', '=', linkId)
    .returningAll()
    .executeTakeFirst();
  await forgetDelivery(db, linkId);
  return row && { row, token };
}

/** Ends a link without using it, and forgets the copy waiting in the console. */
export async function linkRevoker(db: Queryable, linkId: string): Promise<void> {
  await db
    .updateTable('team_links')
    .set({ revoked_at: new Date() })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .execute();
  await forgetDelivery(db, linkId);
}

/** The console's copy of a link goes when the link can no longer be used (or is replaced). */
export async function forgetDelivery(db: Queryable, linkId: string): Promise<void> {
  await db.deleteFrom('team_link_deliveries').where('link_id', '=', linkId).execute();
}
