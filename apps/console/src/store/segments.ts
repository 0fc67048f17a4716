/**
 * Each site's segments in the store (issue 12): loaded when the workspace starts, replaced by
 * the settings page after each change, read by the inbox's segment filter.
 */
import type { SegmentDTO } from '@parley/protocol';
import { segmentsApi } from '../features/visitor/dossier-api';
import type { InboxState } from './inbox-state';
import type { WorkspaceDeps } from './workspace-deps';

export function withSiteSegments(state: InboxState, siteId: string, segments: SegmentDTO[]): InboxState {
  const sorted = [...segments].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  // A filter by a segment that is gone shows everything again.
  const filterGone =
    state.segmentFilter !== null &&
    state.siteSegments[siteId]?.some((s) => s.id === state.segmentFilter) &&
    !sorted.some((s) => s.id === state.segmentFilter);
  return {
    ...state,
    siteSegments: { ...state.siteSegments, [siteId]: sorted },
    ...(filterGone && { segmentFilter: null, segmentVisitors: {} }),
  };
}

export async function loadSiteSegments(deps: WorkspaceDeps): Promise<void> {
  const { store, http } = deps;
  await Promise.all(
    store.get().sites.map(async (site) => {
      try {
        const { segments } = await segmentsApi(http).list(site.id);
        store.update((s) => withSiteSegments(s, site.id, segments));
      } catch {
        // The filter offers what it has; the settings page loads again when opened.
      }
    }),
  );
}
