/** Runtime validation of identity's requests (see `identity.ts`); checked to produce exactly their types. */

import { IDENTITY_LIMITS, type IdentifyRequest, type UpdateSiteIdentityRequest } from './identity.js';
import { LIMITS } from './limits.js';
import { safeString, z } from './schemas.js';

const attributeValue = z.union([
  safeString().max(IDENTITY_LIMITS.attributeValue),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);

export const identifyRequest = z
  .object({
    siteKey: safeString().min(1).max(LIMITS.siteKey),
    visitorToken: safeString().max(LIMITS.visitorToken).optional(),
    id: safeString().trim().min(1).max(IDENTITY_LIMITS.externalId).optional(),
    userHash: safeString()
      .regex(/^[0-9a-fA-F]{64}$/, 'userHash must be 64 hex characters (HMAC-SHA256)')
      .optional(),
    name: safeString().trim().min(1).max(LIMITS.displayName).optional(),
    email: safeString().trim().max(LIMITS.email).email('Enter a valid email address').optional(),
    phone: safeString().trim().min(1).max(LIMITS.phone).optional(),
    attributes: z
      .record(safeString().min(1).max(IDENTITY_LIMITS.attributeKey), attributeValue)
      .refine((a) => Object.keys(a).length <= IDENTITY_LIMITS.attributes, {
        message: `At most ${IDENTITY_LIMITS.attributes} custom attributes`,
      })
      .optional(),
  })
  .strict()
  .refine((r) => r.userHash === undefined || r.id !== undefined, {
    message: 'userHash signs an id: send the id with it',
    path: ['userHash'],
  });

export const updateSiteIdentityRequest = z.object({ requireVerification: z.boolean() }).strict();

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.infer<typeof identifyRequest>, IdentifyRequest>;
true satisfies Same<z.infer<typeof updateSiteIdentityRequest>, UpdateSiteIdentityRequest>;
