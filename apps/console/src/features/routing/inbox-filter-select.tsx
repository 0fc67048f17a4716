/** The inbox's "Show" select: all, mine, unassigned, each colleague, each department of my sites. */
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';
import type { InboxFilter } from './inbox-filter';
import { loadSiteRouting, useSitesRouting } from './use-site-routing';

export function InboxFilterSelect({
  value,
  onChange,
}: {
  value: InboxFilter;
  onChange(filter: InboxFilter): void;
}) {
  const { t } = useI18n();
  const me = useInbox((s) => s.operator.id);
  const sites = useInbox((s) => s.sites);
  const routing = useSitesRouting(sites.map((s) => s.id));
  const workspace = useWorkspace();
  const conversations = useInbox((s) => s.conversations);
  const asked = useRef(new Set<string>());
  // A chat of a department created since the list was loaded: fetch its site's departments again (once).
  useEffect(() => {
    for (const c of Object.values(conversations)) {
      const site = routing[c.siteId];
      if (!c.departmentId || !site || asked.current.has(c.departmentId)) continue;
      if (site.departments.some((d) => d.id === c.departmentId)) continue;
      asked.current.add(c.departmentId);
      void loadSiteRouting(workspace.http, c.siteId, true).catch(() => {});
    }
  }, [conversations, routing, workspace]);
  const operators = new Map<string, string>();
  const departments: { id: string; name: string }[] = [];
  for (const site of Object.values(routing)) {
    for (const o of site.operators) if (o.id !== me) operators.set(o.id, o.displayName);
    departments.push(...site.departments);
  }
  return (
    <label className="inbox-filter">
      <span>{t('routing.filter')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value as InboxFilter)}>
        <option value="all">{t('routing.filter.all')}</option>
        <option value="mine">{t('routing.filter.mine')}</option>
        <option value="unassigned">{t('routing.filter.unassigned')}</option>
        {[...operators].map(([id, name]) => (
          <option key={id} value={`operator:${id}`}>
            {t('routing.filter.operator', { name })}
          </option>
        ))}
        {departments.map((d) => (
          <option key={d.id} value={`department:${d.id}`}>
            {t('routing.filter.department', { name: d.name })}
          </option>
        ))}
      </select>
    </label>
  );
}
