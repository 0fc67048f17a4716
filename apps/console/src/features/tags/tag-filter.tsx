/** The lists' tag filter, beside the other filters: every tag of the operator's sites, or all conversations. */
import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function TagFilter() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const siteTags = useInbox((s) => s.siteTags);
  const filter = useInbox((s) => s.tagFilter);
  const multiSite = useInbox((s) => s.sites.length > 1);
  const sites = useInbox((s) => s.sites);
  const options = useMemo(
    () =>
      sites.flatMap((site) =>
        (siteTags[site.id] ?? []).map((tag) => ({
          id: tag.id,
          label: multiSite ? `${tag.name} (${site.name})` : tag.name,
        })),
      ),
    [sites, siteTags, multiSite],
  );
  if (options.length === 0 && !filter) return null;
  return (
    <label className="tag-filter">
      <span>{t('tags.filter')}</span>
      <select value={filter ?? ''} onChange={(e) => workspace.tags.setFilter(e.target.value || null)}>
        <option value="">{t('tags.filterAll')}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
