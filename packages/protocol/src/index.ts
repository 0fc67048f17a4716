/**
 * @parley/protocol — Parley's wire contract, types only (plus tiny constants),
 * so the widget can import it without pulling runtime weight.
 * Runtime validation lives in `@parley/protocol/schemas`.
 */
export * from './canned-replies.js';
export * from './dossier.js';
export * from './dto.js';
export * from './files.js';
export * from './frame-messages.js';
export * from './http.js';
export * from './identity.js';
export * from './limits.js';
export * from './mail.js';
export * from './routing.js';
export * from './search.js';
export * from './segments.js';
export * from './sites.js';
export * from './socket.js';
export * from './tags.js';
export * from './team.js';
export * from './tracking.js';
export * from './visitors-now.js';
