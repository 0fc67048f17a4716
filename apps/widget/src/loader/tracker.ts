/**
 * Tracking from the host page, before (and without) any chat frame: the page a visitor opens, the
 * pages a single-page shop moves to, time spent, a ping while the page stays in front, the site's
 * own events (`Parley('track', …)`) and, where the site captures them, an email typed into one of
 * its forms. Items are batched and posted to Parley as text/plain (no preflight) with fetch
 * keepalive, or sendBeacon when the page hides. A batch that failed goes again later with the same
 * item ids, which the server writes once.
 *
 * Tiny on purpose (it runs on every page of every site) and never throws on the host page: every
 * entry point is wrapped.
 */
import type { API_PATHS, TrackBatch, TrackItem, TrackResponse } from '@parley/protocol';
import type { SafeStorage } from '../shared/safe-storage.js';

/** Checked against the protocol at compile time, without bundling its table of paths. */
const TRACK_PATH: (typeof API_PATHS)['widgetTrack'] = '/api/widget/track';
const PING_EVERY = 25_000;
/** An item before it leaves: `ago` is worked out when its batch does. */
type Item = TrackItem extends infer T ? (T extends TrackItem ? Omit<T, 'ago'> : never) : never;
/** Items and their moment. */
type Queued = [Item, number];
/** The subset of TrackResponse this file reads. */
type Answer = Pick<TrackResponse, 'visitorToken' | 'stop' | 'capture' | 'unseen'>;

export interface Tracker {
  /** Reports the page as it is now (Parley('page'), or the page watcher's change). */
  page(): void;
  /** Called by the page watcher with every change: only a new address is a new page. */
  moved(): void;
  track(name: unknown, props: unknown): void;
  /** While no token has come: this new visitor's key, for the chat frame's session to be the same visitor. */
  newVisitorKey(): string | undefined;
}

export interface TrackerOptions {
  siteKey: string;
  /** Parley's origin (where loader.js came from). */
  origin: string;
  storage: SafeStorage;
  /** `parley:<siteKey>:<name>`: the token is shared with the chat frame. */
  key: (name: string) => string;
  /** Operator messages wait for the visitor: open the frame quietly. */
  onUnseen: () => void;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;
/** Fields that may hold an email; never passwords or payment details (type, autocomplete, name). */
const PRIVATE = /pass|card|cc-|cvc|cvv|iban|account|secret|pin/i;

let counter = 0;
const newId = () =>
  Date.now().toString(36) + Math.random().toString(36).slice(2, 8) + (counter++).toString(36);

/** Runs fn, swallowing anything: a tracker's mistake must never reach the host page. */
export function safe<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch {
      // Never throw on the host page.
    }
  };
}

