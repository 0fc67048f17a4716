/**
 * The host page's side of Parley: one global `Parley` (replaying calls queued
 * by the snippet's stub), the launcher, and the chat iframe created on first
 * open. Keeps the visitor token in this page's storage and hands it to the
 * frame, so the visitor is the same person on every page and the next visit.
 * Once the frame exists, tells it when the page's address or title changes.
 */
import type { FrameToPageMessage, Language } from '@parley/protocol';
import { browserLanguages, pickLanguage } from '../shared/language.js';
import { safeStorage } from '../shared/safe-storage.js';
import { type LoaderConfig, readConfig } from './config.js';
import { type FrameLink, linkFrame } from './frame-link.js';
import { identifyRequest, postIdentify, visitorOfToken } from './identify.js';
import { LAUNCHER_LABELS } from './labels.js';
import { createLauncher } from './launcher.js';
import { watchPage } from './page-watch.js';
import { startTracker, type Tracker } from './tracker.js';

type Command = 'open' | 'close';
/** `Parley('on', name, fn)`: what the page may listen to. */
type Listened = 'open' | 'close' | 'message';

/** The snippet's stub: calls before the loader arrived sit in `q`. */
interface ParleyStub {
  (...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  open?: () => void;
  close?: () => void;
  loaded?: boolean;
}

declare global {
  interface Window {
    Parley?: ParleyStub;
  }
}

export function startLoader(): void {
  if (window.Parley?.loaded) return;
  const config = readConfig();
  if (!config) return;
  const begin = () => {
    try {
      mount(config);
    } catch {
      // Same promise as index.ts, for the deferred start.
    }
  };
  if (document.body) begin();
  else document.addEventListener('DOMContentLoaded', begin);
}

function mount(config: LoaderConfig): void {
  const storage = safeStorage();
  const key = (name: string) => `parley:${config.siteKey}:${name}`;
  let language: Language = pickLanguage([storage.get(key('lang')), config.language, ...browserLanguages()]);
  const launcher = createLauncher(language, storage.get(key('accent')));
  let link: FrameLink | null = null;
  let isOpen = false;
  const handlers: Record<Listened, ((data?: unknown) => void)[]> = { open: [], close: [], message: [] };
  // A page's handler that throws must not break the widget: each runs on its own.
  const emit = (name: Listened, data?: unknown) => {
    for (const fn of handlers[name]) safely(() => fn(data));
  };

  const onFrameMessage = (message: FrameToPageMessage) => {
    if (message.type === 'close') close(true);
    else if (message.type === 'unread') launcher.setUnread(isOpen ? 0 : message.count);
    else if (message.type === 'message')
      emit('message', { operatorName: message.operatorName, at: message.at });
    else if (message.type === 'open') open();
    else if (message.type === 'bubble' && !isOpen) launcher.setBubble(message.height);
    else if (message.type === 'session') {
      storage.set(key('token'), message.visitorToken);
      storage.set(key('lang'), message.language);
      storage.set(key('accent'), message.accentColor);
      if (message.hasConversation) storage.set(key('active'), '1');
      language = message.language;
      launcher.setLanguage(language);
      launcher.setAccent(message.accentColor);
    }
  };

  const ensureFrame = (): FrameLink => {
    if (link) return link;
    const frame = linkFrame(
      launcher.panel,
      config.frameUrl,
      config.frameOrigin,
      LAUNCHER_LABELS[language].frame,
      onFrameMessage,
    );
    frame.post({
      type: 'init',
      siteKey: config.siteKey,
      visitorToken: storage.get(key('token')),
      newVisitorKey: tracker.newVisitorKey(),
      language: config.language,
      page: { url: location.href, title: document.title, referrer: document.referrer },
      open: isOpen,
    });
    link = frame;
    return frame;
  };

  const open = () => {
    if (isOpen) return;
    isOpen = true;
    ensureFrame().post({ type: 'visibility', open: true });
    launcher.setUnread(0);
    launcher.setOpen(true);
    emit('open');
  };
  // `fromFrame`: the visitor closed it inside the chat, so focus must come back to the page.
  const close = (fromFrame = false) => {
    if (!isOpen) return;
    isOpen = false;
    link?.post({ type: 'visibility', open: false });
    launcher.setOpen(false);
    if (fromFrame) launcher.focus();
    emit('close');
  };

  /**
   * The site says who the visitor is. Sent once per browser for the same fields (a site calls it on
   * every page); when it makes this browser another visitor (a known user), the chat frame, if
   * loaded, starts afresh with the new token and so shows that user's history.
   */
  const identify = (fields: unknown) => {
    const token = storage.get(key('token'));
    const request = identifyRequest(config.siteKey, token, fields);
    if (!request) return;
    const signature = JSON.stringify({ ...request, visitorToken: 0 });
    if (token && storage.get(key('ident')) === signature) return;
    void postIdentify(config.frameOrigin, request).then((answer) => {
      if (!answer) return;
      storage.set(key('ident'), signature);
      storage.set(key('token'), answer.visitorToken);
      if (link && visitorOfToken(answer.visitorToken) !== visitorOfToken(token)) {
        link.remove();
        link = null;
        ensureFrame();
      }
    });
  };

  const quietly = () => {
    const later = () => setTimeout(ensureFrame, 1500);
    if (document.readyState === 'complete') later();
    else window.addEventListener('load', later);
  };
  // Tracking starts with the page, frame or not (tracker.ts); the watcher serves both it and the frame,
  // whichever frame is current (identify may replace it).
  const tracker = startTracker({
    siteKey: config.siteKey,
    origin: config.frameOrigin,
    storage,
    key,
    // The tracking answer says an operator wrote (TrackResponse.unseen): the frame comes quietly
    // (no focus, no sound) and shows the message as a bubble by the launcher.
    onUnseen: () => link || quietly(),
  });
  watchPage((page, returned) => {
    tracker.moved();
    link?.post({ type: 'page', ...page, ...(returned && { returned }) });
  });

  launcher.onClick(open);
  installGlobal({
    tracker,
    open,
    close: () => close(false),
    identify,
    on: (name: unknown, fn: unknown) => {
      if ((name === 'open' || name === 'close' || name === 'message') && typeof fn === 'function')
        handlers[name].push(fn as (data?: unknown) => void);
    },
  });
  // A visitor who has talked before (or whom an operator wrote to) gets the frame quietly, to catch replies (badge).
  if (storage.get(key('active'))) quietly();
}

/** Replaces the stub with the real API, then replays the queued calls in order. */
interface Api extends Record<Command, () => void> {
  identify(fields: unknown): void;
  on(name: unknown, fn: unknown): void;
  tracker: Tracker;
}

function installGlobal(api: Api): void {
  const queued = window.Parley?.q ?? [];
  const parley: ParleyStub = (...args: unknown[]) => {
    const [command, a, b] = args;
    if (command === 'open' || command === 'close') safely(api[command]);
    else if (command === 'identify') safely(() => api.identify(a));
    else if (command === 'on') safely(() => api.on(a, b));
    else if (command === 'track') api.tracker.track(a, b);
    else if (command === 'page') api.tracker.page();
  };
  parley.open = () => safely(api.open);
  parley.close = () => safely(api.close);
  parley.loaded = true;
  window.Parley = parley;
  for (const args of Array.from(queued)) parley(...Array.from(args));
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // Never throw on the host page.
  }
}
