/**
 * Baseline files are input (issue: hardening, "baseline files are input"): every field of
 * statistics.json, constraints.json and baseline.json is checked with a message naming the file
 * and the field; a damaged field never crashes a run (exit 3); a feature named twice and a
 * string domain are refused; and the files driftwatch writes for values near 1e160 and 1e308
 * read back.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';

const cli = cliRunner('2026-11-26T06:00:00Z');
const FILES = ['statistics.json', 'constraints.json', 'baseline.json'] as const;
type FileName = (typeof FILES)[number];

let root: string;
let capture: string;
let good: Record<FileName, unknown>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'driftwatch-baseline-files-'));
  const train = join(root, 'train.csv');
  writeFileSync(train, 'age,city,score\n31,Paris,0.2\n45,Rome,0.7\n27,Paris,0.4\n52,Lyon,0.9\n');
  const r = await cli('baseline', train, '--out', join(root, 'baseline'), '--probability-column', 'score');
  expect(r.code).toBe(0);
  good = Object.fromEntries(
    FILES.map((f) => [f, JSON.parse(readFileSync(join(root, 'baseline', f), 'utf8'))]),
  ) as Record<FileName, unknown>;
  capture = join(root, 'capture');
  const lines = ['33,Paris', '48,Rome', '29,Lyon'].map((input, i) =>
    captureLine({ input: csvSide(input), output: csvSide(`0.${i + 3}`), time: '2026-11-26T05:10:00Z' }),
  );
  writeCapture(join(capture, '2026/11/26/05'), 'a.jsonl', lines);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a capture file of `lines` under `dir`. */
function writeCapture(dir: string, name: string, lines: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
}

let folders = 0;
/** A baseline folder with `files` (SageMaker's two when baseline.json is not among them). */
function folder(files: Partial<Record<FileName, unknown>>): string {
  const dir = join(root, `b${folders++}`);
  mkdirSync(dir);
  for (const [name, doc] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(doc));
  return dir;
}

const run = (baseline: string) =>
  cli('run', '--baseline', baseline, '--capture', capture, '--out', join(root, `out${folders}`));

/** Every field path of a JSON document, long lists cut to their first two items. */
function paths(doc: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : [];
  if (Array.isArray(doc))
    for (const [i, v] of doc.slice(0, 2).entries()) out.push(...paths(v, [...prefix, i]));
  else if (doc !== null && typeof doc === 'object')
    for (const [k, v] of Object.entries(doc)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function withValue(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path.at(-1)!] = value;
  return copy;
}

describe('damaged baseline files', () => {
  const BAD: unknown[] = [null, 'x', -1, [], {}];

  it.each(FILES)(
    '%s: any field of the wrong shape is exit 0 or a message naming the file, never a crash',
    async (file) => {
      const crashes: string[] = [];
      let refused = 0;
      for (const path of paths(good[file])) {
        for (const value of BAD) {
          const files: Partial<Record<FileName, unknown>> =
            file === 'baseline.json'
              ? {
                  'baseline.json': withValue(good[file], path, value),
                  'constraints.json': good['constraints.json'],
                }
              : {
                  ...{
                    'statistics.json': good['statistics.json'],
                    'constraints.json': good['constraints.json'],
                  },
                  [file]: withValue(good[file], path, value),
                };
          const dir = folder(files);

          const r = await run(dir);

          if (r.code === 2) {
            refused++;
            if (!r.stderr.includes(join(dir, file)))
              crashes.push(`${path.join('.')}=${JSON.stringify(value)}: ${r.stderr}`);
          } else if (r.code !== 0)
            crashes.push(
              `${path.join('.')}=${JSON.stringify(value)}: exit ${r.code} ${r.stderr.slice(0, 200)}`,
            );
        }
      }

      expect(crashes).toEqual([]);
      expect(refused).toBeGreaterThan(20);
    },
    60_000,
  );

  it('names the field and what it must be', async () => {
    const stats = structuredClone(good['statistics.json']) as {
      features: Array<{
        name: string;
        numerical_statistics: { distribution: { kll: { sketch: { parameters: unknown } } } };
      }>;
    };
    stats.features.find((f) => f.name === 'age')!.numerical_statistics.distribution.kll.sketch.parameters =
      null;
    const dir = folder({ 'statistics.json': stats });

    const r = await run(dir);

    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `driftwatch: ${join(dir, 'statistics.json')}: feature "age": numerical_statistics.distribution.kll.sketch.parameters must be an object (got null); rebuild the baseline\n`,
    );
  });

  it('refuses a string domain (it would be read as a set of characters)', async () => {
    const constraints = structuredClone(good['constraints.json']) as {
      features: Array<{ name: string; string_constraints?: unknown }>;
    };
    const city = constraints.features.find((f) => f.name === 'city')!;
    city.string_constraints = { domains: 'ParisRome' };
    const dir = folder({ 'statistics.json': good['statistics.json'], 'constraints.json': constraints });

    const r = await run(dir);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'constraints.json'));
    expect(r.stderr).toContain('feature "city" string_constraints.domains must be a list (got "ParisRome")');
  });

  it.each(FILES)('%s: refuses a feature named twice', async (file) => {
    const doc = structuredClone(good[file]) as { features: Array<{ name: string }> };
    doc.features.push(doc.features.find((f) => f.name === 'age')!);
    const files =
      file === 'baseline.json'
        ? { 'baseline.json': doc }
        : {
            'statistics.json': good['statistics.json'],
            'constraints.json': good['constraints.json'],
            [file]: doc,
          };
    const dir = folder(files);

    const r = await run(dir);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, file));
    expect(r.stderr).toContain('"age"');
    expect(r.stderr).toContain('is listed twice');
  });
});

