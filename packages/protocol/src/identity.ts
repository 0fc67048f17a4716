/**
 * Identity (issue 12): `Parley('identify', { id, userHash, name, email, phone, ...custom })` on the
 * site's page, and the site's identity settings in the console.
 *
 * The site's server computes `userHash = HMAC-SHA256(id, site identity secret)` in hex. With a valid
 * one the visitor becomes the site's user `id`: the same id on another device continues the same
 * history, and an anonymous profile identifying as a known user is merged into it. Without one the
 * id and fields are stored marked unverified and never merge anything; a site may refuse those
 * altogether (`requireVerification`).
 */
import type { TrackPropertyValue } from './tracking.js';

/** What the loader posts to `IDENTITY_PATHS.widgetIdentify` (JSON, from the site's page). */
export interface IdentifyRequest {
  siteKey: string;
  /** The token in this browser's storage, if any: the profile that identifies. */
  visitorToken?: string;
  /** The site's own user id. */
  id?: string;
  /** HMAC-SHA256 of `id` with the site's identity secret, hex. */
  userHash?: string;
  name?: string;
  email?: string;
  phone?: string;
  /** The call's other fields: flat values, kept on the visitor's card. */
  attributes?: Record<string, TrackPropertyValue>;
}

export interface IdentifyResponse {
  /** The token to keep from now on: another visitor's when this browser became a known user. */
  visitorToken: string;
  visitorId: string;
  /** The id was signed: this visitor is the site's user `id`. */
  verified: boolean;
  /** The browser's anonymous profile was merged into the user's (its history is the user's now). */
  merged: boolean;
}

/** How the console shows who a visitor is on the site's side. */
export interface VisitorIdentityDTO {
  externalId: string | null;
  /** False: given by the page without a valid signature (anyone could have typed it). */
  verified: boolean;
}

/** A site's identity settings (owners and admins only: the secret signs users in). */
export interface SiteIdentityDTO {
  siteId: string;
  /** 64 hex characters; the site's server keeps it secret. */
  secret: string;
  /** Identify calls without a valid userHash are refused. */
  requireVerification: boolean;
}

export interface UpdateSiteIdentityRequest {
  requireVerification: boolean;
}

export const IDENTITY_LIMITS = {
  externalId: 200,
  /** A SHA-256 HMAC in hex. */
  userHash: 64,
  attributes: 30,
  attributeKey: 64,
  attributeValue: 500,
} as const;

export const IDENTITY_PATHS = {
  widgetIdentify: '/api/widget/identify',
  siteIdentity: (siteId: string) => `/api/sites/${siteId}/identity`,
  /** POST: a new secret; every userHash made with the old one stops working at once. */
  siteIdentitySecret: (siteId: string) => `/api/sites/${siteId}/identity/secret`,
} as const;
