/**
 * Writes of files: storing an upload (checked by its content, capped while it
 * streams) and sweeping uploads no message ever referenced. Referencing files
 * from a message is the conversations module's (`file-messages.ts`).
 */
import { randomUUID } from 'node:crypto';
import { FILE_LIMITS, type FileSettings } from '@parley/protocol';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { FileRow } from '../../db/schema.js';
import type { Logger } from '../../logger.js';
import type { FileStore } from '../../storage/file-store.js';
import { DomainError } from '../errors.js';
import { detectContentType, SNIFF_BYTES } from './content-type.js';

export interface UploadProps {
  siteId: string;
  uploader: { kind: 'visitor' | 'operator'; id: string };
  /** The name the person chose: shown, never trusted for the type. */
  name: string;
  /** The bytes as they arrive (the request body): read once, never held whole. */
  body: AsyncIterable<Uint8Array>;
  settings: FileSettings;
}

const tooLarge = (maxBytes: number) =>
  new DomainError(
    'payload_too_large',
    `The file is larger than ${formatMegabytes(maxBytes)}, the limit here`,
  );

function formatMegabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Stores an upload, or nothing. The first bytes decide the type before any
 * byte is written; the rest streams to the store and is cut (and what was
 * written removed) the moment it passes the site's size limit, so a 10 GB
 * body costs at most the limit in disk and never memory. The row is written
 * only after the bytes are stored, so a file that has a row has its bytes.
 */
export async function fileUploader(db: Db, store: FileStore, props: UploadProps): Promise<FileRow> {
  const source = props.body[Symbol.asyncIterator]();
  try {
    return await storeUpload(db, store, props, source);
  } finally {
    // Stop reading (a refusal leaves the rest unread; the caller decides what to do with it).
    await source.return?.();
  }
}

async function storeUpload(
  db: Db,
  store: FileStore,
  props: UploadProps,
  source: AsyncIterator<Uint8Array>,
): Promise<FileRow> {
  const maxBytes = Math.min(props.settings.maxBytes, FILE_LIMITS.maxBytes);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.byteLength;
  }
  if (headBytes === 0) throw new DomainError('bad_request', 'The file is empty');
  if (headBytes > maxBytes) throw tooLarge(maxBytes);
  const detected = await detectContentType(Buffer.concat(head), ended);
  if (detected.kind === 'html')
    throw new DomainError('unsupported_type', 'Web pages (HTML, SVG, XML) cannot be sent as files');
  if (detected.kind === 'other' || !props.settings.allowedTypes.includes(detected.type))
    throw new DomainError('unsupported_type', `Files of this type (${detected.type}) are not allowed here`);

  const id = randomUUID();
  let size = 0;
  async function* capped(): AsyncGenerator<Uint8Array> {
    for (const chunk of head) yield chunk;
    size = headBytes;
    if (ended) return;
    for (let next = await source.next(); !next.done; next = await source.next()) {
      size += next.value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      yield next.value;
    }
  }
  await store.put(id, capped());
  try {
    return await db
      .insertInto('files')
      .values({
        id,
        site_id: props.siteId,
        uploader_kind: props.uploader.kind,
        uploader_id: props.uploader.id,
        name: props.name,
        content_type: detected.type,
        size_bytes: size,
        storage_key: id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    await store.remove(id);
    throw error;
  }
}

/** How long an upload may wait for its message before the sweeper removes it. */
export const ORPHAN_FILE_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * Removes uploads that no message referenced and that are older than
 * `olderThan`: the row first (so nobody is offered a file whose bytes are
 * going), then the bytes. Returns how many were removed. Safe on several
 * nodes at once: a row is deleted by one of them only.
 */
export async function orphanFilesSweeper(db: Db, store: FileStore, olderThan: Date): Promise<number> {
  const { rows } = await sql<{ storage_key: string }>`
    DELETE FROM files WHERE id IN (
      SELECT id FROM files WHERE message_id IS NULL AND created_at < ${olderThan}
      ORDER BY created_at LIMIT 1000 FOR UPDATE SKIP LOCKED
    )
    RETURNING storage_key`.execute(db);
  for (const row of rows) await store.remove(row.storage_key);
  return rows.length;
}

/** Sweeps orphaned uploads every hour, starting at a random moment so nodes do not sweep together. */
export function scheduleOrphanFileSweeps(
  db: Db,
  store: FileStore,
  log: Logger,
  options: { maxAgeMs: number; intervalMs?: number },
): () => void {
  const intervalMs = options.intervalMs ?? 60 * 60 * 1000;
  let timer: NodeJS.Timeout;
  const next = (delay: number) => {
    timer = setTimeout(() => {
      orphanFilesSweeper(db, store, new Date(Date.now() - options.maxAgeMs)).then(
        (removed) => {
          if (removed > 0) log.info({ removed }, 'unreferenced uploads removed');
        },
        (error: unknown) => log.warn({ err: error }, 'could not remove unreferenced uploads'),
      );
      next(intervalMs);
    }, delay);
    timer.unref();
  };
  next(Math.random() * intervalMs);
  return () => clearTimeout(timer);
}