describe('huge values', () => {
  // Values near 1e308: their sum is beyond the double range; squares of deviations near 1e160 are too.
  const TRAIN = 'a,b,c\n1e308,1e160,1\n1.5e308,2e160,2\n1.7e308,3e160,3\n';

  it('a baseline and a window of them are written and read back by driftwatch', async () => {
    const train = join(root, 'huge.csv');
    writeFileSync(train, TRAIN);
    const base = join(root, 'huge-baseline');
    const hugeCapture = join(root, 'huge-capture');
    writeCapture(join(hugeCapture, '2026/11/26/05'), 'a.jsonl', [
      captureLine({
        input: csvSide('1.2e308,2.5e160,2'),
        output: csvSide('0.5'),
        time: '2026-11-26T05:10:00Z',
      }),
      captureLine({
        input: csvSide('1.6e308,1.5e160,1'),
        output: csvSide('0.5'),
        time: '2026-11-26T05:20:00Z',
      }),
    ]);
    expect((await cli('baseline', train, '--out', base)).code).toBe(0);
    const stats = JSON.parse(readFileSync(join(base, 'statistics.json'), 'utf8'));
    const [a, b] = stats.features;

    // numpy: (x / 1e300).mean() * 1e300 and .std() * 1e300
    expect(Math.abs(a.numerical_statistics.mean / 1.4e308 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(a.numerical_statistics.std_dev / 2.943920288775948e307 - 1)).toBeLessThan(1e-12);
    expect(a.numerical_statistics.sum).toBeNull();
    expect(Math.abs(b.numerical_statistics.std_dev / 8.16496580927726e159 - 1)).toBeLessThan(1e-12);

    // SageMaker's two files alone (sketch comparison), then the window's own statistics.json as a baseline.
    const sagemakerOnly = folder({
      'statistics.json': stats,
      'constraints.json': JSON.parse(readFileSync(join(base, 'constraints.json'), 'utf8')),
    });
    const out = join(root, 'huge-out');
    const first = await cli('run', '--baseline', sagemakerOnly, '--capture', hugeCapture, '--out', out);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const windowStats = JSON.parse(readFileSync(join(out, 'statistics.json'), 'utf8'));
    const again = await cli(
      'run',
      '--baseline',
      folder({ 'statistics.json': windowStats }),
      '--capture',
      hugeCapture,
      '--out',
      join(root, 'huge-out2'),
    );
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const exact = await cli(
      'run',
      '--baseline',
      base,
      '--capture',
      hugeCapture,
      '--out',
      join(root, 'huge-out3'),
    );
    expect(exact.code).toBe(0);
  });
});
