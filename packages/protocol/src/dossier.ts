/**
 * The visitor's dossier (issue 12): everything an operator knows about one visitor — profile and
 * touch points, visits with their pages and events, every conversation, the segments they are in —
 * and the operator's edits of their contact fields and custom attributes.
 */
import type { ConversationDTO, Timestamp, VisitorDTO } from './dto.js';
import type { SegmentDTO } from './segments.js';
import type { EmailSource, TouchDTO, TrackPropertyValue } from './tracking.js';

/** A custom attribute's value: flat and JSON-safe, as `identify` and the card give them. */
export type VisitorAttributeValue = string | number | boolean;

export interface VisitorProfileDTO extends VisitorDTO {
  /** The name as given (null: none; `name` then carries the short label). */
  givenName: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
  visitCount: number;
  firstTouch: TouchDTO | null;
  lastTouch: TouchDTO | null;
  emailSource: EmailSource | null;
  cart: { amount: string; currency: string | null } | null;
  attributes: Record<string, VisitorAttributeValue>;
  /** The page the visitor's first session came from, as the browser told it. */
  referrer: string | null;
}

export interface PageViewDTO {
  id: string;
  url: string;
  title: string | null;
  viewedAt: Timestamp;
  /** Time in front of the visitor; null while the page is open or when it was never told. */
  seconds: number | null;
}

export interface VisitorEventDTO {
  id: string;
  name: string;
  properties: Record<string, TrackPropertyValue>;
  occurredAt: Timestamp;
}

export interface VisitDTO {
  id: string;
  /** 1 for the first visit. */
  number: number;
  startedAt: Timestamp;
  lastActivityAt: Timestamp;
  source: TouchDTO;
  pageViewCount: number;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  /** In the order seen; at most `DOSSIER_LIMITS.pagesPerVisit` (the latest ones). */
  pages: PageViewDTO[];
  events: VisitorEventDTO[];
}

export interface VisitorDossier {
  visitor: VisitorProfileDTO;
  /** Newest first, a page of `DOSSIER_LIMITS.visits`; older ones with `?beforeVisit=<number>`. */
  visits: VisitDTO[];
  hasEarlierVisits: boolean;
  /** Every conversation, newest first. */
  conversations: ConversationDTO[];
  /** The site's segments this visitor is in now. */
  segments: SegmentDTO[];
}

/** A type, not an interface, so it fits a query-string record. */
export type VisitorDossierQuery = { beforeVisit?: number };

/** An operator's edit: null clears a field; an attribute set to null is removed. */
export interface UpdateVisitorRequest {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  attributes?: Record<string, VisitorAttributeValue | null>;
}
export interface VisitorProfileResponse {
  visitor: VisitorProfileDTO;
}

export const DOSSIER_LIMITS = {
  visits: 20,
  pagesPerVisit: 100,
  eventsPerVisit: 100,
  attributes: 50,
  attributeKey: 64,
  attributeValue: 500,
} as const;

export const DOSSIER_PATHS = {
  visitorDossier: (id: string) => `/api/visitors/${id}/dossier`,
} as const;
