/**
 * What a person wrote in a reply by mail, without what their mail program added: the quoted
 * history ("> …" lines, the "On … wrote:" line and everything under it, in English, Russian and
 * Armenian, Outlook's "From: / Sent:" header block and its rule), the signature after "-- ", and
 * "Sent from my iPhone". Mail programs put the answer above the history (top-posting) almost
 * always, so everything from the first history marker down is cut; quoted lines elsewhere (an
 * answer written between quotes) are dropped one by one.
 *
 * HTML-only mail is turned into text first (`htmlToReplyText`), skipping the quote blocks Gmail,
 * Outlook, Apple Mail and Thunderbird mark, then goes through the same rules.
 */
import { convert } from 'html-to-text';

/** "On Mon, Dec 5, 2026 at 10:00 Anna <anna@example.com> wrote:" and translations of "wrote". */
const WROTE_EN = /^On\s.+\swrote:?$/i;
/** Russian and Armenian "… wrote:", only on a line that also has a date or an address (not "как я писал:"). */
const WROTE_OTHER = /(написал(а|\(а\))?|пишет|գրել է|գրեց)\s*[:։՝]?$/i;
const isWroteLine = (line: string) => WROTE_EN.test(line) || (WROTE_OTHER.test(line) && /[\d@]/.test(line));
/** Russian and Armenian clients often write only the date and the address: "5 дек. 2026 г., Анна <a@b.ru>:". */
const DATED_ADDRESS_LINE = /\d.*(<[^<>\s@]+@[^<>\s]+>|[^\s@<>]+@[^\s@<>]+)\s*[:։]\s*$/;
/** Rules that open a forwarded or quoted original. */
const SEPARATOR_LINE =
  /^(-{2,}\s*(Original Message|Forwarded message|Исходное сообщение|Пересылаемое сообщение|Пересланное сообщение|Բնօրինակ հաղորդագրություն|Փոխանցված հաղորդագրություն)\s*-{2,}|_{20,})\s*$/i;
/** Outlook's header block: "From:" then, within a few lines, "Sent:"/"Date:" (or their translations). */
const FROM_LINE = /^\*?(From|От|Кому|Ումից|Ում կողմից|Ուղարկող)\s*:/i;
const SENT_LINE = /^\*?(Sent|Date|Отправлено|Дата|Ուղարկվել է|Ամսաթիվ)\s*:/i;
/** The signature delimiter: "-- " (RFC 3676), often trimmed to "--" by the way. */
const SIGNATURE_LINE = /^--\s?$/;
const MOBILE_FOOTER =
  /^(Sent from my \S.*|Sent from \S+ for \S+|Get Outlook for \S+|Отправлено (с|из) .+|Ուղարկված է .+-ից|Ուղարկվել է .+-ից)$/i;

/** True when an "… wrote:" line (possibly wrapped over up to three lines) starts at line `i`. */
function wroteAt(lines: string[], i: number): boolean {
  for (let span = 1; span <= 3 && i + span <= lines.length; span++) {
    const joined = lines
      .slice(i, i + span)
      .map((l) => l.trim())
      .join(' ');
    if (joined.length > 400) break;
    if (isWroteLine(joined)) return true;
    if (span <= 2 && joined.length < 200 && DATED_ADDRESS_LINE.test(joined)) return true;
  }
  return false;
}

/** True where the quoted history or the signature starts, at line `i` (looking at most two lines ahead). */
function startsHistory(lines: string[], i: number): boolean {
  const line = (lines[i] ?? '').trim();
  if (SEPARATOR_LINE.test(line) || SIGNATURE_LINE.test(lines[i] ?? '')) return true;
  if (line.length > 0 && line.length <= 80 && MOBILE_FOOTER.test(line)) return true;
  // Gmail wraps a long "On … wrote:" line over two or three; the marker starts where it starts, not a line above.
  if (wroteAt(lines, i) && !wroteAt(lines, i + 1)) return true;
  if (FROM_LINE.test(line)) {
    for (let next = i + 1; next <= i + 4 && next < lines.length; next++)
      if (SENT_LINE.test((lines[next] ?? '').trim())) return true;
  }
  return false;
}

/**
 * The new text of a reply: history, signature and mobile footer cut, quoted lines dropped,
 * blank lines at the ends trimmed and runs of them shortened. Empty when nothing new is left.
 *
 * @example stripQuotedHistory('Yes, size 42.\n\nOn Fri, Anna wrote:\n> Which size?') // 'Yes, size 42.'
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (startsHistory(lines, i)) break;
    const line = lines[i] ?? '';
    if (/^\s*>/.test(line)) continue;
    kept.push(line.replace(/\s+$/, ''));
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Quote blocks by the marks mail programs give them; what is inside is history. Outlook's header
 * block (div#divRplyFwdMsg) is kept on purpose: the original follows it as a sibling, and its
 * "From: / Sent:" lines are what `stripQuotedHistory` cuts at.
 */
const QUOTE_SELECTORS = [
  'blockquote',
  'div.gmail_quote',
  'div.gmail_signature',
  'div.yahoo_quoted',
  'div.moz-cite-prefix',
  'div#mail-app-auto-quote',
];

/** An HTML-only reply as text, its marked quote blocks left out (then `stripQuotedHistory` as usual). */
export function htmlToReplyText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      ...QUOTE_SELECTORS.map((selector) => ({ selector, format: 'skip' })),
      // Links keep their address, images their alt text only: the message is read, not rendered.
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      { selector: 'img', format: 'skip' },
      { selector: 'hr', format: 'skip' },
    ],
  });
}
