/** Runtime validation of routing's requests (see `routing.ts`); checked to produce exactly their types. */
import {
  type ConversationInviteRequest,
  type CreateDepartmentRequest,
  ROUTING_LIMITS,
  ROUTING_MODES,
  type TransferRequest,
  type UpdateChatLimitRequest,
  type UpdateDepartmentRequest,
  type UpdateRoutingRequest,
} from './routing.js';
import { safeString, z } from './schemas.js';

const id = safeString().uuid();
const departmentName = safeString().trim().min(1).max(ROUTING_LIMITS.departmentName);
const operatorIds = z.array(id).max(500);
const seconds = z
  .number()
  .int()
  .min(ROUTING_LIMITS.escalationSeconds.min)
  .max(ROUTING_LIMITS.escalationSeconds.max);
const note = safeString().trim().max(ROUTING_LIMITS.transferNote);

export const updateRoutingRequest = z
  .object({
    mode: z.enum(ROUTING_MODES).optional(),
    alertAfterSeconds: seconds.optional(),
    escalateAfterSeconds: seconds.optional(),
    departmentPicker: z.boolean().optional(),
  })
  .strict();

export const createDepartmentRequest = z
  .object({ name: departmentName, operatorIds: operatorIds.optional() })
  .strict();
export const updateDepartmentRequest = z
  .object({ name: departmentName.optional(), operatorIds: operatorIds.optional() })
  .strict();

export const updateChatLimitRequest = z
  .object({ chatLimit: z.number().int().min(ROUTING_LIMITS.chatLimit.min).max(ROUTING_LIMITS.chatLimit.max) })
  .strict();

export const transferRequest = z
  .object({
    toOperatorId: id.optional(),
    toDepartmentId: id.optional(),
    note: note.optional(),
    reason: note.optional(),
  })
  .strict()
  .refine((t) => (t.toOperatorId === undefined) !== (t.toDepartmentId === undefined), {
    message: 'Name exactly one target: toOperatorId or toDepartmentId',
  });

export const conversationInviteRequest = z.object({ operatorId: id }).strict();

export const siteOperatorParams = z.object({ id, operatorId: id });

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
true satisfies Same<z.output<typeof updateRoutingRequest>, UpdateRoutingRequest>;
true satisfies Same<z.output<typeof createDepartmentRequest>, CreateDepartmentRequest>;
true satisfies Same<z.output<typeof updateDepartmentRequest>, UpdateDepartmentRequest>;
true satisfies Same<z.output<typeof updateChatLimitRequest>, UpdateChatLimitRequest>;
true satisfies Same<z.output<typeof transferRequest>, TransferRequest>;
true satisfies Same<z.output<typeof conversationInviteRequest>, ConversationInviteRequest>;
