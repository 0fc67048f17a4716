/**
 * Which visitor a token lets in. Sockets and widget HTTP calls need a token
 * that is signed, unexpired, of the visitor's current generation (not
 * revoked), of a visitor that still exists; starting a widget session is
 * more forgiving (see `knownVisitorOf`) because it only decides whether the
 * browser is a returning visitor or a new one. Revoking is one write, and
 * every node cuts the visitor's live sockets.
 */
import type { Queryable } from '../../db/database.js';
import type { DomainContext } from '../context.js';
import { DomainError } from '../errors.js';
import type { IssuedVisitorToken, VisitorIdentity, VisitorTokenSigner } from './tokens.js';

export interface VisitorAccess extends VisitorIdentity {
  generation: number;
  tokenExpiresAt: Date;
  /** The site's allowed origins, for the transport's origin check. */
  allowedOrigins: string[];
}

const refused = () => new DomainError('unauthorized', 'Missing, expired or revoked visitor token');

/** The visitor behind a token, for a socket or an HTTP call; `unauthorized` otherwise. */
export async function visitorTokenChecker(
  db: Queryable,
  signer: VisitorTokenSigner,
  token: string | undefined,
): Promise<VisitorAccess> {
  const claims = token ? signer.verify(token) : null;
  if (!claims?.expiresAt) throw refused();
  const row = await db
    .selectFrom('visitors')
    .innerJoin('sites', 'sites.id', 'visitors.site_id')
    .select(['visitors.token_generation', 'sites.allowed_origins'])
    .where('visitors.id', '=', claims.visitorId)
    .where('visitors.site_id', '=', claims.siteId)
    .executeTakeFirst();
  if (!row || row.token_generation !== claims.generation) throw refused();
  return {
    visitorId: claims.visitorId,
    siteId: claims.siteId,
    generation: claims.generation,
    tokenExpiresAt: claims.expiresAt,
    allowedOrigins: row.allowed_origins,
  };
}

/**
 * The returning visitor a widget session's token names, if it is a valid
 * token of this site (an old token without expiry counts: it is being
 * exchanged). The arrival recorder still checks the visitor exists and the
 * generation is current; otherwise the browser starts as a new visitor.
 */
export function knownVisitorOf(
  signer: VisitorTokenSigner,
  token: string | undefined,
  siteId: string,
): { id: string; tokenGeneration: number } | null {
  const claims = token ? signer.verify(token) : null;
  return claims && claims.siteId === siteId
    ? { id: claims.visitorId, tokenGeneration: claims.generation }
    : null;
}

/** A fresh token for a visitor already let in (renewal over a live socket). */
export function visitorTokenRenewer(
  signer: VisitorTokenSigner,
  visitor: VisitorIdentity & { generation: number },
): IssuedVisitorToken {
  return signer.issue({
    visitorId: visitor.visitorId,
    siteId: visitor.siteId,
    generation: visitor.generation,
  });
}

/**
 * Revokes every token the visitor holds, in one write, and has every node
 * close the visitor's sockets. The widget then starts afresh as a new visitor.
 */
export async function visitorTokensRevoker(ctx: DomainContext, visitorId: string): Promise<boolean> {
  const row = await ctx.db
    .updateTable('visitors')
    .set((eb) => ({ token_generation: eb('token_generation', '+', 1) }))
    .where('id', '=', visitorId)
    .returning('id')
    .executeTakeFirst();
  if (!row) return false;
  await ctx.bus.publish({ type: 'visitor.tokens.revoked', visitorId });
  return true;
}
