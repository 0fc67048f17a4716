/**
 * Read receipts in the chat frame. The visitor reports "seen up to seq N" only
 * when the message is on screen (the chat open and the tab visible), at most
 * one small frame per change, coalesced over a moment. An operator's reading
 * shows quietly: one "Read" under the visitor's last message once an operator
 * has read up to it, and nothing per message (no ticks that race each other).
 */
import type { ReadReceiptDTO } from '@parley/protocol';
import { h } from './dom.js';
import type { TimelineModel } from './timeline-model.js';

const COALESCE_MS = 300;

export interface ReadReceipts {
  /** Something may have come into view (a message, the chat opened, the tab shown): report it. */
  seen(): void;
  /** An operator has read up to `seq` (the visitor's numbering). */
  operatorRead(receipt: ReadReceiptDTO): void;
}

export function createReadReceipts(
  log: HTMLElement,
  model: TimelineModel,
  label: string,
  onScreen: () => boolean,
  send: (receipt: ReadReceiptDTO) => void,
  read: ReadReceiptDTO | null,
): ReadReceipts {
  let reported: ReadReceiptDTO | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const mark = h('div', { class: 'rd' }, label);

  const report = () => {
    timer = undefined;
    if (!onScreen() || document.visibilityState !== 'visible') return;
    let last: ReadReceiptDTO | null = null;
    for (const { message } of model.entries)
      if (message) last = { conversationId: message.conversationId, seq: message.seq };
    if (!last || (reported?.conversationId === last.conversationId && reported.seq >= last.seq)) return;
    reported = last;
    send(last);
  };

  /** "Read" goes under the visitor's last message (the last `.me` drawn), if an operator has read it. */
  const place = () => {
    let lastOwn: { conversationId: string; seq: number } | null | undefined;
    for (const { message } of model.entries)
      if (!message || message.author.kind === 'visitor') lastOwn = message ?? null;
    const bubbles = log.querySelectorAll('.me');
    const element = bubbles[bubbles.length - 1];
    if (element && lastOwn && read?.conversationId === lastOwn.conversationId && lastOwn.seq <= read.seq) {
      if (mark.parentNode !== element) element.append(mark);
    } else mark.remove();
  };

  new MutationObserver(place).observe(log, { childList: true });
  document.addEventListener('visibilitychange', () => receipts.seen());
  place();

  const receipts: ReadReceipts = {
    seen() {
      if (timer === undefined) timer = setTimeout(report, COALESCE_MS);
    },
    operatorRead(receipt) {
      if (read?.conversationId === receipt.conversationId && read.seq >= receipt.seq) return;
      read = receipt;
      place();
    },
  };
  return receipts;
}
