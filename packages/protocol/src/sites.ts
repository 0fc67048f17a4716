/**
 * The sites part of the REST contract: listing, creating and deleting sites
 * (changing one is `UpdateSiteRequest` in http.ts). Owners and admins work on
 * every site; an operator on the sites they are granted.
 */
import type { SiteDTO } from './dto.js';

/** The sites the caller works on, oldest first. */
export interface SiteList {
  sites: SiteDTO[];
}

/** A new site. Its public key (the snippet's `data-site`) is made by the server and cannot be chosen. */
export interface CreateSiteRequest {
  name: string;
  /** Origins like `https://shop.example`; more can be added later. */
  allowedOrigins?: string[];
}

/** What went with a deleted site: its visitors, and their conversations with every message. */
export interface DeleteSiteResponse {
  deleted: { conversations: number; visitors: number };
}
