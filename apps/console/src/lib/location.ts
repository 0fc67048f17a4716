/**
 * The address bar as the console's router: `navigate` changes it (a new entry,
 * or in place) and tells `useConsoleRoute` users; Back and Forward do the same
 * through `popstate`. No router library: two views and a few addresses.
 */
import { useSyncExternalStore } from 'react';
import { type ConsoleRoute, routeFromPath } from '../store/routes';

const CHANGED = 'parley:navigate';

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (location.pathname === path) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(CHANGED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGED, onChange);
  };
}

let lastPath = '';
let lastRoute: ConsoleRoute = routeFromPath('/');

/** The current route; the same object while the path is unchanged (useSyncExternalStore needs that). */
function currentRoute(): ConsoleRoute {
  if (location.pathname !== lastPath) {
    lastPath = location.pathname;
    lastRoute = routeFromPath(lastPath);
  }
  return lastRoute;
}

export function useConsoleRoute(): ConsoleRoute {
  return useSyncExternalStore(subscribe, currentRoute);
}
