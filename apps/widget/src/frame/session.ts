/**
 * The visitor's session, without the DOM: what the frame asks the server to
 * start or resume it with, the language the chat speaks, and the request
 * form's payload (and one that did not land before a reload).
 */

import { newClientId } from '@parley/client';
import {
  type Language,
  LIMITS,
  type OfflineRequest,
  type PageToFrameMessage,
  type SiteSettings,
  type WidgetSessionRequest,
} from '@parley/protocol';
import { pickLanguage } from '../shared/language.js';
import type { RequestDraft } from './offline-form.js';

export type InitMessage = Extract<PageToFrameMessage, { type: 'init' }>;

/** Storage key of the visitor's token on this site. */
export const tokenKey = (siteKey: string) => `parley:${siteKey}:token`;

/** The session request: resumes the stored token when it can be one (storage a host page corrupted starts afresh). */
export function sessionRequest(
  init: Pick<InitMessage, 'siteKey' | 'visitorToken' | 'newVisitorKey' | 'page'>,
  storedToken: string | null,
  page: { url: string; title?: string },
  browserLanguage: string,
): WidgetSessionRequest {
  const token = withToken(init.visitorToken ?? storedToken);
  return {
    siteKey: init.siteKey,
    ...token,
    // A new visitor whose pages the loader is tracking: the chat is that same visitor.
    ...(!token.visitorToken && init.newVisitorKey && { newVisitorKey: init.newVisitorKey }),
    page,
    ...(init.page.referrer && { referrer: init.page.referrer.slice(0, LIMITS.pageUrl) }),
    language: browserLanguage,
  };
}

export function withToken(token: string | null | undefined): { visitorToken?: string } {
  return token && token.length <= LIMITS.visitorToken ? { visitorToken: token } : {};
}

/** The site's language, or on 'auto' the page's and then the browser's. */
export function chatLanguage(
  settings: Pick<SiteSettings, 'language'>,
  pageLanguage: string | null | undefined,
  browser: readonly string[],
): Language {
  return settings.language === 'auto' ? pickLanguage([pageLanguage, ...browser]) : settings.language;
}

/** A request from the form, with the clientId that makes sending it again harmless. */
export function toRequest(draft: RequestDraft): OfflineRequest {
  return {
    clientId: newClientId(),
    email: draft.email,
    text: draft.text,
    ...(draft.phone && { phone: draft.phone }),
  };
}

/** A request saved before a reload, if it is whole. */
export function readRequest(raw: string | null): OfflineRequest | null {
  try {
    const value = raw ? (JSON.parse(raw) as OfflineRequest) : null;
    return value?.clientId && value.email && value.text ? value : null;
  } catch {
    return null;
  }
}
