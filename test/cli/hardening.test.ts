/**
 * Issue 17, the command line: training CSVs read leniently but never silently cut, outputs that
 * never land on inputs, usage errors caught before anything is written, zoneless times read as
 * UTC, damaged history skipped by name, symlinked capture followed (and loops named).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureFile, captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';

const cli = cliRunner('2026-11-26T07:00:00Z');

let root: string;
let baseline: string;
let capture: string;
let labels: string;
const LINES = 40;

/** `age,city` rows and their capture lines at 05:00:00Z + i minutes (`zone` '' for none). */
const row = (i: number) => `${20 + (i % 30)},${['Paris', 'Rome', 'Lyon'][i % 3]}`;
const lineAt = (i: number, zone = 'Z') =>
  captureLine({
    input: csvSide(row(i)),
    output: csvSide(String((i % 10) / 10)),
    time: `2026-11-26T05:${String(i).padStart(2, '0')}:00${zone}`,
  });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'dw-hardening-'));
  const train = join(root, 'train.csv');
  writeFileSync(
    train,
    `age,city,score\n${Array.from({ length: 200 }, (_, i) => `${row(i)},${(i % 10) / 10}`).join('\n')}\n`,
  );
  baseline = join(root, 'baseline');
  const b = await cli('baseline', train, '--probability-column', 'score', '--out', baseline);
  if (b.code !== 0) throw new Error(b.stderr);
  capture = join(root, 'capture');
  mkdirSync(capture);
  writeFileSync(join(capture, 'a.jsonl'), captureFile(Array.from({ length: LINES }, (_, i) => lineAt(i))));
  labels = join(root, 'labels');
  mkdirSync(labels);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh folder name under the test root (not created). */
let n = 0;
const fresh = (name: string) => join(root, `${name}-${++n}`);

