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
  /** Sites one invitation or one member's grant may name. */
  teamSites: 500,
  pageSize: { default: 50, max: 200 },
  /** A search query, in characters: longer is not a search but a paste. */
  searchQuery: 200,
  /** Frames larger than this are refused before parsing. */
  frameBytes: 16 * 1024,
  /**
   * Frames of one socket waiting for their turn (they run one after another). Past `frames` or
   * `bytes`, a frame is refused at once with a `rate_limited` error (retry it later); a client that
   * goes on sending `refusalsBeforeClose` frames in a row that are refused is closed with
   * `CLOSE_CODES.flooding`. Clients should keep fewer than `frames` frames unanswered: a console
   * resyncing many threads at once stays well inside.
   */
  socketQueue: { frames: 256, bytes: 1024 * 1024, refusalsBeforeClose: 256 },
} as const;

/** Default rate limits; the server may be configured tighter or looser. */
export const RATE_LIMITS = {
  visitorMessagesPerMinute: 30,
  loginAttemptsPerWindow: 5,
  loginWindowSeconds: 60,
  /**
   * Typing announcements per second from one socket (per conversation for an operator). Frames in
   * between are acked and coalesced: the latest state goes out at the end of the interval, so the
   * sneak peek stays current and a "stopped typing" is never lost.
   */
  typingAnnouncementsPerSecond: 4,
  /** `conversation.sync` frames per minute from one visitor (each answer can be megabytes). */
  visitorSyncsPerMinute: 30,
  /** `conversation.sync` frames per minute from one operator: a console resyncs every open thread on reconnect. */
  operatorSyncsPerMinute: 240,
} as const;
