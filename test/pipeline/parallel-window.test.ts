/**
 * Files of a window profiled on worker threads and merged give the report a single thread gives
 * (exact mode: every number the same), both from the sources (the worker bundle in dist/) and
 * through the bundled command, where the worker is found next to the CLI bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WINDOW_4K as dir, runWindow4k } from '../support/window-4k.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('a window profiled on worker threads', () => {
  it('gives the report one thread gives', async () => {
    const run = (workers: number) => runWindow4k({ workers, parallelMinBytes: 0 });

    const single = await run(1);
    const parallel = await run(3);

    expect(parallel.report).toEqual(single.report);
    expect(parallel.report.records.total).toBe(4000);
  });

  it('runs from the bundled command, the worker found beside the bundle', () => {
    const out = mkdtempSync(join(tmpdir(), 'dw-parallel-'));
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(root, 'bin/driftwatch.mjs'), ...args], {
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
    };
    cli('baseline', join(dir, 'train.csv'), '--label-column', 'label', '--out', join(out, 'baseline'));
    const run = (workers: string, to: string) =>
      cli(
        'run',
        '--baseline',
        join(out, 'baseline'),
        '--capture',
        join(dir, 'capture'),
        '--out',
        join(out, to),
        '--workers',
        workers,
        '--parallel-min-mb',
        '0',
      );
    run('1', 'one');
    run('2', 'two');

    const report = (to: string) => {
      const r = JSON.parse(readFileSync(join(out, to, 'report.json'), 'utf8'));
      delete r.generatedAt;
      return r;
    };
    expect(report('two')).toEqual(report('one'));
  }, 60_000);

  it('gives the same model quality when predictions are collected on workers and labels read meanwhile', async () => {
    // The example's arguments, as `npm start` runs them (scripts/example.mjs).
    const example = (await import(new URL('../../scripts/example.mjs', import.meta.url).href)) as {
      exampleBaselineArgs(out: string): string[];
      exampleRunArgs(hh: string, out: string): string[];
    };
    const out = mkdtempSync(join(tmpdir(), 'dw-parallel-quality-'));
    const cli = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(root, 'bin/driftwatch.mjs'), ...args], {
        encoding: 'utf8',
        cwd: root,
      });
      expect(r.status, r.stderr).toBe(0);
    };
    cli(...example.exampleBaselineArgs(out));
    const run = (workers: string, to: string) =>
      cli(
        ...example.exampleRunArgs('05', out).map((a) => (a === `${out}/2026-11-26T05` ? join(out, to) : a)),
        '--workers',
        workers,
        '--parallel-min-mb',
        '0',
      );
    run('1', 'one');
    run('2', 'two');

    const read = (to: string, file: string) => JSON.parse(readFileSync(join(out, to, file), 'utf8'));
    const statistics = (to: string) => {
      const s = read(to, 'model_quality_statistics.json');
      delete s.dataset.evaluation_time;
      return s;
    };
    const one = read('one', 'report.json');
    const two = read('two', 'report.json');
    expect(one.quality.matched).toBeGreaterThan(500);
    expect(two.quality).toEqual(one.quality);
    expect(statistics('two')).toEqual(statistics('one'));
  }, 60_000);
});