/** The run's one-line refusal: exit 2, the message, no stack trace. */
function refused(r: { code: number; stderr: string; stdout: string }, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

const run = (out: string, ...more: string[]) =>
  cli('run', '--baseline', baseline, '--capture', capture, '--out', out, ...more);

describe('training CSV through driftwatch baseline', () => {
  it('reads `15" laptop` as a value and the rows after it as rows', async () => {
    const data = join(root, 'products.csv');
    writeFileSync(data, 'item,price\n15" laptop,999\nmouse,25\n"desk, oak",300\nlamp,40\n');
    const out = fresh('products');
    const r = await cli('baseline', data, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Baseline of 4 rows: 2 features \(1 numeric, 1 categorical\)/);
    expect(JSON.parse(readFileSync(join(out, 'statistics.json'), 'utf8')).dataset.item_count).toBe(4);
  });

  it('leaves out rows with too many or too few fields, counted on stdout and warned of on stderr', async () => {
    const data = join(root, 'ragged.csv');
    writeFileSync(data, 'a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n13\n');
    const r = await cli('baseline', data, '--out', fresh('ragged'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^Baseline of 2 rows \(3 more left out: 2 with too few fields, 1 with too many\)/,
    );
    expect(r.stderr).toBe(
      `driftwatch: warning: ${data}: 3 rows left out of the baseline, their fields not the header's 3 (2 with fewer fields than 3, 1 with more fields than 3; the first is data row 2, with 2 fields)\n`,
    );
  });

  it('refuses a header-only file, naming it, and writes nothing', async () => {
    const data = join(root, 'header-only.csv');
    writeFileSync(data, 'a,b,c\n');
    const out = fresh('header-only');
    refused(await cli('baseline', data, '--out', out), /header-only\.csv: has a header but no rows/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('outputs never overwrite inputs', () => {
  it('run refuses --out that is, or is inside, --baseline, --capture or --ground-truth', async () => {
    const before = readdirSync(capture);
    refused(await run(capture), /--out .*: is the same folder as --capture/);
    refused(await run(join(capture, 'reports')), /--out .*: is inside --capture/);
    refused(await run(join(baseline, 'w1')), /--out .*: is inside --baseline/);
    refused(await run(join(labels, 'w1'), '--ground-truth', labels), /--out .*: is inside --ground-truth/);
    expect(readdirSync(capture)).toEqual(before);
    expect(existsSync(join(baseline, 'w1'))).toBe(false);
  });

  it('compares real paths: an --out reached through a symlink to the capture is refused', async () => {
    const link = join(root, 'capture-link');
    symlinkSync(capture, link);
    refused(await run(join(link, 'out')), /is inside --capture/);
    expect(existsSync(join(capture, 'out'))).toBe(false);
  });

  it('compares bucket and prefix for s3:// locations (refused before any request)', async () => {
    const r = await cli(
      'run',
      '--baseline',
      baseline,
      '--capture',
      's3://bucket/capture/ep',
      '--out',
      's3://bucket/capture/ep/reports/',
    );
    refused(r, /--out s3:\/\/bucket\/capture\/ep\/reports\/: is inside --capture s3:\/\/bucket\/capture\/ep/);
  });

  it('baseline refuses an --out whose files would overwrite DATA, or that is DATA', async () => {
    const dir = fresh('jsonl-data');
    mkdirSync(dir);
    const data = join(dir, 'baseline.json');
    const text = '{"a":1}\n{"a":2}\n';
    writeFileSync(data, text);
    refused(
      await cli('baseline', data, '--out', dir),
      /--out .*: would overwrite the training data .*baseline\.json/,
    );
    refused(await cli('baseline', data, '--out', data), /--out .*baseline\.json: is a file/);
    expect(readFileSync(data, 'utf8')).toBe(text);
    expect(readdirSync(dir)).toEqual(['baseline.json']);
  });

  it("run skips driftwatch's own files under --capture (an earlier run's --out), naming them", async () => {
    const tree = fresh('capture-tree');
    mkdirSync(tree);
    writeFileSync(join(tree, 'a.jsonl'), readFileSync(join(capture, 'a.jsonl')));
    const first = await cli(
      'run',
      '--baseline',
      baseline,
      '--capture',
      capture,
      '--out',
      join(tree, 'reports'),
    );
    expect(first.code, first.stderr).toBe(0);
    const out = fresh('out');
    const r = await cli('run', '--baseline', baseline, '--capture', tree, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /skipping 3 of driftwatch's own output files under --capture .* \(reports\/constraint_violations\.json, reports\/report\.json, reports\/statistics\.json\)/,
    );
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.records).toMatchObject({ total: LINES, profiled: LINES, rejected: 0 });
    expect(report.warnings.join('\n')).toMatch(/4 files under the capture location .* were not read/);
  });

  it('report refuses an --out that would overwrite a report.json or report.html', async () => {
    const reports = fresh('reports');
    const r = await run(join(reports, 'w1'));
    expect(r.code, r.stderr).toBe(0);
    const before = readFileSync(join(reports, 'w1', 'report.json'), 'utf8');
    refused(
      await cli('report', '--reports', reports, '--out', join(reports, 'w1', 'report.json')),
      /would overwrite a window's report\.json/,
    );
    refused(
      await cli('report', '--reports', reports, '--out', join(reports, 'w1', 'report.html')),
      /report\.html/,
    );
    expect(readFileSync(join(reports, 'w1', 'report.json'), 'utf8')).toBe(before);
  });
});

describe('nothing written on a usage error', () => {
  it.each([
    ['--quality-margin -1', ['--quality-margin', '-1']],
    ['--quality-margin=-1', ['--quality-margin=-1']],
    ["--quality-margin ''", ['--quality-margin', '']],
    ["--quality-window-records ''", ['--quality-window-records', '']],
    ['--quality-margin 0x10', ['--quality-margin', '0x10']],
  ])('baseline %s: exit 2, no --out folder', async (_, flags) => {
    const data = join(root, 'labelled.csv');
    writeFileSync(
      data,
      `age,label,score\n${Array.from({ length: 50 }, (_, i) => `${i},${i % 2},${(i % 10) / 10}`).join('\n')}\n`,
    );
    const out = fresh('quality');
    const r = await cli(
      'baseline',
      data,
      '--out',
      out,
      '--problem-type',
      'BinaryClassification',
      '--label-column',
      'label',
      '--probability-column',
      'score',
      ...flags,
    );
    refused(r, /--quality-(margin|window-records) must be/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    ["--probability-threshold ''", ['--ground-truth', 'LABELS', '--probability-threshold', '']],
    ["--exact-cap ''", ['--exact-cap', '']],
    ["--max-categories ''", ['--max-categories', '']],
    ["--dataset-drift-share ''", ['--dataset-drift-share', '']],
    ['--workers 0x2', ['--workers', '0x2']],
    ['--start 2026-02-30T00:00:00Z', ['--start', '2026-02-30T00:00:00Z']],
    ['--start 1', ['--start', '1']],
    ['--end 2026-11-26T25:00:00Z', ['--end', '2026-11-26T25:00:00Z']],
  ])('run %s: exit 2, no --out folder', async (_, flags) => {
    const out = fresh('usage');
    // The table is built before beforeAll makes the labels folder.
    const given = flags.map((f) => (f === 'LABELS' ? labels : f));
    refused(await run(out, ...given), new RegExp(flags.at(-2)!));
    expect(existsSync(out)).toBe(false);
  });

  it('run and baseline refuse an --out that is an existing file, or under one', async () => {
    const file = join(root, 'a-file.txt');
    writeFileSync(file, 'keep me');
    refused(await run(file), /--out .*a-file\.txt: is a file/);
    refused(await run(join(file, 'sub')), /a-file\.txt is a file, so no folder can be made under it/);
    refused(await cli('baseline', join(root, 'train.csv'), '--out', file), /is a file/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});

describe('times without a zone are UTC', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('selects zoneless inferenceTimes and --start/--end by UTC on a machine in New York', async () => {
    process.env.TZ = 'America/New_York';
    const zoneless = fresh('zoneless');
    mkdirSync(zoneless);
    writeFileSync(
      join(zoneless, 'a.jsonl'),
      captureFile(Array.from({ length: 30 }, (_, i) => lineAt(i, ''))),
    );
    const out = fresh('zoneless-out');
    const r = await cli(
      'run',
      '--baseline',
      baseline,
      '--capture',
      zoneless,
      '--out',
      out,
      '--start',
      '2026-11-26T05:00:00',
      '--end',
      '2026-11-26T05:20:00Z',
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.window).toEqual({ start: '2026-11-26T05:00:00.000Z', end: '2026-11-26T05:20:00.000Z' });
    expect(report.records).toMatchObject({ profiled: 20, outsideWindow: 10 });
  });
});

describe('damaged history and linked capture', () => {
  it('report skips a damaged report.json, naming it, and builds the index from the rest', async () => {
    const reports = fresh('history');
    const r = await run(join(reports, 'w1'));
    expect(r.code, r.stderr).toBe(0);
    const good = JSON.parse(readFileSync(join(reports, 'w1', 'report.json'), 'utf8'));
    const damaged = {
      w2: { ...good, features: [null] },
      w3: { ...good, window: {} },
      w4: { ...good, quality: 'x' },
      w5: { ...good, datasetDrift: { ...good.datasetDrift, share: 'half' } },
      // Passes the field checks but the page cannot be drawn from it: found by drawing it alone.
      w6: { ...good, quality: {} },
    };
    for (const [w, body] of Object.entries(damaged)) {
      mkdirSync(join(reports, w));
      writeFileSync(join(reports, w, 'report.json'), JSON.stringify(body));
    }
    const index = await cli('report', '--reports', reports);
    expect(index.code, index.stderr).toBe(0);
    expect(index.stdout).toMatch(/: 1 window, .*; 5 report\.json skipped \(named above\)\n$/);
    expect(index.stderr).toMatch(/skipping .*w6\/report\.json: the index cannot be drawn from it/);
    for (const [w, reason] of [
      ['w2', 'features\\[0\\] is not an object'],
      ['w3', 'window.start is not a time or null'],
      ['w4', 'quality is not an object or null'],
      ['w5', 'datasetDrift.share is not a number'],
    ])
      expect(index.stderr).toMatch(new RegExp(`skipping .*${w}/report\\.json: is damaged: ${reason}`));
    expect(existsSync(join(reports, 'index.html'))).toBe(true);
  });

  it('run follows symlinked capture folders and files, and names a symlink loop', async () => {
    const tree = fresh('linked');
    mkdirSync(join(tree, 'hour'), { recursive: true });
    symlinkSync(capture, join(tree, 'hour', 'linked-folder'));
    symlinkSync(join(capture, 'a.jsonl'), join(tree, 'linked-file.jsonl'));
    symlinkSync(tree, join(tree, 'hour', 'loop'));
    const out = fresh('linked-out');
    const r = await cli('run', '--baseline', baseline, '--capture', tree, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/hour\/loop: a symlink loop .*not followed/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.records).toMatchObject({ total: 2 * LINES, profiled: 2 * LINES });
  });
});
