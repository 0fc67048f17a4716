/**
 * Who is calling, for both transports: an operator by their session token (a
 * cookie on HTTP calls and socket upgrades alike), a visitor by their signed
 * token, from an origin their site allows. Each transport only finds the
 * token where it travels and passes it here; the answer is an actor for
 * `access.ts`, or a DomainError (401 unknown caller, 403 wrong origin).
 */
import type { Queryable } from '../../db/database.js';
import type { OperatorRow, SiteRow } from '../../db/schema.js';
import { DomainError } from '../errors.js';
import { findActiveSession } from '../operators/sessions.js';
import { findSiteByPublicKey, listSiteIdsOfOperator } from '../sites/queries.js';
import { visitorTokenChecker } from '../visitors/access.js';
import type { VisitorTokenSigner } from '../visitors/tokens.js';
import type { OperatorActor, VisitorActor } from './actors.js';
import { type CallOrigin, isWidgetOriginAllowed } from './origins.js';

/** The cookie that carries an operator's session token. */
export const SESSION_COOKIE = 'parley_session';

/** An authenticated operator: the actor the policy checks, plus what their session needs. */
export interface OperatorPrincipal extends OperatorActor {
  operator: OperatorRow;
  csrfToken: string;
  sessionToken: string;
  /** The session's id (not its secret) and expiry, for sockets that must end with it. */
  session: { id: string; expiresAt: Date };
}

/** The operator whose session `sessionToken` is, or null when there is none or it has expired. */
export async function authenticateOperator(
  db: Queryable,
  sessionToken: string | undefined,
): Promise<OperatorPrincipal | null> {
  if (!sessionToken) return null;
  const session = await findActiveSession(db, sessionToken);
  if (!session) return null;
  const siteIds = await listSiteIdsOfOperator(db, session.operator.id);
  return {
    kind: 'operator',
    operatorId: session.operator.id,
    role: session.operator.role,
    siteIds,
    operator: session.operator,
    csrfToken: session.csrfToken,
    sessionToken,
    session: { id: session.id, expiresAt: session.expiresAt },
  };
}

const originRefused = () => new DomainError('forbidden', 'Origin not allowed for this site');

/** A visitor let in, with what their token says (for its renewal). */
export interface AuthenticatedVisitor extends VisitorActor {
  generation: number;
  tokenExpiresAt: Date;
}

/**
 * The visitor a token belongs to: 401 for a missing, forged, expired or
 * revoked token or one of a deleted visitor (see visitors/access.ts), 403
 * from a foreign origin.
 */
export async function authenticateVisitor(
  db: Queryable,
  signer: VisitorTokenSigner,
  token: string | undefined,
  from: CallOrigin,
): Promise<AuthenticatedVisitor> {
  const access = await visitorTokenChecker(db, signer, token);
  if (!isWidgetOriginAllowed(from, access.allowedOrigins)) throw originRefused();
  const { visitorId, siteId, generation, tokenExpiresAt } = access;
  return { kind: 'visitor', visitorId, siteId, generation, tokenExpiresAt };
}

/** The site a widget names by its public key, when called from a page that site allows. */
export async function siteForWidget(db: Queryable, siteKey: string, from: CallOrigin): Promise<SiteRow> {
  const site = await findSiteByPublicKey(db, siteKey);
  if (!site) throw new DomainError('not_found', 'Unknown site key');
  if (!isWidgetOriginAllowed(from, site.allowed_origins)) throw originRefused();
  return site;
}
