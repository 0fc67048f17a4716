/**
 * Segments (issue 12): a site's saved rules over its visitors — attributes, source and UTM, pages
 * viewed and events over a window, visits, country, email — every condition joined by AND. The
 * console edits them as a form; the server compiles them to one parameterized SQL predicate
 * (`apps/server/src/modules/segments/compiler.ts`), so membership is always as of now.
 */
import type { Timestamp } from './dto.js';
import { TAG_COLORS, type TagColor } from './tags.js';
import type { SourceKind } from './tracking.js';

/** Segments draw with the tags' palette (pairs that meet WCAG AA contrast). */
export const SEGMENT_COLORS = TAG_COLORS;
export type SegmentColor = TagColor;

export const SEGMENT_LIMITS = {
  /** Characters in a segment's name (trimmed). */
  name: 60,
  perSite: 50,
  conditions: 10,
  /** Characters in a condition's text value (a page address part, an attribute value…). */
  value: 200,
  attributeKey: 64,
  /** A window of days (pages viewed, events). */
  days: 365,
  /** "At least N times", "visit count ≥ N". */
  count: 10_000,
  /** Visitor ids one membership question may name. */
  membershipVisitors: 500,
} as const;

/** Every kind of condition, in the order the form offers them. */
export const SEGMENT_CONDITION_KINDS = [
  'attribute',
  'source',
  'utm',
  'pageViewed',
  'event',
  'noEvent',
  'visitCount',
  'country',
  'hasEmail',
] as const;
export type SegmentConditionKind = (typeof SEGMENT_CONDITION_KINDS)[number];

export const SOURCE_KINDS = ['search', 'social', 'advertising', 'email', 'referral', 'direct'] as const;
export const UTM_PARAMS = ['source', 'medium', 'campaign'] as const;
export type UtmParam = (typeof UTM_PARAMS)[number];

/** One condition. Text comparisons ignore case; windows count back from now. */
export type SegmentCondition =
  /** A custom attribute (`identify` or set by an operator) equals or contains a value. */
  | { kind: 'attribute'; key: string; op: 'equals' | 'contains'; value: string }
  /** Some visit of the visitor came from this kind of source. */
  | { kind: 'source'; value: SourceKind }
  /** Some visit carried `utm_<param>` equal to the value. */
  | { kind: 'utm'; param: UtmParam; value: string }
  /** Pages whose address contains (or whose path starts with) `value`, seen at least `atLeast` times in `days` days. */
  | { kind: 'pageViewed'; match: 'contains' | 'prefix'; value: string; atLeast: number; days: number }
  /** The site reported event `name` at least `atLeast` times in `days` days. */
  | { kind: 'event'; name: string; atLeast: number; days: number }
  /** The site reported no event `name` in `days` days. */
  | { kind: 'noEvent'; name: string; days: number }
  | { kind: 'visitCount'; atLeast: number }
  /** ISO 3166-1 alpha-2, as the visitor's location. */
  | { kind: 'country'; value: string }
  | { kind: 'hasEmail' };

export interface SegmentDTO {
  id: string;
  siteId: string;
  name: string;
  color: SegmentColor;
  conditions: SegmentCondition[];
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface SegmentList {
  segments: SegmentDTO[];
}
export interface SegmentResponse {
  segment: SegmentDTO;
}
export interface CreateSegmentRequest {
  name: string;
  color?: SegmentColor;
  conditions: SegmentCondition[];
}
export interface UpdateSegmentRequest {
  name?: string;
  color?: SegmentColor;
  conditions?: SegmentCondition[];
}
/** How many of the site's visitors match these conditions now (the form's preview). */
export interface SegmentPreviewRequest {
  conditions: SegmentCondition[];
}
export interface SegmentPreviewResponse {
  count: number;
}
/** Which of the site's segments each of these visitors is in ("visitors now" filters with it). */
export interface SegmentMembershipRequest {
  visitorIds: string[];
}
export interface SegmentMembershipResponse {
  /** Visitor id → ids of the segments they are in; a visitor of another site or none is absent. */
  members: Record<string, string[]>;
}

export const SEGMENT_PATHS = {
  siteSegments: (siteId: string) => `/api/sites/${siteId}/segments`,
  segmentPreview: (siteId: string) => `/api/sites/${siteId}/segments/preview`,
  segmentMembership: (siteId: string) => `/api/sites/${siteId}/segments/membership`,
  segment: (id: string) => `/api/segments/${id}`,
} as const;
