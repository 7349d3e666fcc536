/**
 * LocalStore's listing follows symlinked files and folders (capture trees are often assembled
 * from links), and a link that loops or leads nowhere is named, never followed forever nor
 * skipped in silence.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../functions/stores/local-store.ts';

const root = mkdtempSync(join(tmpdir(), 'dw-local-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function listing(dir: string, prefix?: string) {
  const issues: string[] = [];
  const store = new LocalStore(dir, (m) => issues.push(m));
  const keys: Array<[string, number]> = [];
  for await (const o of store.list(prefix)) keys.push([o.key, o.size]);
  return { keys, issues };
}

describe('LocalStore.list and symlinks', () => {
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(join(elsewhere, 'hour'), { recursive: true });
  writeFileSync(join(elsewhere, 'hour', 'b.jsonl'), 'bb\n');
  writeFileSync(join(elsewhere, 'c.jsonl'), 'ccc\n');
  const capture = join(root, 'capture');
  mkdirSync(join(capture, 'real'), { recursive: true });
  writeFileSync(join(capture, 'real', 'a.jsonl'), 'a\n');
  symlinkSync(join(elsewhere, 'hour'), join(capture, 'linked-folder'));
  symlinkSync(join(elsewhere, 'c.jsonl'), join(capture, 'real', 'linked-file.jsonl'));

  it('follows symlinked files and folders, listing them under the link', async () => {
    const { keys, issues } = await listing(capture);
    expect(keys).toEqual([
      ['linked-folder/b.jsonl', 3],
      ['real/a.jsonl', 2],
      ['real/linked-file.jsonl', 4],
    ]);
    expect(issues).toEqual([]);
    const store = new LocalStore(capture);
    expect(await store.getText('linked-folder/b.jsonl')).toBe('bb\n');
  });

  it('names a symlink loop and a dangling link, lists the rest, and ends', async () => {
    const loopy = join(root, 'loopy');
    mkdirSync(join(loopy, 'a', 'b'), { recursive: true });
    writeFileSync(join(loopy, 'a', 'b', 'x.jsonl'), 'x\n');
    symlinkSync(join(loopy, 'a'), join(loopy, 'a', 'b', 'up'));
    symlinkSync(loopy, join(loopy, 'root'));
    symlinkSync(join(loopy, 'self'), join(loopy, 'self'));
    symlinkSync(join(loopy, 'gone'), join(loopy, 'dangling.jsonl'));
    const { keys, issues } = await listing(loopy);
    expect(keys).toEqual([['a/b/x.jsonl', 2]]);
    expect(issues).toHaveLength(4);
    expect(issues.find((m) => m.includes(join('a', 'b', 'up')))).toMatch(/symlink loop/);
    expect(issues.find((m) => m.includes(join(loopy, 'root')))).toMatch(/symlink loop/);
    expect(issues.find((m) => m.includes('self'))).toMatch(/symlink loop/);
    expect(issues.find((m) => m.includes('dangling.jsonl'))).toMatch(/symlink to nothing/);
  });

  it('lists only under the prefix, through a link', async () => {
    expect((await listing(capture, 'linked-folder/')).keys).toEqual([['linked-folder/b.jsonl', 3]]);
    expect((await listing(capture, 'real/a')).keys).toEqual([['real/a.jsonl', 2]]);
  });
});
