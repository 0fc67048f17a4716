/**
 * The canned replies the console knows, per site: loaded once when first
 * needed (the composer's `/`, the settings page), changed through the API
 * and updated in place, so the picker shows a reply saved a moment ago.
 */
import {
  API_PATHS,
  type CannedReplyDTO,
  type CannedReplyList,
  type CannedReplyResponse,
  type CreateCannedReplyRequest,
  type UpdateCannedReplyRequest,
} from '@parley/protocol';
import { useEffect } from 'react';
import type { HttpClient } from '../../api/http-client';
import { Store, useStore } from '../../store/store';

export interface SiteReplies {
  items: CannedReplyDTO[] | null;
  error: string | null;
}

const bySite = new Store<Readonly<Record<string, SiteReplies>>>({});
const loading = new Set<string>();

const put = (siteId: string, change: (items: CannedReplyDTO[]) => CannedReplyDTO[]) =>
  bySite.update((s) => ({ ...s, [siteId]: { items: change(s[siteId]?.items ?? []), error: null } }));

const byShortcut = (a: CannedReplyDTO, b: CannedReplyDTO) => a.shortcut.localeCompare(b.shortcut);

export async function loadCannedReplies(http: HttpClient, siteId: string, force = false): Promise<void> {
  if (loading.has(siteId) || (!force && bySite.get()[siteId]?.items)) return;
  loading.add(siteId);
  try {
    const { items } = await http.request<CannedReplyList>(API_PATHS.cannedReplies(siteId));
    bySite.update((s) => ({ ...s, [siteId]: { items, error: null } }));
  } catch (error) {
    bySite.update((s) => ({
      ...s,
      [siteId]: { items: s[siteId]?.items ?? null, error: (error as Error).message },
    }));
  } finally {
    loading.delete(siteId);
  }
}

/** A site's replies (null until loaded), loading them on first use. */
export function useCannedReplies(http: HttpClient, siteId: string | null): SiteReplies {
  const replies = useStore(bySite, (s) => (siteId ? s[siteId] : undefined));
  useEffect(() => {
    if (siteId) void loadCannedReplies(http, siteId);
  }, [http, siteId]);
  return replies ?? { items: null, error: null };
}

export async function createCannedReply(
  http: HttpClient,
  siteId: string,
  body: CreateCannedReplyRequest,
): Promise<CannedReplyDTO> {
  const { cannedReply } = await http.request<CannedReplyResponse>(API_PATHS.cannedReplies(siteId), {
    json: body,
  });
  put(siteId, (items) => [...items, cannedReply].sort(byShortcut));
  return cannedReply;
}

export async function updateCannedReply(
  http: HttpClient,
  reply: CannedReplyDTO,
  changes: UpdateCannedReplyRequest,
): Promise<CannedReplyDTO> {
  const { cannedReply } = await http.request<CannedReplyResponse>(API_PATHS.cannedReply(reply.id), {
    method: 'PATCH',
    json: changes,
  });
  put(reply.siteId, (items) => items.map((r) => (r.id === reply.id ? cannedReply : r)).sort(byShortcut));
  return cannedReply;
}

export async function deleteCannedReply(http: HttpClient, reply: CannedReplyDTO): Promise<void> {
  await http.request<undefined>(API_PATHS.cannedReply(reply.id), { method: 'DELETE' });
  put(reply.siteId, (items) => items.filter((r) => r.id !== reply.id));
}
