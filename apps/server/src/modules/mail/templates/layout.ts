/**
 * One layout for every email, written twice: plain text (what many support
 * people read, and what spam filters like to find) and HTML. The HTML is a
 * single centred column of presentation tables with inline styles — what
 * mail clients render alike — with a `lang`, a real heading, text colours
 * that pass WCAG AA contrast, and alt text on the operator's photo. Every
 * text a person typed is escaped here, never earlier.
 */
import type { Language } from '@parley/protocol';

export interface MailLine {
  author: string;
  /** Preformatted time, in the mail's language. */
  time?: string;
  text: string;
  /** Visitor's own line (drawn on the other side of the conversation). */
  own?: boolean;
}

export interface MailBody {
  lang: Language;
  /** The heading (the subject, usually). */
  title: string;
  siteName: string;
  intro: string;
  /** Who answered: shown with their photo (or initial) at the top. */
  operator?: { name: string; photoUrl: string | null };
  lines?: MailLine[];
  facts?: { label: string; value: string }[];
  action?: { label: string; url: string };
  /** Small print above the footer (how to reply, why the mail came). */
  notes?: string[];
  unsubscribe?: { label: string; url: string };
}

const COLORS = { text: '#1f2937', muted: '#4b5563', line: '#e5e7eb', accent: '#1d4ed8', own: '#eff6ff' };

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Escaped, with line breaks kept. */
function paragraphs(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}

export function renderText(body: MailBody): string {
  const out: string[] = [body.title, '', body.intro, ''];
  if (body.operator) out.push(`— ${body.operator.name}`, '');
  for (const line of body.lines ?? []) {
    out.push(`${line.author}${line.time ? ` (${line.time})` : ''}:`);
    for (const part of line.text.split(/\r?\n/)) out.push(`  ${part}`);
    out.push('');
  }
  for (const fact of body.facts ?? []) out.push(`${fact.label}: ${fact.value}`);
  if (body.facts?.length) out.push('');
  if (body.action) out.push(`${body.action.label}: ${body.action.url}`, '');
  for (const note of body.notes ?? []) out.push(note);
  out.push('', `-- `, body.siteName);
  if (body.unsubscribe) out.push(`${body.unsubscribe.label}: ${body.unsubscribe.url}`);
  return `${out.join('\n')}\n`;
}

function operatorBlock(operator: NonNullable<MailBody['operator']>): string {
  const name = escapeHtml(operator.name);
  const picture = operator.photoUrl
    ? `<img src="${escapeHtml(operator.photoUrl)}" width="48" height="48" alt="${name}" style="display:block;width:48px;height:48px;border-radius:24px;border:0">`
    : `<div aria-hidden="true" style="width:48px;height:48px;border-radius:24px;background:${COLORS.accent};color:#ffffff;font:bold 20px/48px Arial,sans-serif;text-align:center">${escapeHtml(operator.name.slice(0, 1).toUpperCase())}</div>`;
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px"><tr>
<td style="padding:0 12px 0 0;vertical-align:middle">${picture}</td>
<td style="vertical-align:middle;font:bold 16px/1.4 Arial,sans-serif;color:${COLORS.text}">${name}</td></tr></table>`;
}

function lineBlock(line: MailLine): string {
  const time = line.time
    ? ` <span style="font-weight:normal;color:${COLORS.muted}">${escapeHtml(line.time)}</span>`
    : '';
  return `<tr><td style="padding:10px 12px;border-top:1px solid ${COLORS.line};${line.own ? `background:${COLORS.own};` : ''}">
<p style="margin:0 0 4px;font:bold 14px/1.4 Arial,sans-serif;color:${COLORS.text}">${escapeHtml(line.author)}${time}</p>
<p style="margin:0;font:15px/1.5 Arial,sans-serif;color:${COLORS.text}">${paragraphs(line.text)}</p></td></tr>`;
}

export function renderHtml(body: MailBody): string {
  const parts: string[] = [];
  parts.push(
    `<h1 style="margin:0 0 12px;font:bold 20px/1.3 Arial,sans-serif;color:${COLORS.text}">${escapeHtml(body.title)}</h1>`,
  );
  parts.push(
    `<p style="margin:0 0 16px;font:15px/1.5 Arial,sans-serif;color:${COLORS.text}">${paragraphs(body.intro)}</p>`,
  );
  if (body.operator) parts.push(operatorBlock(body.operator));
  if (body.lines?.length) {
    parts.push(
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-bottom:1px solid ${COLORS.line};margin:0 0 16px">${body.lines.map(lineBlock).join('')}</table>`,
    );
  }
  if (body.facts?.length) {
    const rows = body.facts
      .map(
        (f) =>
          `<tr><th scope="row" style="text-align:left;padding:4px 16px 4px 0;font:bold 14px/1.4 Arial,sans-serif;color:${COLORS.muted}">${escapeHtml(f.label)}</th><td style="padding:4px 0;font:15px/1.4 Arial,sans-serif;color:${COLORS.text}">${escapeHtml(f.value)}</td></tr>`,
      )
      .join('');
    parts.push(`<table cellpadding="0" cellspacing="0" style="margin:0 0 16px">${rows}</table>`);
  }
  if (body.action) {
    parts.push(
      `<p style="margin:0 0 16px"><a href="${escapeHtml(body.action.url)}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:${COLORS.accent};color:#ffffff;font:bold 15px/1.2 Arial,sans-serif;text-decoration:none">${escapeHtml(body.action.label)}</a></p>`,
    );
  }
  for (const note of body.notes ?? []) {
    parts.push(
      `<p style="margin:0 0 8px;font:14px/1.5 Arial,sans-serif;color:${COLORS.muted}">${paragraphs(note)}</p>`,
    );
  }
  const unsubscribe = body.unsubscribe
    ? `<br><a href="${escapeHtml(body.unsubscribe.url)}" style="color:${COLORS.muted}">${escapeHtml(body.unsubscribe.label)}</a>`
    : '';
  return `<!doctype html>
<html lang="${body.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(body.title)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px"><tr><td style="padding:24px">
<main>${parts.join('\n')}</main>
</td></tr></table>
<p style="margin:16px 0 0;font:13px/1.5 Arial,sans-serif;color:${COLORS.muted}">${escapeHtml(body.siteName)}${unsubscribe}</p>
</td></tr></table>
</body></html>
`;
}
