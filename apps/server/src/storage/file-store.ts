/**
 * Where uploaded files' bytes live. Domain code sees only this interface, so a
 * store other than the filesystem (an S3-compatible bucket) is one more
 * implementation chosen in `services.ts` by configuration, with no change to
 * the files module. Keys are chosen by Parley (random ids), never by clients.
 */
import type { Readable } from 'node:stream';

export interface FileStore {
  /**
   * Stores the bytes under `key`, or nothing: if `source` throws (a size cap
   * crossed, a connection lost), whatever was written is removed and the error
   * is rethrown. Nobody can read a key before `put` has returned.
   */
  put(key: string, source: AsyncIterable<Uint8Array>): Promise<void>;
  /** The stored bytes; rejects with a `FileMissingError` when there are none. */
  get(key: string): Promise<Readable>;
  /** Removes the bytes; a missing key is not an error. */
  remove(key: string): Promise<void>;
}

export class FileMissingError extends Error {
  constructor(key: string) {
    super(`no stored file ${key}`);
    this.name = 'FileMissingError';
  }
}
