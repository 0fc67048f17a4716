/**
 * Runtime schemas of the dossier's and segments' requests (see `dossier.ts`, `segments.ts`),
 * re-exported by `schemas.ts` so the NUL walk covers them. Every text has a limit; a segment's
 * condition is one of a closed set of shapes, each field typed, so what reaches the SQL compiler
 * is only ever values of known types.
 */
import { z } from 'zod';
import { DOSSIER_LIMITS, type UpdateVisitorRequest, type VisitorDossierQuery } from './dossier.js';
import { LIMITS } from './limits.js';
import { safeString } from './safe-string.js';
import {
  type CreateSegmentRequest,
  SEGMENT_COLORS,
  SEGMENT_LIMITS,
  type SegmentCondition,
  type SegmentMembershipRequest,
  type SegmentPreviewRequest,
  SOURCE_KINDS,
  type UpdateSegmentRequest,
  UTM_PARAMS,
} from './segments.js';

const attributeKey = safeString()
  .trim()
  .min(1, 'An attribute needs a name')
  .max(
    DOSSIER_LIMITS.attributeKey,
    `An attribute's name has at most ${DOSSIER_LIMITS.attributeKey} characters`,
  )
  .regex(/^[\p{L}\p{N}_.-]+$/u, "An attribute's name may contain letters, digits, _, . and - only");

const attributeValue = z.union([
  safeString().max(
    DOSSIER_LIMITS.attributeValue,
    `An attribute's value has at most ${DOSSIER_LIMITS.attributeValue} characters`,
  ),
  z.number().finite(),
  z.boolean(),
]);

export const updateVisitorRequest = z
  .object({
    name: safeString()
      .trim()
      .min(1, 'A name cannot be empty; send null to clear it')
      .max(LIMITS.displayName, `A name has at most ${LIMITS.displayName} characters`)
      .nullable()
      .optional(),
    email: safeString().trim().max(LIMITS.email).email('Enter a valid email address').nullable().optional(),
    phone: safeString()
      .trim()
      .max(LIMITS.phone, `A phone number has at most ${LIMITS.phone} characters`)
      .regex(/^\+?[0-9][0-9 ()-]{2,}$/, 'A phone number has digits, spaces, (), - and an optional leading +')
      .nullable()
      .optional(),
    attributes: z
      .record(safeString(), attributeValue.nullable())
      // Keys checked here rather than as the record's key schema, whose refusal names no rule.
      .superRefine((record, context) => {
        for (const key of Object.keys(record)) {
          const checked = attributeKey.safeParse(key);
          if (!checked.success)
            context.addIssue({
              code: 'custom',
              path: [key],
              message: checked.error.issues[0]?.message ?? 'Bad name',
            });
          else if (checked.data !== key)
            context.addIssue({
              code: 'custom',
              path: [key],
              message: "An attribute's name has no spaces around it",
            });
        }
      })
      .refine(
        (record) => Object.keys(record).length <= DOSSIER_LIMITS.attributes,
        `A visitor has at most ${DOSSIER_LIMITS.attributes} attributes`,
      )
      .optional(),
  })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'Nothing to change');

export const visitorDossierQuery = z
  .object({ beforeVisit: z.coerce.number().int().min(1).max(2_147_483_647).optional() })
  .strict();

const text = (what: string) =>
  safeString()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(SEGMENT_LIMITS.value, `${what} has at most ${SEGMENT_LIMITS.value} characters`);
const count = z.number().int().min(1, 'A count is at least 1').max(SEGMENT_LIMITS.count);
const days = z
  .number()
  .int()
  .min(1, 'A window is at least 1 day')
  .max(SEGMENT_LIMITS.days, `A window is at most ${SEGMENT_LIMITS.days} days`);
const eventName = safeString().trim().min(1, 'An event needs a name').max(64);

export const segmentCondition = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('attribute'),
      key: attributeKey,
      op: z.enum(['equals', 'contains']),
      value: text('The value'),
    })
    .strict(),
  z.object({ kind: z.literal('source'), value: z.enum(SOURCE_KINDS) }).strict(),
  z.object({ kind: z.literal('utm'), param: z.enum(UTM_PARAMS), value: text('The value') }).strict(),
  z
    .object({
      kind: z.literal('pageViewed'),
      match: z.enum(['contains', 'prefix']),
      value: text('The page address'),
      atLeast: count,
      days,
    })
    .strict(),
  z.object({ kind: z.literal('event'), name: eventName, atLeast: count, days }).strict(),
  z.object({ kind: z.literal('noEvent'), name: eventName, days }).strict(),
  z.object({ kind: z.literal('visitCount'), atLeast: count }).strict(),
  z
    .object({
      kind: z.literal('country'),
      value: safeString()
        .trim()
        .regex(/^[A-Za-z]{2}$/, 'A country is a two-letter code like AM')
        .transform((code) => code.toUpperCase()),
    })
    .strict(),
  z.object({ kind: z.literal('hasEmail') }).strict(),
]);

const conditions = z
  .array(segmentCondition)
  .min(1, 'A segment needs at least one condition')
  .max(SEGMENT_LIMITS.conditions, `A segment has at most ${SEGMENT_LIMITS.conditions} conditions`);
const segmentName = safeString()
  .trim()
  .min(1, 'A segment needs a name')
  .max(SEGMENT_LIMITS.name, `A segment's name has at most ${SEGMENT_LIMITS.name} characters`);
const segmentColor = z.enum(SEGMENT_COLORS);

export const createSegmentRequest = z
  .object({ name: segmentName, color: segmentColor.optional(), conditions })
  .strict();
export const updateSegmentRequest = z
  .object({ name: segmentName.optional(), color: segmentColor.optional(), conditions: conditions.optional() })
  .strict()
  .refine((body) => Object.values(body).some((v) => v !== undefined), 'Nothing to change');
export const segmentPreviewRequest = z.object({ conditions }).strict();
export const segmentMembershipRequest = z
  .object({
    visitorIds: z
      .array(safeString().uuid())
      .max(
        SEGMENT_LIMITS.membershipVisitors,
        `At most ${SEGMENT_LIMITS.membershipVisitors} visitors at once`,
      ),
  })
  .strict();

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof segmentCondition>, SegmentCondition>;
true satisfies Same<z.output<typeof createSegmentRequest>, CreateSegmentRequest>;
true satisfies Same<z.output<typeof updateSegmentRequest>, UpdateSegmentRequest>;
true satisfies Same<z.output<typeof segmentPreviewRequest>, SegmentPreviewRequest>;
true satisfies Same<z.output<typeof segmentMembershipRequest>, SegmentMembershipRequest>;
true satisfies Same<z.output<typeof updateVisitorRequest>, UpdateVisitorRequest>;
true satisfies Same<z.output<typeof visitorDossierQuery>, VisitorDossierQuery>;
