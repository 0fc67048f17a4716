/**
 * The visitor's language from the browser's `Accept-Language` header, for visitors the tracker
 * knows before any chat (the chat frame sends `navigator.language` itself). Only the first,
 * most preferred tag, and only when it looks like one (BCP 47: `hy`, `ru-RU`, `zh-Hant-TW`).
 */
const TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3}$/;

export function firstLanguage(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const first = value?.split(',')[0]?.split(';')[0]?.trim();
  return first && first.length <= 35 && TAG.test(first) ? first : null;
}
