/**
 * Where a call comes from, for both transports. The widget's frame runs on
 * Parley's own origin; the loader runs on the site's pages, which must be
 * among the site's allowed origins. Consoles must be on Parley's own origin
 * (this blocks cross-site WebSocket hijacking and login CSRF).
 */

/** The browser's `Origin` header, if any, and Parley's own origin as this call reached it. */
export interface CallOrigin {
  origin: string | undefined;
  own: string;
}

/** What both transports' requests (an HTTP call, a WebSocket upgrade) carry. */
export interface OriginSource {
  protocol: string;
  hostname: string;
  headers: { host?: string; origin?: string };
}

export function callOrigin(request: OriginSource): CallOrigin {
  return {
    origin: request.headers.origin,
    own: `${request.protocol}://${request.headers.host ?? request.hostname}`,
  };
}

/** `scheme://host[:port]` of an http(s) URL, or null for anything else. */
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
export function isWidgetOriginAllowed(from: CallOrigin, allowedOrigins: readonly string[]): boolean {
  if (!from.origin) return true;
  if (from.origin === from.own) return true;
  return allowedOrigins.some((allowed) => normalizeOrigin(allowed) === from.origin);
}

/** True for no Origin or Parley's own: what operator calls must come from. */
export function isOwnOrigin(from: CallOrigin): boolean {
  return !from.origin || from.origin === from.own;
}
