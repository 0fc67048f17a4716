/**
 * A site's departments and operators as routing knows them, fetched once per
 * site and shared by every component that asks (the inbox filter, the
 * transfer dialog); the settings page refreshes it after a change.
 */
import type { SiteRoutingResponse } from '@parley/protocol';
import { useEffect, useState } from 'react';
import type { HttpClient } from '../../api/http-client';
import { useWorkspace } from '../shell/workspace-context';
import { routingApi } from './routing-api';

const cache = new Map<string, Promise<SiteRoutingResponse>>();
const listeners = new Set<() => void>();

export function loadSiteRouting(
  http: HttpClient,
  siteId: string,
  fresh = false,
): Promise<SiteRoutingResponse> {
  let pending = cache.get(siteId);
  if (!pending || fresh) {
    pending = routingApi(http).get(siteId);
    cache.set(siteId, pending);
    pending.catch(() => cache.delete(siteId));
    for (const listener of listeners) listener();
  }
  return pending;
}

/** Routing data of each given site (missing while loading or when it failed). */
export function useSitesRouting(siteIds: readonly string[]): Record<string, SiteRoutingResponse> {
  const workspace = useWorkspace();
  const [loaded, setLoaded] = useState<Record<string, SiteRoutingResponse>>({});
  const key = siteIds.join(',');
  useEffect(() => {
    let live = true;
    const load = () => {
      for (const siteId of key ? key.split(',') : [])
        loadSiteRouting(workspace.http, siteId).then(
          (routing) => live && setLoaded((s) => ({ ...s, [siteId]: routing })),
          () => {},
        );
    };
    load();
    listeners.add(load);
    return () => {
      live = false;
      listeners.delete(load);
    };
  }, [workspace, key]);
  return loaded;
}
