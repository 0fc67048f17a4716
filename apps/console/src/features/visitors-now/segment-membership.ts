/**
 * The segment filter of "visitors now": which of the rows on screen are in the chosen segment.
 * Membership is the server's to decide (segments compile to SQL over visits, pages and events), so
 * the console asks `POST /api/sites/:id/segments/membership` for the visitors it shows: new rows as
 * they arrive, and everyone again every `REFRESH_MS` (a visitor enters a segment by what they do on
 * the site now). Rows whose membership is not known yet stay hidden until it is.
 */
import { SEGMENT_LIMITS, type VisitorNowDTO } from '@parley/protocol';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HttpClient } from '../../api/http-client';
import { segmentsApi } from '../visitor/dossier-api';

const REFRESH_MS = 30_000;

/** Visitor id → their segment ids, as last answered. */
type Members = Map<string, string[]>;

/** The rows in `segmentId` (all rows when null). */
export function useSegmentRows(
  http: HttpClient,
  siteId: string | null,
  segmentId: string | null,
  rows: VisitorNowDTO[],
): VisitorNowDTO[] {
  const [members, setMembers] = useState<Members>(new Map());
  const asked = useRef(new Set<string>());
  const [round, setRound] = useState(0);

  // Another site or segment, or the periodic refresh: ask about everyone again.
  // biome-ignore lint/correctness/useExhaustiveDependencies: round and segmentId restart the round on purpose
  useEffect(() => {
    asked.current = new Set();
    setMembers(new Map());
  }, [siteId, segmentId, round]);
  useEffect(() => {
    if (!segmentId) return;
    const timer = setInterval(() => setRound((r) => r + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [segmentId]);

  useEffect(() => {
    if (!siteId || !segmentId) return;
    const unknown = rows.map((row) => row.visitorId).filter((id) => !asked.current.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) asked.current.add(id);
    const batch = asked.current;
    for (let at = 0; at < unknown.length; at += SEGMENT_LIMITS.membershipVisitors) {
      const ids = unknown.slice(at, at + SEGMENT_LIMITS.membershipVisitors);
      segmentsApi(http)
        .membership(siteId, ids)
        .then(({ members: answer }) => {
          if (asked.current !== batch) return; // a newer round started meanwhile
          setMembers((current) => {
            const next = new Map(current);
            for (const id of ids) next.set(id, answer[id] ?? []);
            return next;
          });
        })
        .catch(() => {
          // Asked again with the next new row or refresh.
          for (const id of ids) batch.delete(id);
        });
    }
  }, [http, siteId, segmentId, rows]);

  return useMemo(
    () => (segmentId ? rows.filter((row) => members.get(row.visitorId)?.includes(segmentId)) : rows),
    [rows, members, segmentId],
  );
}
