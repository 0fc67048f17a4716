/**
 * Reads the snippet's settings from the loader's own `<script>` tag: the site
 * key (`data-site`), an optional `data-language`, and where the chat frame
 * lives (next to loader.js, on Parley's origin).
 */

export interface LoaderConfig {
  siteKey: string;
  /** Used by the chat when the site's language setting is 'auto'. */
  language: string | null;
  /** frame.html?site=KEY#<this page's origin> */
  frameUrl: string;
  frameOrigin: string;
}

/** Null when the script tag cannot be found or has no site key: the loader then stays silent. */
export function readConfig(): LoaderConfig | null {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-site][src*="loader"]');
  const siteKey = script?.getAttribute('data-site');
  if (!script?.src || !siteKey) return null;
  const frame = new URL('frame.html', script.src);
  frame.searchParams.set('site', siteKey);
  // The frame addresses its first message to this origin only (see frame-messages.ts).
  frame.hash = encodeURIComponent(location.origin);
  return {
    siteKey,
    language: script.getAttribute('data-language'),
    frameUrl: frame.href,
    frameOrigin: frame.origin,
  };
}
