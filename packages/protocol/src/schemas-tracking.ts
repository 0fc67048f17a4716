/**
 * Runtime schema of the loader's tracking batch (see `tracking.ts`). Its own entry
 * (`@parley/protocol/schemas-tracking`), as the other feature schemas; the widget imports none.
 * Every limit is TRACKING_LIMITS's or LIMITS's, so what the loader trims to is what passes here.
 */
import { z } from 'zod';
import { LIMITS } from './limits.js';
import { newVisitorKey, safeString } from './schemas.js';
import { TRACKING_LIMITS, type TrackBatch } from './tracking.js';

/** The loader's item id: short, URL-safe, unique per visitor. */
const itemId = safeString()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'An item id may contain only letters, digits, _ and -');
/** At most a week back: a batch that waited longer in a closed tab is stale. */
const ago = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000);
const httpUrl = safeString()
  .max(LIMITS.pageUrl)
  .refine((u) => /^https?:\/\//i.test(u), 'Only http and https URLs');
const propertyValue = z.union([
  safeString().max(TRACKING_LIMITS.propertyValue),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);

const trackItem = z.discriminatedUnion('t', [
  z
    .object({
      t: z.literal('page'),
      id: itemId,
      ago,
      url: httpUrl,
      title: safeString().max(LIMITS.pageTitle),
      referrer: safeString().max(LIMITS.pageUrl).optional(),
    })
    .strict(),
  z
    .object({
      t: z.literal('leave'),
      id: itemId,
      ago,
      pageId: itemId,
      seconds: z
        .number()
        .int()
        .min(0)
        .max(24 * 3600),
    })
    .strict(),
  z.object({ t: z.literal('ping'), id: itemId, ago, pageId: itemId.optional() }).strict(),
  z
    .object({
      t: z.literal('event'),
      id: itemId,
      ago,
      name: safeString()
        .trim()
        .min(1, 'An event needs a name')
        .max(TRACKING_LIMITS.eventName, `An event name has at most ${TRACKING_LIMITS.eventName} characters`),
      props: z
        .record(safeString().max(TRACKING_LIMITS.propertyKey), propertyValue)
        .refine(
          (props) => Object.keys(props).length <= TRACKING_LIMITS.eventProperties,
          `An event has at most ${TRACKING_LIMITS.eventProperties} properties`,
        )
        .optional(),
    })
    .strict(),
  z
    .object({
      t: z.literal('email'),
      id: itemId,
      ago,
      email: safeString().trim().max(LIMITS.email).email('Not an email address'),
    })
    .strict(),
]);

export const trackBatch = z
  .object({
    siteKey: safeString().min(1).max(LIMITS.siteKey),
    visitorToken: safeString().max(LIMITS.visitorToken).nullable(),
    newVisitorKey: newVisitorKey.optional(),
    items: z
      .array(trackItem)
      .min(1, 'A batch has at least one item')
      .max(TRACKING_LIMITS.batchItems, `A batch has at most ${TRACKING_LIMITS.batchItems} items`),
    dnt: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<TrackBatch>;
