/**
 * Reading a training CSV: a quote inside an unquoted field is text (the rows after it stay rows);
 * a row with more or fewer fields than the header is left out and counted, never cut or padded
 * into the profiles; a file with a header and no rows is refused, naming the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineStatistics } from '../../functions/engine/drift/baseline.ts';
import { readTrainingSet, TrainingDataError } from '../../functions/sources/training-data.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';

const root = mkdtempSync(join(tmpdir(), 'dw-training-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const store = new LocalStore(root);
const write = (name: string, text: string) => {
  writeFileSync(join(root, name), text);
  return name;
};
const feature = (b: Awaited<ReturnType<typeof readTrainingSet>>['baseline'], name: string) =>
  b.features.find((f) => f.name === name);

describe('training CSV', () => {
  it('reads a quote inside an unquoted field as text, and every row after it', async () => {
    const key = write('products.csv', 'item,price\n15" laptop,999\nmouse,25\n"desk, oak",300\nlamp,40\n');
    const { baseline, leftOut } = await readTrainingSet(store, key);
    expect(baseline.itemCount).toBe(4);
    expect(leftOut.tooFewFields + leftOut.tooManyFields).toBe(0);
    expect(feature(baseline, 'price')?.kind).toBe('numeric');
  });

  it('leaves out and counts rows with too many or too few fields', async () => {
    const key = write('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n13\n');
    const { baseline, leftOut } = await readTrainingSet(store, key);
    expect(baseline.itemCount).toBe(2);
    expect(leftOut).toEqual({ tooFewFields: 2, tooManyFields: 1, first: { row: 2, fields: 2 }, expected: 3 });
    // Nothing of the ragged rows reached the profiles: column c saw 3 and 12 only (not 8 or 9).
    const c = baselineStatistics(baseline).features.find((f) => f.name === 'c');
    expect(c?.numerical_statistics).toMatchObject({
      common: { num_present: 2, num_missing: 0 },
      min: 3,
      max: 12,
    });
  });

  it('refuses a header with no rows, and a file whose rows all have the wrong number of fields', async () => {
    await expect(readTrainingSet(store, write('header-only.csv', 'a,b,c\n'))).rejects.toThrow(
      new TrainingDataError(
        `${root}/header-only.csv: has a header but no rows; a training set needs at least one row`,
      ),
    );
    await expect(readTrainingSet(store, write('all-ragged.csv', 'a,b,c\n1,2\n3,4,5,6\n'))).rejects.toThrow(
      /all-ragged\.csv: none of its 2 rows has the 3 fields of the header/,
    );
  });
});
