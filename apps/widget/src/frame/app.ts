/**
 * The chat frame's controller. Waits for `init` from the loader, starts or
 * resumes the visitor's session over HTTP, shows the history, then keeps a
 * socket: live messages, typing, availability. On every (re)connect it first
 * catches up with `conversation.sync` from the last seq seen, then delivers
 * the outbox in order. With nobody online it shows the request form instead
 * of the composer. Pages the loader reports go out as `visitor.page`.
 */
import {
  type Language,
  LIMITS,
  type MessageDTO,
  type OfflineRequest,
  type PageToFrameMessage,
  type PublicOperatorDTO,
  type WidgetSessionResponse,
} from '@parley/protocol';
import { browserLanguages, pickLanguage } from '../shared/language.js';
import { safeStorage } from '../shared/safe-storage.js';
import { HttpError, retrying, sendOfflineRequest, startSession } from './api.js';
import { createChatView } from './chat-view.js';
import { newClientId } from './client-id.js';
import { createComposer } from './composer.js';
import { trapFocus } from './focus-trap.js';
import { CATALOGS } from './i18n.js';
import { createOfflineForm, type RequestDraft } from './offline-form.js';
import { Outbox, type OutboxItem } from './outbox.js';
import { linkPage } from './page-link.js';
import { fitPage, PageReporter } from './page-reporter.js';
import { SocketClient } from './socket-client.js';
import { playReplyChime, unlockSoundOnGesture } from './sound.js';
import { Timeline } from './timeline.js';
import { TypingSignal } from './typing.js';

type InitMessage = Extract<PageToFrameMessage, { type: 'init' }>;

const SYNC_PAGE = 500;
/** Grace before showing "Reconnecting…" on the first connect, so a normal start shows nothing. */
const FIRST_CONNECT_GRACE_MS = 2000;
const TYPING_SHOWN_MS = 8000;

