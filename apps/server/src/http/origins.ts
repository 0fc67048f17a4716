/**
 * Where a request comes from. The widget's frame runs on Parley's own origin;
 * the loader runs on the site's pages, which must be among the site's allowed
 * origins. Consoles must be on Parley's own origin.
 */
import type { FastifyRequest } from 'fastify';

/** Parley's own origin as this request reached it. */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** True for no Origin (a non-browser client), Parley's own origin, or one of the site's allowed origins. */
export function isWidgetOriginAllowed(request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  if (origin === ownOrigin(request)) return true;
  return allowedOrigins.some((allowed) => normalizeOrigin(allowed) === origin);
}

/** Same-origin check for operator sockets and writes: blocks cross-site WebSocket hijacking. */
export function isOwnOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return !origin || origin === ownOrigin(request);
}
