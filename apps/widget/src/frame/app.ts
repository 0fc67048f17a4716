/**
 * The chat frame's controller: wires the parts together. Waits for `init`
 * from the loader, starts or resumes the visitor's session over HTTP
 * (session.ts), shows the history (timeline.ts), then keeps a socket
 * (@parley/client): live messages, typing, availability. On every
 * (re)connect, and every few seconds while connected (the missed-event
 * check), it catches up from the last seq seen (conversation-feed.ts); then
 * it delivers the outbox in order (outbox.ts). With nobody online it shows
 * the request form instead of the composer (availability.ts). Pages the
 * loader reports go out as `visitor.page`.
 */
import { createClientSocket, newClientId } from '@parley/client';
import {
  API_PATHS,
  type MessageDTO,
  type OfflineRequest,
  type PublicOperatorDTO,
  type QueueStatusDTO,
  type VisitorClientFrames,
  type VisitorServerEvents,
  type WidgetSessionResponse,
} from '@parley/protocol';
import { browserLanguages, pickLanguage } from '../shared/language.js';
import { safeStorage } from '../shared/safe-storage.js';
import { HttpError, retrying, sendOfflineRequest, startSession } from './api.js';
import { footerFor, type RequestState } from './availability.js';
import { createBubble } from './bubble.js';
import { createChatView } from './chat-view.js';
import { createComposer } from './composer.js';
import { createConversationFeed } from './conversation-feed.js';
import { h } from './dom.js';
import { createUploads, useFileBearer } from './files.js';
import { trapFocus } from './focus-trap.js';
import { CATALOGS } from './i18n.js';
import { createOfflineForm } from './offline-form.js';
import { type OutboxEntry, storedOutbox } from './outbox.js';
import { linkPage } from './page-link.js';
import { fitPage, PageReporter } from './page-reporter.js';
import { createReadReceipts } from './read-receipts.js';
import {
  chatLanguage,
  type InitMessage,
  readRequest,
  sessionRequest,
  tokenKey,
  toRequest,
} from './session.js';
import { playReplyChime, unlockSoundOnGesture } from './sound.js';
import { createTimeline } from './timeline.js';
import { createTranscriptControl } from './transcript.js';
import { TypingSignal } from './typing.js';

/** Grace before showing "Reconnecting…" on the first connect, so a normal start shows nothing. */
const FIRST_CONNECT_GRACE_MS = 2000;
const TYPING_SHOWN_MS = 8000;