export function startFrame(): void {
  let visible = false;
  let booted = false;
  let focusInput: () => void = () => undefined;
  let resetUnread: () => void = () => undefined;
  let pages: PageReporter | null = null;
  const close = () => link?.post({ type: 'close' });
  const link = linkPage((message) => {
    if (message.type === 'init' && !booted) {
      booted = true;
      visible = message.open;
      boot(message);
    } else if (message.type === 'page') {
      pages?.set(fitPage(message.url, message.title), message.returned === true);
    } else if (message.type === 'visibility') {
      visible = message.open;
      if (visible) {
        resetUnread();
        focusInput();
      }
    }
  });
  if (!link) return;
  unlockSoundOnGesture();

  function boot(init: InitMessage): void {
    const storage = safeStorage();
    const siteKey = init.siteKey;
    const tokenKey = `parley:${siteKey}:token`;
    let language: Language = pickLanguage([init.language, ...browserLanguages()]);
    let t = CATALOGS[language];
    let view = createChatView(t, close);
    document.body.replaceChildren(view.root);
    document.documentElement.lang = language;
    trapFocus(document.body, close);
    const firstPage = fitPage(init.page.url, init.page.title);
    const reporter = new PageReporter(firstPage);
    pages = reporter;

    void retrying(
      () =>
        startSession({
          siteKey,
          ...withToken(init.visitorToken ?? storage.get(tokenKey)),
          page: firstPage,
          ...(init.page.referrer && { referrer: init.page.referrer.slice(0, LIMITS.pageUrl) }),
          language: navigator.language,
        }),
      (failing) => view.setStatus(failing ? t.reconnecting : ''),
    ).then(run, () => view.setUnavailable());

    function run(session: WidgetSessionResponse): void {
      const { settings } = session.site;
      const siteLanguage =
        settings.language === 'auto'
          ? pickLanguage([init.language, ...browserLanguages()])
          : settings.language;
      if (siteLanguage !== language) {
        language = siteLanguage;
        t = CATALOGS[language];
        view = createChatView(t, close);
        document.body.replaceChildren(view.root);
        document.documentElement.lang = language;
      }
      if (/^#[0-9a-f]{6}$/i.test(settings.accentColor))
        document.documentElement.style.setProperty('--a', settings.accentColor);
      view.setTitle(session.site.name, settings.greeting[language] ?? settings.greeting.en ?? '');
      let token = session.visitorToken;
      storage.set(tokenKey, token);
      let hasConversation = session.history.length > 0;
      const announceSession = () =>
        link?.post({
          type: 'session',
          visitorToken: token,
          language,
          accentColor: settings.accentColor,
          hasConversation,
        });
      announceSession();

      const timeline = new Timeline(view.log, t, language);
      for (const message of session.history) timeline.add(message);
      const scope = `parley:${siteKey}:${session.visitorId}`;
      const outbox = new Outbox(storage, `${scope}:outbox`);
      for (const item of [...outbox.items()]) {
        if (timeline.hasClientId(item.clientId)) outbox.remove(item.clientId);
        else timeline.addPending(item);
      }

      let unread = 0;
      resetUnread = () => {
        unread = 0;
        link?.post({ type: 'unread', count: 0 });
      };
      let typingTimer: ReturnType<typeof setTimeout> | undefined;
      const showTyping = (text: string) => {
        clearTimeout(typingTimer);
        view.setTyping(text);
        if (text) typingTimer = setTimeout(() => view.setTyping(''), TYPING_SHOWN_MS);
      };

      /** Shows a message from the server; `live` ones (not history) may chime and count as unread. */
      const receive = (message: MessageDTO, live: boolean) => {
        const before = timeline.lastSeq.get(message.conversationId) ?? 0;
        if (!timeline.add(message)) return;
        if (live && before > 0 && message.seq > before + 1) void syncConversation(message.conversationId);
        if (!hasConversation) {
          hasConversation = true;
          announceSession();
        }
        if (live && message.author.kind === 'operator') {
          showTyping('');
          playReplyChime();
          if (!visible) link?.post({ type: 'unread', count: ++unread });
        }
      };

      const socket = new SocketClient(token, {
        events: {
          'message.created': (message) => receive(message, true),
          'typing.updated': (typing) => {
            if (typing.authorKind !== 'operator') return;
            showTyping(typing.typing ? t.typing(typing.operator?.displayName ?? t.operator) : '');
          },
          'availability.updated': ({ online, operators }) => setAvailability(online, operators),
          // The server renews the token long before it expires: keep it here, in the page's storage, and for reconnects.
          'visitor.token': ({ visitorToken }) => {
            token = visitorToken;
            storage.set(tokenKey, token);
            socket.useToken(token);
            announceSession();
          },
        },
        onLink(up) {
          linkUp = up;
          view.setStatus(up ? '' : t.reconnecting);
          if (up) {
            void catchUp();
            void reporter.flush();
          }
        },
        onUnauthorized: () => void renewSession().catch(() => view.setUnavailable()),
      });
      let linkUp = false;
      setTimeout(() => {
        if (!linkUp) view.setStatus(t.reconnecting);
      }, FIRST_CONNECT_GRACE_MS);

      async function syncConversation(conversationId: string): Promise<void> {
        for (;;) {
          const afterSeq = timeline.lastSeq.get(conversationId) ?? 0;
          const { messages } = await socket.request('conversation.sync', { conversationId, afterSeq });
          for (const message of messages) receive(message, true);
          if (messages.length < SYNC_PAGE) return;
        }
      }

      async function catchUp(): Promise<void> {
        try {
          const ids = new Set(timeline.conversationIds());
          if (session.openConversationId) ids.add(session.openConversationId);
          for (const id of ids) await syncConversation(id);
        } catch {
          // The link dropped mid-sync; the next connect starts over from the last seq seen.
        }
        await flush();
      }

      const flush = () =>
        outbox.flush(async (item: OutboxItem) => {
          try {
            const { message } = await socket.request('message.send', {
              clientId: item.clientId,
              text: item.text,
            });
            receive(message, false);
            return 'sent';
          } catch (error) {
            const code = (error as { code?: string }).code;
            if (code === 'bad_request' || code === 'payload_too_large' || code === 'not_found') {
              timeline.markFailed(item.clientId);
              return 'rejected';
            }
            if (code === 'rate_limited') setTimeout(() => void flush(), 5000);
            // Otherwise the link is down: the next connect flushes again, same clientIds.
            return 'later';
          }
        });

      let renewals = 0;
      async function renewSession(): Promise<void> {
        if (++renewals > 3) return view.setStatus(t.reconnecting);
        const fresh = await retrying(
          () =>
            startSession({ siteKey, ...withToken(token), page: reporter.page, language: navigator.language }),
          () => undefined,
        );
        token = fresh.visitorToken;
        storage.set(tokenKey, token);
        announceSession();
        socket.start(token);
      }

      const typingSignal = new TypingSignal((typing, preview) => {
        if (!socket.connected) return;
        socket
          .request('typing.set', preview === undefined ? { typing } : { typing, preview })
          .catch(() => undefined);
      });
      const composer = createComposer(
        t,
        (text) => {
          typingSignal.stop();
          timeline.addPending(outbox.add(text));
          void flush();
        },
        (draft) => typingSignal.input(draft),
      );

      // The request form, and a request that did not land before a reload: it is sent again, same clientId.
      const requestKey = `${scope}:request`;
      let requestState: 'none' | 'sending' | 'done' = 'none';
      const form = createOfflineForm(t, (draft) => void deliverRequest(toRequest(draft)));
      async function deliverRequest(request: OfflineRequest): Promise<void> {
        requestState = 'sending';
        storage.set(requestKey, JSON.stringify(request));
        form.showSending(false);
        try {
          const result = await retrying(
            () => sendOfflineRequest(token, request),
            (failing) => form.showSending(failing),
          );
          receive(result.message, false);
          requestState = 'done';
          form.showDone(request.email);
        } catch (error) {
          requestState = 'none';
          form.showError(error instanceof HttpError ? `${t.notSent} (${error.status})` : t.notSent);
        } finally {
          storage.remove(requestKey);
        }
      }

      let online = session.online;
      function setAvailability(isOnline: boolean, operators: PublicOperatorDTO[]): void {
        online = isOnline;
        view.setAvailability(isOnline, operators);
        const chat = (online || outbox.items().length > 0) && requestState !== 'sending';
        const current = view.footer.firstElementChild;
        const next = chat ? composer.form : form.element;
        if (current !== next) view.footer.replaceChildren(next);
        focusInput = chat ? composer.focus : form.focus;
      }
      setAvailability(session.online, session.operators);

      const unsent = readRequest(storage.get(requestKey));
      if (unsent) {
        setAvailability(false, session.operators);
        void deliverRequest(unsent);
      }
      if (visible) focusInput();
      reporter.start((page) => socket.request('visitor.page', page));
      socket.start();
    }
  }
}

/** The stored token, unless it cannot be one (storage the host page corrupted): then the visitor starts afresh. */
function withToken(token: string | null): { visitorToken?: string } {
  return token && token.length <= LIMITS.visitorToken ? { visitorToken: token } : {};
}

function toRequest(draft: RequestDraft): OfflineRequest {
  return {
    clientId: newClientId(),
    email: draft.email,
    text: draft.text,
    ...(draft.phone && { phone: draft.phone }),
  };
}

function readRequest(raw: string | null): OfflineRequest | null {
  try {
    const value = raw ? (JSON.parse(raw) as OfflineRequest) : null;
    return value?.clientId && value.email && value.text ? value : null;
  } catch {
    return null;
  }
}
