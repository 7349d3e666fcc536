/** An ObjectStore over a local folder. */
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ObjectMissingError, type ObjectStore, type StoredObject } from './object-store.ts';

/** Bytes read from a file at a time. */
const READ_CHUNK_BYTES = 1 << 20;
/** Buffer pairs a store keeps for later reads. */
const MAX_SPARE_BUFFERS = 2;

/** An ObjectStore over a folder; its reads reuse their buffers (see `read`). */
export class LocalStore implements ObjectStore {
  /** Read buffer pairs of finished reads, for the next ones (reads at the same time take their own). */
  private readonly spare: Buffer[][] = [];

  constructor(readonly root: string) {}

  get location(): string {
    return this.root;
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    const files: StoredObject[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) await walk(p);
        else if (e.isFile()) {
          const key = relative(this.root, p).split(sep).join('/');
          if (key.startsWith(prefix)) files.push({ key, size: (await stat(p)).size });
        }
      }
    };
    await walk(this.root);
    files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* files;
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await open(join(this.root, key), 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ObjectMissingError(`${this.root}/`, key);
      throw e;
    }
    // Two buffers, refilled in turn: the next chunk is read while the caller works on this one.
    // They come back to the store when the file is done, so the files of a window are read
    // through the same two buffers (a read stream allocates a new buffer for every chunk, and
    // even one pair per file leaves megabytes of garbage per file that V8 collects late: the
    // peak then grows with the window).
    const buffers = this.spare.pop() ?? [
      Buffer.allocUnsafe(READ_CHUNK_BYTES),
      Buffer.allocUnsafe(READ_CHUNK_BYTES),
    ];
    let which = 0;
    let next: Promise<{ bytesRead: number }> | null = handle.read(buffers[0]!, 0, READ_CHUNK_BYTES, null);
    try {
      for (;;) {
        const { bytesRead } = await next;
        next = null;
        if (bytesRead === 0) return;
        const chunk = buffers[which]!.subarray(0, bytesRead);
        which ^= 1;
        next = handle.read(buffers[which]!, 0, READ_CHUNK_BYTES, null);
        yield chunk;
      }
    } finally {
      // A caller that stops early leaves a read in flight: let it land before closing.
      await next?.catch(() => undefined);
      await handle.close();
      if (this.spare.length < MAX_SPARE_BUFFERS) this.spare.push(buffers);
    }
  }

  async getText(key: string): Promise<string | null> {
    try {
      return await readFile(join(this.root, key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  async putText(key: string, body: string): Promise<void> {
    const p = join(this.root, key);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, body);
  }
}
