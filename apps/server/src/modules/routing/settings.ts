/**
 * A site's routing settings: how new conversations are assigned, when a
 * waiting chat escalates, whether the widget offers departments. A site
 * without a row of its own uses `ROUTING_DEFAULTS`.
 */
import { ROUTING_DEFAULTS, type RoutingSettingsDTO, type UpdateRoutingRequest } from '@parley/protocol';
import type { Queryable } from '../../db/database.js';
import type { SiteRoutingTable } from '../../db/schema.js';
import { badRequest } from '../errors.js';

function present(row: SiteRoutingTable | undefined): RoutingSettingsDTO {
  if (!row) {
    const { chatLimit: _, ...defaults } = ROUTING_DEFAULTS;
    return { ...defaults };
  }
  return {
    mode: row.mode,
    alertAfterSeconds: row.alert_after_seconds,
    escalateAfterSeconds: row.escalate_after_seconds,
    departmentPicker: row.department_picker,
  };
}

export async function getRoutingSettings(db: Queryable, siteId: string): Promise<RoutingSettingsDTO> {
  const row = await db
    .selectFrom('site_routing')
    .selectAll()
    .where('site_id', '=', siteId)
    .executeTakeFirst();
  return present(row);
}

/** Applies changes over the current settings; the alert must come before the escalation to everyone. */
export async function routingSettingsUpdater(
  db: Queryable,
  siteId: string,
  changes: UpdateRoutingRequest,
): Promise<RoutingSettingsDTO> {
  const next = { ...(await getRoutingSettings(db, siteId)), ...changes };
  if (next.alertAfterSeconds >= next.escalateAfterSeconds)
    throw badRequest('The alert must come before the escalation to every operator');
  const row = {
    site_id: siteId,
    mode: next.mode,
    alert_after_seconds: next.alertAfterSeconds,
    escalate_after_seconds: next.escalateAfterSeconds,
    department_picker: next.departmentPicker,
  };
  await db
    .insertInto('site_routing')
    .values(row)
    .onConflict((oc) => oc.column('site_id').doUpdateSet(row))
    .execute();
  return present(row);
}
