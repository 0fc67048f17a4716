/**
 * Input limits shared by server and clients: the server enforces them, the
 * clients use them to stop a visitor typing past them before the server says no.
 */
export const LIMITS = {
  messageText: 4000,
  clientId: 64,
  email: 254,
  phone: 32,
  displayName: 80,
  password: { min: 8, max: 200 },
  pageUrl: 2048,
  /** A signed visitor token as Parley issues it is far shorter; anything longer is not one. */
  visitorToken: 300,
  pageTitle: 300,
  typingPreview: 500,
  /** A conversation's last message as its list row carries it: the start of the text, in characters. */
  lastMessagePreview: 200,
  siteKey: 64,
  siteName: 100,
  greeting: 300,
  allowedOrigins: 20,
  pageSize: { default: 50, max: 200 },
  /** Frames larger than this are refused before parsing. */
  frameBytes: 16 * 1024,
} as const;

/** Default rate limits; the server may be configured tighter or looser. */
export const RATE_LIMITS = {
  visitorMessagesPerMinute: 30,
  loginAttemptsPerWindow: 5,
  loginWindowSeconds: 60,
} as const;
