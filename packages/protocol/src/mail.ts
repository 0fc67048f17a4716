/**
 * Email as a channel, the sending side (issue 13): a site's email settings,
 * an operator's email preferences, the console's "emails waiting" figure and
 * the widget's transcript request. Types and paths only.
 */

/** How often a site's owners get a digest by email. */
export const DIGEST_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** A site's email settings (part of `SiteSettings`). */
export interface SiteEmailSettings {
  /** Operator replies the visitor hasn't seen within this many minutes go by email (0: never). */
  unseenMinutes: number;
  /** A closed conversation is emailed to the visitor, when their email is known. */
  transcriptOnClose: boolean;
  /** Owners' digest of the site: conversations, first response time, missed chats, requests waiting. */
  digest: DigestFrequency;
}

export const EMAIL_LIMITS = { unseenMinutesMax: 1440 } as const;

/** The email notifications an operator wants (Settings › Your account). */
export interface MailPreferencesDTO {
  offlineRequests: boolean;
  missedChats: boolean;
  /** Owners' digests (only owners get them). */
  digest: boolean;
}
export type UpdateMailPreferencesRequest = Partial<MailPreferencesDTO>;

/** Owners and admins: can Parley send, and how many emails wait. */
export interface MailStatusResponse {
  smtpConfigured: boolean;
  /** Emails not sent yet (waiting for SMTP, or for their next attempt). */
  waiting: number;
  /** Emails given up (refused by the mail server, or out of attempts). */
  failed: number;
}

/** Widget: email me this conversation. `email` when the visitor's is not known yet (it is saved). */
export interface TranscriptRequest {
  email?: string;
}
export interface TranscriptResponse {
  /** Where it goes. */
  email: string;
}

export const MAIL_PATHS = {
  mailStatus: '/api/mail/status',
  ownMailPreferences: '/api/account/mail-preferences',
  widgetTranscript: '/api/widget/transcript',
  /** One-click unsubscribe from a notification's link or List-Unsubscribe-Post. */
  mailUnsubscribe: '/mail/unsubscribe',
} as const;
