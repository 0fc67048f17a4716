/**
 * Routing's part of the contract: departments, per-operator chat limits, how a
 * site assigns new conversations, the visitor's place in the queue,
 * transfers, invitations and escalation. Types only (the widget imports
 * this); schemas in `routing-schemas.ts`.
 */
import type { PublicOperatorDTO } from './dto.js';

/** `auto`: the server assigns each new chat; `queue`: operators pick from a shared queue. */
export const ROUTING_MODES = ['auto', 'queue'] as const;
export type RoutingMode = (typeof ROUTING_MODES)[number];

/**
 * How long a chat has waited without an answer, as the server marks it:
 * `alert` — the assignee gets a louder alert; `open` — every online operator
 * of the site sees it marked and may take it.
 */
export const ESCALATION_LEVELS = ['none', 'alert', 'open'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const ROUTING_DEFAULTS = {
  mode: 'auto',
  alertAfterSeconds: 30,
  escalateAfterSeconds: 60,
  departmentPicker: false,
  chatLimit: 5,
} as const;

export const ROUTING_LIMITS = {
  departmentName: 60,
  departmentsPerSite: 50,
  transferNote: 500,
  chatLimit: { min: 0, max: 100 },
  escalationSeconds: { min: 5, max: 3600 },
} as const;

export interface RoutingSettingsDTO {
  mode: RoutingMode;
  alertAfterSeconds: number;
  escalateAfterSeconds: number;
  /** The widget asks the visitor to pick a department before the first message. */
  departmentPicker: boolean;
}

export interface DepartmentDTO {
  id: string;
  siteId: string;
  name: string;
  operatorIds: string[];
}

/** What a visitor may know of a department: the picker shows these. */
export interface PublicDepartmentDTO {
  id: string;
  name: string;
}

/** An operator of a site as the routing settings show them. */
export interface RoutingOperatorDTO extends PublicOperatorDTO {
  chatLimit: number;
  departmentIds: string[];
}

/** GET and PATCH of a site's routing page. */
export interface SiteRoutingResponse {
  settings: RoutingSettingsDTO;
  departments: DepartmentDTO[];
  operators: RoutingOperatorDTO[];
}
export type UpdateRoutingRequest = Partial<RoutingSettingsDTO>;

export interface CreateDepartmentRequest {
  name: string;
  operatorIds?: string[];
}
export interface UpdateDepartmentRequest {
  name?: string;
  /** The whole membership: operators not listed leave the department. */
  operatorIds?: string[];
}
export interface DepartmentResponse {
  department: DepartmentDTO;
}

export interface UpdateChatLimitRequest {
  chatLimit: number;
}

/** A transfer names exactly one target: a colleague or a department. */
export interface TransferRequest {
  toOperatorId?: string;
  toDepartmentId?: string;
  /** For colleagues only (an internal note); the visitor never sees it. */
  note?: string;
  /** Required when the conversation goes back to someone who handed it away before. */
  reason?: string;
}
export interface ConversationInviteRequest {
  operatorId: string;
}

/**
 * A waiting visitor's place in the queue (1 = next) and an estimate of the
 * wait in seconds, from how long this site's chats have lasted lately; null
 * when there is too little history to estimate honestly. `position: null`:
 * not queued (assigned, or never was).
 */
export interface QueueStatusDTO {
  position: number | null;
  estimatedWaitSeconds: number | null;
}

/** Who else has a conversation open in their console right now (any node). */
export interface ViewersDTO {
  conversationId: string;
  operators: PublicOperatorDTO[];
}
