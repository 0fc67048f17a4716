/**
 * The widget's HTTP calls (same origin as this frame). Network failures,
 * 5xx and 429 are retried with backoff until they land; other 4xx are final.
 * Retrying is safe: a session is resumed by token, a request deduplicated by clientId.
 */

import { backoffDelay, sleep } from '@parley/client';
import {
  API_PATHS,
  type OfflineRequest,
  type OfflineRequestResponse,
  type WidgetSessionRequest,
  type WidgetSessionResponse,
} from '@parley/protocol';

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

async function postJson<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new HttpError(response.status);
  return (await response.json()) as T;
}

const isFinal = (error: unknown) => error instanceof HttpError && error.status < 500 && error.status !== 429;

/** Calls `attempt` until it succeeds or fails finally; `onRetry(true)` while failing, `(false)` when through. */
export async function retrying<T>(
  attempt: () => Promise<T>,
  onRetry: (failing: boolean) => void,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      const result = await attempt();
      if (n > 0) onRetry(false);
      return result;
    } catch (error) {
      if (isFinal(error)) throw error;
      onRetry(true);
      await sleep(backoffDelay(n));
    }
  }
}

export const startSession = (request: WidgetSessionRequest) =>
  postJson<WidgetSessionResponse>(API_PATHS.widgetSession, request);

export const sendOfflineRequest = (token: string, request: OfflineRequest) =>
  postJson<OfflineRequestResponse>(API_PATHS.widgetRequests, request, token);
