/**
 * Who is acting, as the policy sees them: an operator (a role and the sites
 * they work on) or a visitor (one visitor of one site). Both transports build
 * these at authentication and pass them to every check.
 */
import type { OperatorRole } from '@parley/protocol';

export interface OperatorActor {
  kind: 'operator';
  operatorId: string;
  role: OperatorRole;
  /** The sites the operator works on, read when the session was authenticated. */
  siteIds: readonly string[];
}

export interface VisitorActor {
  kind: 'visitor';
  visitorId: string;
  siteId: string;
}

export type Actor = OperatorActor | VisitorActor;