export function startFrame(): void {
  let visible = false;
  let booted = false;
  let focusInput: () => void = () => undefined;
  let resetUnread: () => void = () => undefined;
  let hideBubble: () => void = () => undefined;
  let seen: () => void = () => undefined;
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
        hideBubble();
        resetUnread();
        focusInput();
        seen();
      }
    }
  });
  if (!link) return;
  unlockSoundOnGesture();

  function boot(init: InitMessage): void {
    const storage = safeStorage();
    const siteKey = init.siteKey;
    let language = pickLanguage([init.language, ...browserLanguages()]);
    let t = CATALOGS[language];
    let view = createChatView(t, close);
    document.body.replaceChildren(view.root);
    document.documentElement.lang = language;
    trapFocus(document.body, close);
    const firstPage = fitPage(init.page.url, init.page.title);
    const reporter = new PageReporter(firstPage);
    pages = reporter;

    void retrying(
      () => startSession(sessionRequest(init, storage.get(tokenKey(siteKey)), firstPage, navigator.language)),
      (failing) => view.setStatus(failing ? t.reconnecting : ''),
    ).then(run, () => view.setUnavailable());

    function run(session: WidgetSessionResponse): void {
      const { settings } = session.site;
      const siteLanguage = chatLanguage(settings, init.language, browserLanguages());
      // The transcript control only where the server can send email (and only once there is a conversation).
      const transcript = session.emailAvailable
        ? createTranscriptControl(CATALOGS[siteLanguage], () => token)
        : null;
      if (siteLanguage !== language || transcript) {
        language = siteLanguage;
        t = CATALOGS[language];
        view = createChatView(t, close, transcript ?? undefined);
        document.body.replaceChildren(view.root);
        document.documentElement.lang = language;
      }
      if (/^#[0-9a-f]{6}$/i.test(settings.accentColor))
        document.documentElement.style.setProperty('--a', settings.accentColor);
      view.setTitle(session.site.name, settings.greeting[language] ?? settings.greeting.en ?? '');
      let token = session.visitorToken;
      storage.set(tokenKey(siteKey), token);
      let hasConversation = session.history.length > 0;
      transcript?.setAvailable(hasConversation);
      const announceSession = () =>
        link?.post({
          type: 'session',
          visitorToken: token,
          language,
          accentColor: settings.accentColor,
          hasConversation,
        });
      announceSession();

      const timeline = createTimeline(view.log, t, language, {
        retry: (clientId) => void outbox.retry(clientId),
        discard: (clientId) => outbox.discard(clientId),
      });
      for (const message of session.history) timeline.add(message);
      const receipts = createReadReceipts(
        view.log,
        timeline.model,
        t.read,
        () => visible,
        (receipt) =>
          void (socket.connected && socket.request('conversation.read', receipt).catch(() => undefined)),
        session.openConversationId
          ? { conversationId: session.openConversationId, seq: session.operatorReadSeq }
          : null,
      );
      seen = receipts.seen;
      const scope = `parley:${siteKey}:${session.visitorId}`;
      // Routing: a site may let the visitor pick a department; the pick goes with the first message only.
      const picker =
        session.departments.length > 0 && !session.openConversationId ? departmentPicker() : null;
      function departmentPicker(): { element: HTMLElement; value(): string } {
        const select = h(
          'select',
          {},
          h('option', { value: '' }, t.anyDepartment),
          ...session.departments.map((d) => h('option', { value: d.id }, d.name)),
        ) as HTMLSelectElement;
        return { element: h('label', { class: 'dp' }, t.department, select), value: () => select.value };
      }

      let online = session.online;
      let operators = session.operators;
      const outbox = storedOutbox(storage, `${scope}:outbox`, deliver, () => {
        drawUnsent();
        setAvailability(online, operators);
      });
      /** Redraws the unsent messages at the end of the timeline, in the outbox's order and states. */
      function drawUnsent(): void {
        for (const { message, clientId } of [...timeline.model.entries])
          if (!message && clientId) timeline.setPending(clientId, null);
        for (const e of outbox.entries()) timeline.addPending(e.clientId, e.text || (e.names ?? ''), e.state);
      }

      // An operator's message while the chat is closed shows by the launcher (a chat started from "visitors now").
      const bubble = createBubble(
        t,
        () => link?.post({ type: 'open' }),
        (height) => link?.post({ type: 'bubble', height }),
      );
      hideBubble = bubble.hide;
      const lastOperatorMessage = [...session.history]
        .reverse()
        .find((m) => m.conversationId === session.openConversationId && m.author.kind === 'operator');
      if (!visible && session.unseen && lastOperatorMessage) bubble.show(lastOperatorMessage);
      /** Whether the visitor wrote in this conversation: an invitation they never answered rings no chime. */
      const visitorWroteIn = (conversationId: string) =>
        timeline.model.entries.some(
          (e) => e.message?.conversationId === conversationId && e.message.author.kind === 'visitor',
        );

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

      const feed = createConversationFeed({
        model: timeline.model,
        fetchPage: (conversationId, afterSeq) =>
          socket.request('conversation.sync', { conversationId, afterSeq }),
        openConversationId: session.openConversationId,
        show(message: MessageDTO, live: boolean): boolean {
          if (!timeline.add(message)) return false;
          if (!hasConversation) {
            hasConversation = true;
            announceSession();
            transcript?.setAvailable(true);
          }
          receipts.seen();
          if (live && message.author.kind === 'operator') {
            showTyping('');
            if (visitorWroteIn(message.conversationId)) playReplyChime();
            // For the page's Parley('on', 'message'): who and when, never the text (see frame-messages.ts).
            link?.post({ type: 'message', operatorName: message.author.name, at: message.createdAt });
            if (!visible) {
              link?.post({ type: 'unread', count: ++unread });
              bubble.show(message);
            }
          }
          return true;
        },
      });

      let linkUp = false;
      const socket = createClientSocket<VisitorClientFrames, VisitorServerEvents>({
        url: () =>
          `${location.origin.replace(/^http/, 'ws')}${API_PATHS.visitorSocket}?token=${encodeURIComponent(token)}`,
        events: {
          'message.created': (message) => void feed.receive(message, true),
          'typing.updated': (typing) => {
            if (typing.authorKind !== 'operator') return;
            showTyping(typing.typing ? t.typing(typing.operator?.displayName ?? t.operator) : '');
          },
          'availability.updated': (news) => setAvailability(news.online, news.operators),
          'queue.updated': showQueue,
          'conversation.read': (receipt) => receipts.operatorRead(receipt),
          // The server renews the token long before it expires: keep it for reconnects (the url reads it) and visits.
          'visitor.token': (fresh) => {
            token = fresh.visitorToken;
            storage.set(tokenKey(siteKey), token);
            announceSession();
          },
        },
        onLink(up) {
          linkUp = up;
          view.setStatus(up ? '' : t.reconnecting);
          if (up) {
            receipts.seen();
            void feed.catchUp().then(() => outbox.flush());
            void reporter.flush();
          }
        },
        // Only while the visitor has a conversation: there is nothing to miss before.
        onCheck: () => void (hasConversation && feed.catchUp()),
        onUnauthorized: () => void renewSession().catch(() => view.setUnavailable()),
      });
      setTimeout(() => {
        if (!linkUp) view.setStatus(t.reconnecting);
      }, FIRST_CONNECT_GRACE_MS);

      function showQueue(queue: QueueStatusDTO | null): void {
        const minutes = queue?.estimatedWaitSeconds
          ? Math.max(1, Math.round(queue.estimatedWaitSeconds / 60))
          : null;
        view.setQueue(queue?.position ? t.queue(queue.position, minutes) : '');
      }
      showQueue(session.queue);

      async function deliver(entry: OutboxEntry): Promise<void> {
        const departmentId = picker && !hasConversation ? picker.value() : '';
        const { message } = await socket.request('message.send', {
          clientId: entry.clientId,
          text: entry.text,
          ...(departmentId && { departmentId }),
          ...(entry.fileIds && { fileIds: entry.fileIds }),
        });
        picker?.element.remove();
        feed.receive(message, false);
      }

      let renewals = 0;
      async function renewSession(): Promise<void> {
        if (++renewals > 3) return view.setStatus(t.reconnecting);
        const fresh = await retrying(
          () => startSession(sessionRequest(init, token, reporter.page, navigator.language)),
          () => undefined,
        );
        token = fresh.visitorToken;
        storage.set(tokenKey(siteKey), token);
        announceSession();
        socket.start();
      }

      const typingSignal = new TypingSignal((typing, preview) => {
        if (!socket.connected) return;
        // Sneak peek off: the draft never leaves the frame, only that the visitor is typing.
        socket
          .request(
            'typing.set',
            preview === undefined || !settings.sneakPeek ? { typing } : { typing, preview },
          )
          .catch(() => undefined);
      });
      // A file is stored first; only then does the message naming it go out, through the outbox like any.
      useFileBearer(() => token);
      const uploads = createUploads(
        t,
        () => settings.files,
        (file) =>
          void outbox.add({
            clientId: newClientId(),
            text: '',
            fileIds: [file.id],
            names: file.name,
            state: 'sending',
            error: null,
          }),
      );
      const composer = createComposer(
        t,
        (text) => {
          typingSignal.stop();
          const entry: OutboxEntry = { clientId: newClientId(), text, state: 'sending', error: null };
          void outbox.add(entry);
        },
        (draft) => typingSignal.input(draft),
        uploads,
      );
      // Files dropped anywhere on the chat, while it shows the message box.
      document.body.addEventListener('dragover', (event) => event.preventDefault());
      document.body.addEventListener('drop', (event) => {
        event.preventDefault();
        if (event.dataTransfer?.files.length && view.footer.contains(composer.form))
          uploads.add(event.dataTransfer.files);
      });

      // The request form, and a request that did not land before a reload: it is sent again, same clientId.
      const requestKey = `${scope}:request`;
      let requestState: RequestState = 'none';
      const form = createOfflineForm(
        t,
        (draft) => void deliverRequest(toRequest(draft)),
        session.emailAvailable,
      );
      async function deliverRequest(request: OfflineRequest): Promise<void> {
        requestState = 'sending';
        storage.set(requestKey, JSON.stringify(request));
        form.showSending(false);
        try {
          const result = await retrying(
            () => sendOfflineRequest(token, request),
            (failing) => form.showSending(failing),
          );
          feed.receive(result.message, false);
          requestState = 'done';
          form.showDone(request.email);
          transcript?.knowEmail(request.email);
        } catch (error) {
          requestState = 'none';
          form.showError(error instanceof HttpError ? `${t.notSent} (${error.status})` : t.notSent);
        } finally {
          storage.remove(requestKey);
        }
      }

      function setAvailability(isOnline: boolean, people: PublicOperatorDTO[]): void {
        online = isOnline;
        operators = people;
        view.setAvailability(isOnline, people);
        const chat = footerFor(online, outbox.entries().length, requestState) === 'composer';
        const current = view.footer.firstElementChild;
        const next = chat ? composer.form : form.element;
        if (current !== next && !view.footer.contains(next)) view.footer.replaceChildren(next);
        if (chat && picker && !hasConversation && !picker.element.isConnected)
          view.footer.prepend(picker.element);
        focusInput = chat ? composer.focus : form.focus;
      }
      // Stored before a reload lost the ack: already in the history.
      for (const { clientId } of outbox.entries())
        if (timeline.model.entries.some((e) => e.message?.clientId === clientId)) outbox.settle(clientId);
      drawUnsent();
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
