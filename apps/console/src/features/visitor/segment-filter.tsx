/** The lists' segment filter, beside the tag filter: every segment of the operator's sites, or all visitors. */
import { useMemo } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useInbox, useWorkspace } from '../shell/workspace-context';

export function SegmentFilter() {
  const { t } = useI18n();
  const workspace = useWorkspace();
  const siteSegments = useInbox((s) => s.siteSegments);
  const filter = useInbox((s) => s.segmentFilter);
  const sites = useInbox((s) => s.sites);
  const options = useMemo(
    () =>
      sites.flatMap((site) =>
        (siteSegments[site.id] ?? []).map((segment) => ({
          id: segment.id,
          label: sites.length > 1 ? `${segment.name} (${site.name})` : segment.name,
        })),
      ),
    [sites, siteSegments],
  );
  if (options.length === 0 && !filter) return null;
  return (
    <label className="tag-filter">
      <span>{t('segments.filter')}</span>
      <select value={filter ?? ''} onChange={(e) => workspace.setSegmentFilter(e.target.value || null)}>
        <option value="">{t('segments.filterAll')}</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}
