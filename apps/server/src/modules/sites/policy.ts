/** Who may change a site: its owners and admins. Operators answer chats but do not reconfigure the widget. */
import type { OperatorRow } from '../../db/schema.js';
import { forbidden } from '../errors.js';

export function assertCanConfigureSite(
  operator: Pick<OperatorRow, 'role'>,
  operatorSiteIds: readonly string[],
  siteId: string,
): void {
  if (!operatorSiteIds.includes(siteId)) throw forbidden();
  if (operator.role !== 'owner' && operator.role !== 'admin')
    throw forbidden('Only owners and admins change site settings');
}
