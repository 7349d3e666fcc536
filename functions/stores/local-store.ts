/** An ObjectStore over a local folder. */
import { mkdir, open, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ObjectMissingError, type ObjectStore, type StoredObject } from './object-store.ts';

/** True when the path `inner` is `outer` or under it. */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);
}

/** Bytes read from a file at a time. */
const READ_CHUNK_BYTES = 1 << 20;
/** Buffer pairs a store keeps for later reads. */
const MAX_SPARE_BUFFERS = 2;

/**
 * An ObjectStore over a folder; its reads reuse their buffers (see `read`). Its listing follows
 * symlinked files and folders (a file is listed under the link's path); a link that leads back
 * into a folder being listed (a loop) or nowhere (dangling) is left out and told to `onIssue`,
 * never followed forever nor skipped in silence.
 */
export class LocalStore implements ObjectStore {
  /** Read buffer pairs of finished reads, for the next ones (reads at the same time take their own). */
  private readonly spare: Buffer[][] = [];

  constructor(
    readonly root: string,
    /** Told of each link the listing leaves out. @default a process warning */
    private readonly onIssue: (message: string) => void = (m) => process.emitWarning(m),
  ) {}

  get location(): string {
    return this.root;
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    const files: StoredObject[] = [];
    /** Walks `dir`, whose real path is `real`; `open` holds the real paths of the folders above. */
    const walk = async (dir: string, real: string, open: ReadonlySet<string>): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
      const inside = new Set(open).add(real);
      for (const e of entries) {
        const p = join(dir, e.name);
        const key = () => relative(this.root, p).split(sep).join('/');
        let isDirectory = e.isDirectory();
        let isFile = e.isFile();
        let target = join(real, e.name);
        if (e.isSymbolicLink()) {
          try {
            target = await realpath(p);
            const s = await stat(target);
            isDirectory = s.isDirectory();
            isFile = s.isFile();
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            this.onIssue(
              code === 'ELOOP'
                ? `${p}: a symlink loop; not followed`
                : `${p}: a symlink to nothing (${code ?? (err as Error).message}); skipped`,
            );
            continue;
          }
          if (isDirectory && [...inside].some((d) => within(d, target))) {
            this.onIssue(
              `${p}: a symlink loop (it leads back to ${target}, a folder above it); not followed`,
            );
            continue;
          }
        }
        if (isDirectory) {
          if (prefix === '' || prefix.startsWith(`${key()}/`) || key().startsWith(prefix))
            await walk(p, target, inside);
        } else if (isFile) {
          const k = key();
          if (k.startsWith(prefix)) files.push({ key: k, size: (await stat(p)).size });
        }
      }
    };
    await walk(this.root, await realpath(this.root).catch(() => resolve(this.root)), new Set());
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
