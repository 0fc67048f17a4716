/**
 * Tracking: what the loader tells the server about a visitor who may never open the chat (issue 12),
 * and the touch points the console shows. The loader batches items and posts them to
 * `API_PATHS.widgetTrack` (fetch with keepalive, or navigator.sendBeacon on page hide); every item
 * carries the loader's own id, so a batch sent twice is written once.
 *
 * Times travel as `ago`: milliseconds between the item happening and the batch being sent, so a
 * visitor's wrong clock never moves their visit (the server subtracts from its own clock).
 */

/** Where a visit came from, as the console groups it. */
export type SourceKind = 'search' | 'social' | 'advertising' | 'email' | 'referral' | 'direct';

/** How the visitor's email became known. */
/** `operator`: typed on the visitor's card by an operator (issue 12's dossier). */
export type EmailSource = 'chat' | 'identify' | 'captured' | 'operator';

export interface UtmDTO {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

/** A visit's source: the first visit's is the first touch, the latest's the last touch. */
export interface TouchDTO {
  kind: SourceKind;
  /** 'Google', 'Yandex', 'VK', a referring host…; null for direct. */
  name: string | null;
  referrer: string | null;
  landingUrl: string | null;
  utm: UtmDTO | null;
  searchQuery: string | null;
  /** Advertising click ids, when the landing page had them. */
  gclid?: string;
  yclid?: string;
  at: string;
}

/** A property value the site may attach to an event: flat, JSON-safe. */
export type TrackPropertyValue = string | number | boolean | null;

/** One item of a tracking batch. `id` is the loader's (unique per visitor), `ago` as above. */
export type TrackItem =
  /** The visitor opened a page (or a single-page shop changed its address). */
  | { t: 'page'; id: string; ago: number; url: string; title: string; referrer?: string }
  /** The visitor left the page `pageId` (hid it, closed it) after `seconds` in front of it. */
  | { t: 'leave'; id: string; ago: number; pageId: string; seconds: number }
  /**
   * Still here: keeps the visitor in "visitors now" while a page stays open. `pageId` is sent once,
   * when the visitor comes back to a page they hid (a `leave` closed it): it is open again.
   */
  | { t: 'ping'; id: string; ago: number; pageId?: string }
  /** Parley('track', name, properties). */
  | { t: 'event'; id: string; ago: number; name: string; props?: Record<string, TrackPropertyValue> }
  /** An email typed into one of the site's own forms (email capture). */
  | { t: 'email'; id: string; ago: number; email: string };

export type TrackItemType = TrackItem['t'];

export interface TrackBatch {
  siteKey: string;
  /** The visitor's token from this browser's storage; null the first time (the answer gives one). */
  visitorToken: string | null;
  /**
   * With no token: a random key (32 hex digits) the loader made for this new visitor and keeps until a
   * token arrives. The first answer's token is lost when the visitor leaves the page before it is
   * read; the next pages send the same key, and the server finds the visitor it made (for an hour),
   * so a quick visitor stays one person.
   */
  newVisitorKey?: string;
  items: TrackItem[];
  /**
   * The browser sends Do Not Track or Global Privacy Control. A site that respects them writes
   * nothing of such a batch and answers `stop`.
   */
  dnt?: boolean;
}

export interface TrackResponse {
  /** The token to keep (the same, or a new one for a new or unknown visitor). */
  visitorToken: string;
  /** Items written now; items already written before (a retried batch) are not counted. */
  accepted: number;
  /**
   * The visitor has operator messages they have not seen (an operator started a chat from "visitors
   * now", or replied while the chat was closed): the loader opens the frame quietly so they show as
   * a small bubble by the launcher.
   */
  unseen?: boolean;
  /** The site respects Do Not Track and this browser asks for it: nothing was written; send no more. */
  stop?: boolean;
  /** The site captures emails typed into its own forms: the loader may listen for them. */
  capture?: boolean;
}

/** One row of the console's "visitors now": who is on the site, live. */
export interface VisitorNowDTO {
  visitorId: string;
  siteId: string;
  /** As VisitorDTO.name: the name given, else a short stable label. */
  name: string;
  email: string | null;
  currentPage: { url: string; title: string | null } | null;
  /** When the current visit began: time on site. */
  visitStartedAt: string;
  pagesThisVisit: number;
  /** The current visit's source. */
  source: TouchDTO | null;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  visitCount: number;
  /** The visitor's open conversation, if they are chatting. */
  conversationId: string | null;
  cart: { amount: string; currency: string | null } | null;
  /** Last item from this visitor: gone from the list TRACKING_LIMITS.onlineSeconds after it (or at once on `left`). */
  lastSeenAt: string;
  /** The visitor hid or closed their last page. */
  left: boolean;
}

export const TRACKING_LIMITS = {
  /** Items per batch. */
  batchItems: 50,
  /** A batch's body, in bytes (sendBeacon's own limit is 64 KiB for all of a page's beacons). */
  batchBytes: 32 * 1024,
  eventName: 64,
  eventProperties: 20,
  propertyKey: 64,
  propertyValue: 500,
  /** No gap longer than this inside one visit. */
  visitGapMinutes: 30,
  /** A visitor with no item for longer than this is no longer "on the site now". */
  onlineSeconds: 90,
} as const;
