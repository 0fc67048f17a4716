/**
 * The IPC contract between the ingest benchmark (`ingest.ts`) and its tracking
 * workers (`ingest-worker.ts`). Each worker simulates a share of the visitors:
 * the loader's batches over HTTP keep-alive to POST /api/widget/track.
 */

export interface IngestWorkerConfig {
  workerIndex: number;
  /** http://127.0.0.1:PORT */
  url: string;
  siteKey: string;
  /** The `Origin` the simulated pages send: one of the site's allowed origins. */
  origin: string;
  visitors: number;
  /** Mean time between one visitor's batches; each wait is jittered ±25 %. */
  intervalMs: number;
  /** The visitors' first batches (no token yet) are spread evenly over this long. */
  rampMs: number;
  /** Keep-alive sockets this worker may hold open to the server. */
  sockets: number;
}

export type ToIngestWorker =
  | ({ type: 'start' } & IngestWorkerConfig)
  /** Forget what was counted so far: the measured window starts now. */
  | { type: 'window' }
  | { type: 'status' }
  | { type: 'collect' }
  /** Send no more; answer when every batch in flight has its answer. */
  | { type: 'stop' };

export interface IngestCounts {
  /** Batches answered 200, and the items they carried / the server counted as new. */
  batches: number;
  items: number;
  accepted: number;
  /** First batches of a visitor (no token) answered 200: visitors created. */
  newVisitors: number;
  /** Answers that were not 200, by status ('network' for a failed request). */
  failures: Record<string, number>;
  firstError: string | null;
  /** A visitor's turn came while its previous batch was still unanswered (the loader sends one at a time). */
  skipped: number;
}

export type FromIngestWorker =
  /** Every visitor scheduled (their first batches go out over the ramp). */
  | { type: 'started' }
  | ({ type: 'status'; registered: number; inFlight: number } & IngestCounts)
  /**
   * Latencies (ms) of the batches answered in the window: request issued → answer read (waits for one of the
   * pool's sockets included), and request on its socket → answer read.
   */
  | ({ type: 'collected'; latencies: number[]; onSocketLatencies: number[] } & IngestCounts)
  | { type: 'stopped' }
  | { type: 'fatal'; message: string };