export function startTracker(options: TrackerOptions): Tracker {
  const { storage, key } = options;
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  const dnt = nav.doNotTrack === '1' || nav.globalPrivacyControl === true;
  const stopped = storage.get(key('stop'));
  let off = dnt && !!stopped && Date.now() - Number(stopped) < 864e5;
  let queue: Queued[] = [];
  let busy = false;
  /** Batches failed in a row (network, server busy): the wait before the next try doubles with each. */
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pageId = '';
  let shownAt = 0;
  let shownMs = 0;
  let lastUrl = '';
  let lastSent = 0;
  let captured = '';
  /** A `leave` closed the current page (tab hidden); coming back opens it again. */
  let closed = false;

  const push = (item: Item) => {
    if (off) return;
    queue.push([item, Date.now()]);
    clearTimeout(timer);
    // A new visitor's first batch goes soon (300 ms: after the page's own start, which the main-thread
    // budget measures): its answer carries the token the next page needs. A page left before then sends
    // it by beacon, and its key (newKey) keeps the next page the same visitor.
    timer = setTimeout(flush, storage.get(key('token')) ? 1000 : 300);
  };
  // A new visitor's key, made now and kept until a token comes (TrackBatch.newVisitorKey): the first
  // answer's token dies with a page left before it was read, and the next page must not be a stranger.
  const newKey = () => {
    let made = storage.get(key('new'));
    if (!made) {
      made = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
        (b + 256).toString(16).slice(1),
      ).join('');
      storage.set(key('new'), made);
    }
    return made;
  };
  const body = (items: Queued[]) => {
    const now = Date.now();
    const token = storage.get(key('token'));
    const batch: TrackBatch = {
      siteKey: options.siteKey,
      visitorToken: token,
      ...(!token && { newVisitorKey: newKey() }),
      items: items.map(([item, at]) => ({ ...item, ago: Math.max(0, now - at) }) as TrackItem),
      ...(dnt && { dnt }),
    };
    return JSON.stringify(batch);
  };
  // `sentWith`: the token the batch carried. Another part (identify, the chat frame) may have stored a new
  // one while the batch was on its way: then that one stays, never this answer's older token.
  const answered = (answer: Answer, sentWith: string | null) => {
    if (answer.stop) {
      off = true;
      queue = [];
      storage.set(key('stop'), String(Date.now()));
      return;
    }
    if (storage.get(key('token')) === sentWith) storage.set(key('token'), answer.visitorToken);
    storage.remove(key('new'));
    storage.set(key('capture'), answer.capture ? '1' : '');
    if (answer.capture) listenForEmails();
    if (answer.unseen) options.onUnseen();
  };
  const flush = () => {
    // One batch at a time: the first one's answer carries a new visitor's token for the next.
    if (busy || off || !queue.length) return;
    const items = queue.splice(0, 50);
    busy = true;
    lastSent = Date.now();
    const sentWith = storage.get(key('token'));
    fetch(options.origin + TRACK_PATH, {
      method: 'POST',
      body: body(items),
      keepalive: true,
      credentials: 'omit',
    })
      .then((response) => {
        // Refused (bad input, rate limited): sending the same again would be refused again.
        if (response.status >= 500) throw 0;
        failures = 0;
        return response.ok ? response.json().then((answer: Answer) => answered(answer, sentWith)) : undefined;
      })
      .catch(() => {
        // Network or server trouble (a busy server answers 503): the same items (same ids) go again
        // later, waiting longer after each failure (5 s, 10 s … 80 s, ±50 %) so a crowd of loaders
        // spreads out instead of coming back together.
        queue = items.concat(queue);
        failures++;
      })
      .then(
        safe(() => {
          busy = false;
          if (queue.length)
            timer = setTimeout(
              flush,
              failures ? 2500 * 2 ** Math.min(failures, 5) * (0.5 + Math.random()) : 5000,
            );
        }),
      );
  };
  /** The page hides (or is closed): what is left goes by beacon, which outlives the page. */
  const hide = safe(() => {
    if (off || !pageId) return;
    if (shownAt) shownMs += Date.now() - shownAt;
    shownAt = 0;
    push({ t: 'leave', id: newId(), pageId, seconds: Math.round(shownMs / 1000) });
    closed = true;
    clearTimeout(timer);
    // Even beside a batch still on its way (a new visitor's has their key, not a token to wait for).
    const items = queue.splice(0, 50);
    const sent = navigator.sendBeacon?.(options.origin + TRACK_PATH, body(items));
    if (!sent) queue = items.concat(queue);
  });

  const page = (referrer?: string) => {
    if (pageId && shownAt) {
      push({ t: 'leave', id: newId(), pageId, seconds: Math.round((shownMs + Date.now() - shownAt) / 1000) });
    }
    pageId = newId();
    closed = false;
    shownAt = document.hidden ? 0 : Date.now();
    shownMs = 0;
    lastUrl = location.href;
    push({
      t: 'page',
      id: pageId,
      url: lastUrl.slice(0, 2048),
      title: document.title.slice(0, 300),
      ...(referrer && { referrer: referrer.slice(0, 2048) }),
    });
  };

  const consider = (field: Element | null) => {
    const input = field as HTMLInputElement | null;
    if (input?.tagName !== 'INPUT' || !/^(email|text|)$/.test(input.type)) return;
    if (PRIVATE.test(`${input.autocomplete} ${input.name} ${input.id}`)) return;
    const email = input.value.trim();
    if (email.length > 254 || !EMAIL.test(email) || email === captured) return;
    captured = email;
    push({ t: 'email', id: newId(), email });
  };
  let listening = false;
  function listenForEmails() {
    if (listening) return;
    listening = true;
    document.addEventListener(
      'change',
      safe((event: Event) => consider(event.target as Element)),
      true,
    );
    document.addEventListener(
      'submit',
      safe((event: Event) => {
        for (const field of Array.from((event.target as HTMLFormElement).elements ?? [])) consider(field);
        flush();
      }),
      true,
    );
  }

  if (!off) {
    page(document.referrer);
    if (storage.get(key('capture'))) listenForEmails();
    addEventListener('pagehide', hide);
    document.addEventListener(
      'visibilitychange',
      safe(() => {
        if (document.hidden) return hide();
        if (!shownAt) shownAt = Date.now();
        // Back on a page a leave closed: one ping naming it reopens it ("visitors now" shows them again).
        if (closed && pageId) {
          closed = false;
          push({ t: 'ping', id: newId(), pageId });
        }
      }),
    );
    setInterval(
      safe(() => {
        if (document.hidden || off || Date.now() - lastSent < PING_EVERY - 1000) return;
        push({ t: 'ping', id: newId() });
        flush();
      }),
      // Checked often, sent rarely: a ping goes ~25 s after the last batch, not up to twice that.
      5000,
    );
  }

  return {
    newVisitorKey: () => {
      try {
        return off || storage.get(key('token')) ? undefined : newKey();
      } catch {
        return undefined;
      }
    },
    page: safe(() => page()),
    moved: safe(() => {
      if (location.href !== lastUrl) page();
    }),
    track: safe((name: unknown, props: unknown) => {
      if (typeof name !== 'string' || !name.trim()) return;
      const clean: Record<string, string | number | boolean | null> = {};
      if (props && typeof props === 'object') {
        for (const [k, v] of Object.entries(props).slice(0, 20)) {
          if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
            clean[k.slice(0, 64)] = v;
          else if (typeof v === 'string') clean[k.slice(0, 64)] = v.slice(0, 500);
        }
      }
      push({ t: 'event', id: newId(), name: name.trim().slice(0, 64), props: clean });
    }),
  };
}
