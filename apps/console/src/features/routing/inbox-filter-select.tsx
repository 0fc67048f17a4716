/** The inbox's "Show" select: all, mine, unassigned, each colleague, each department of my sites. */
import { useI18n } from '../../i18n/i18n';
import { useInbox } from '../shell/workspace-context';
import type { InboxFilter } from './inbox-filter';
import { useSitesRouting } from './use-site-routing';

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
