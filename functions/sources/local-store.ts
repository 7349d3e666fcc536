/** An ObjectStore over a local folder. */
import { mkdir, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { ObjectMissingError, type ObjectStore, type StoredObject } from './object-store.ts';

export class LocalStore implements ObjectStore {
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
    yield* handle.createReadStream({ highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>;
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
