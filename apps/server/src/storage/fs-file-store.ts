/**
 * The default file store: one file per key under a folder (`DATA_DIR/files`
 * unless FILES_DIR says otherwise), written to a `.part` file first and renamed
 * when complete, so a reader never sees half a file and a crash leaves only a
 * `.part`, which nothing references.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileMissingError, type FileStore } from './file-store.js';

/** Keys are Parley's own ids; anything else (a path, a dot) is a bug, refused before touching the disk. */
const SAFE_KEY = /^[a-z0-9-]{8,64}$/;

export function createFsFileStore(dir: string): FileStore {
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key)) throw new Error(`unsafe file key ${JSON.stringify(key)}`);
    // Two levels of 256 folders keep any one folder small at millions of files.
    return { folder: join(dir, key.slice(0, 2)), file: join(dir, key.slice(0, 2), key) };
  };
  return {
    async put(key, source) {
      const { folder, file } = pathOf(key);
      await mkdir(folder, { recursive: true });
      const part = `${file}.part`;
      try {
        await pipeline(Readable.from(source), createWriteStream(part, { flags: 'wx' }));
        await rename(part, file);
      } catch (error) {
        await rm(part, { force: true });
        throw error;
      }
    },
    async get(key) {
      const { file } = pathOf(key);
      const stream = createReadStream(file);
      // Open before answering, so a missing file is an error here and not half a response.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'ENOENT' ? new FileMissingError(key) : error),
        );
      });
      return stream;
    },
    async remove(key) {
      await rm(pathOf(key).file, { force: true });
    },
  };
}
