/**
 * The driftwatch command through `main(argv, io)` on temporary folders: exit codes, messages
 * that name the flag or file, the files `baseline` and `run` write, and report.json's fields
 * (INTERFACE.md).
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../functions/engine/stats/seeded-random.ts';
import { captureFile, captureLine, csvSide, hostileCorpus } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';

const cli = cliRunner('2026-11-26T06:00:00Z');

/** `driftwatch run` of the test's capture folder against `baseline`, writing to `out`. */
const runCli = (baseline: string, out: string, ...more: string[]) =>
  cli('run', '--baseline', baseline, '--capture', capture, '--out', out, ...more);

const CITIES = ['Paris', 'Rome', 'Lyon', 'Berlin'];

/** Rows of a churn-like model: age (Integral), income (Fractional), city (String), score, churn. */
function rows(
  count: number,
  seed: number,
  drift = false,
): Array<{ age: number; income: string; city: string; score: string; churn: number }> {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const age = 20 + Math.floor(next() * 50) + (drift ? 40 : 0);
    const income = (20_000 + next() * 60_000).toFixed(2);
    const city = drift && next() < 0.7 ? 'Tokyo' : CITIES[Math.floor(next() * CITIES.length)]!;
    const score = next().toFixed(4);
    return { age, income, city, score, churn: next() < 0.2 ? 1 : 0 };
  });
}

function captureOf(r: { age: number; income: string; city: string; score: string }, time: string): string {
  return captureLine({ input: csvSide(`${r.age},${r.income},${r.city}`), output: csvSide(r.score), time });
}

let root: string;
let train: string;
let baselineDir: string;
let capture: string;
/** Lines written per hour folder: hour 03 clean (plus junk), hour 04 drifted. */
const CLEAN = 300;
const JUNK = ['not json', '[]', '{"captureData":{"endpointInput":{"data":"1,2,Paris","encoding":"XML"}}}'];
const DRIFTED = 200;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'driftwatch-cli-'));
  train = join(root, 'train.csv');
  const t = rows(600, 1);
  writeFileSync(
    train,
    `age,income,city,score,churn\n${t.map((r) => `${r.age},${r.income},${r.city},${r.score},${r.churn}`).join('\n')}\n`,
  );
  baselineDir = join(root, 'baseline');
  const b = await cli(
    'baseline',
    train,
    '--label-column',
    'churn',
    '--probability-column',
    'score',
    '--out',
    baselineDir,
  );
  if (b.code !== 0) throw new Error(`baseline failed: ${b.stderr}`);

  capture = join(root, 'capture');
  const hour = (hh: string) => join(capture, 'churn', 'AllTraffic', '2026', '11', '26', hh);
  mkdirSync(hour('03'), { recursive: true });
  mkdirSync(hour('04'), { recursive: true });
  const clean = rows(CLEAN, 2).map((r, i) =>
    captureOf(r, new Date(Date.UTC(2026, 10, 26, 3, 0, i * 10)).toISOString()),
  );
  writeFileSync(
    join(hour('03'), '05-10-123-aaaa.jsonl'),
    captureFile([...clean.slice(0, 150), ...JUNK, ...clean.slice(150)]),
  );
  const drifted = rows(DRIFTED, 3, true).map((r, i) =>
    captureOf(r, new Date(Date.UTC(2026, 10, 26, 4, 0, i * 10)).toISOString()),
  );
  writeFileSync(join(hour('04'), '00-01-000-bbbb.jsonl'), captureFile(drifted, '\r\n', false));
  writeFileSync(join(capture, 'README.txt'), 'not a capture file\n');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const HOUR_03 = ['--start', '2026-11-26T03:00:00Z', '--end', '2026-11-26T04:00:00Z'];
const HOUR_04 = ['--start', '2026-11-26T04:00:00Z', '--end', '2026-11-26T05:00:00Z'];

describe('driftwatch: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await cli('--help');

    expect(r.code).toBe(0);
    expect(r.stdout).toContain('driftwatch baseline DATA --out DIR');
    expect(r.stdout).toContain('driftwatch run --baseline');
  });

  it('no command prints the usage and exits 2', async () => {
    const r = await cli();

    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage');
  });

  it('an unknown command exits 2 and names it', async () => {
    const r = await cli('monitor');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "monitor"');
  });

  it('an unknown option exits 2 and names it', async () => {
    const r = await runCli(baselineDir, join(root, 'x'), '--frobnicate');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--frobnicate');
  });

  it('run without --baseline exits 2 and names the flag', async () => {
    const r = await cli('run', '--capture', capture, '--out', join(root, 'nope'));

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--baseline');
    expect(existsSync(join(root, 'nope'))).toBe(false);
  });

  it('run with a missing capture folder exits 2 and names the folder', async () => {
    const missing = join(root, 'no-such-capture');
    const out = join(root, 'out-missing-capture');

    const r = await cli('run', '--baseline', baselineDir, '--capture', missing, '--out', out);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stderr).toContain('no such folder');
    expect(existsSync(out)).toBe(false);
  });

  it('run with --start not before --end exits 2 and names both', async () => {
    const r = await runCli(
      baselineDir,
      join(root, 'x'),
      ...HOUR_04.slice(0, 2),
      '--end',
      '2026-11-26T04:00:00Z',
    );

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--start');
    expect(r.stderr).toContain('--end');
  });

  it('run with an unreadable --start exits 2 and names the flag', async () => {
    const r = await runCli(baselineDir, join(root, 'x'), '--start', 'yesterday');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--start');
    expect(r.stderr).toContain('yesterday');
  });

  it('baseline of a missing file exits 2 and names it', async () => {
    const missing = join(root, 'missing.csv');

    const r = await cli('baseline', missing, '--out', join(root, 'bl-missing'));

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(existsSync(join(root, 'bl-missing'))).toBe(false);
  });
});

describe('driftwatch: broken baseline folders', () => {
  function brokenBaseline(name: string, statistics: string): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'statistics.json'), statistics);
    return dir;
  }

  it('a statistics.json that is not JSON: exit 2, the file named, nothing written', async () => {
    const dir = brokenBaseline('broken-json', '{"version": 0.0, "features": [');
    const out = join(root, 'out-broken-json');

    const r = await cli('run', '--baseline', dir, '--capture', capture, '--out', out);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'statistics.json'));
    expect(r.stderr).toContain('not valid JSON');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a numeric feature without a KLL sketch: exit 2, the file and the feature named, nothing written', async () => {
    const stats = read(join(baselineDir, 'statistics.json'));
    const income = stats.features.find((f: { name: string }) => f.name === 'income');
    delete income.numerical_statistics.distribution;
    const dir = brokenBaseline('no-kll', JSON.stringify(stats));
    const out = join(root, 'out-no-kll');

    const r = await cli('run', '--baseline', dir, '--capture', capture, '--out', out);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'statistics.json'));
    expect(r.stderr).toContain('feature "income"');
    expect(r.stderr).toContain('kll');
    expect(existsSync(out)).toBe(false);
  });

  it('a folder with neither baseline.json nor statistics.json: exit 2, the folder named', async () => {
    const dir = join(root, 'empty-baseline');
    mkdirSync(dir, { recursive: true });

    const r = await cli('run', '--baseline', dir, '--capture', capture, '--out', join(root, 'out-empty'));

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(dir);
    expect(existsSync(join(root, 'out-empty'))).toBe(false);
  });

  it('a constraints.json with an unknown comparison method: exit 2, the file and the value named', async () => {
    const dir = join(root, 'bad-constraints');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'statistics.json'), readFileSync(join(baselineDir, 'statistics.json')));
    writeFileSync(
      join(dir, 'constraints.json'),
      JSON.stringify({
        version: 0,
        features: [],
        monitoring_config: { distribution_constraints: { comparison_method: 'Fuzzy' } },
      }),
    );

    const r = await runCli(dir, join(root, 'out-bad-constraints'));

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'constraints.json'));
    expect(r.stderr).toContain('Fuzzy');
  });
});

describe('driftwatch baseline', () => {
  it('writes SageMaker statistics.json and constraints.json plus baseline.json, the label left out', () => {
    const stats = read(join(baselineDir, 'statistics.json'));
    const constraints = read(join(baselineDir, 'constraints.json'));

    expect(existsSync(join(baselineDir, 'baseline.json'))).toBe(true);
    expect(stats.dataset.item_count).toBe(600);
    expect(
      stats.features.map((f: { name: string; inferred_type: string }) => [f.name, f.inferred_type]),
    ).toEqual([
      // The model's output first, then the inputs: SageMaker's analyzer layout.
      ['score', 'Fractional'],
      ['age', 'Integral'],
      ['income', 'Fractional'],
      ['city', 'String'],
    ]);
    const age = stats.features[1].numerical_statistics;
    expect(age.common).toEqual({ num_present: 600, num_missing: 0 });
    expect(age.distribution.kll.buckets).toHaveLength(10);
    expect(age.distribution.kll.sketch.parameters).toEqual({ c: 0.64, k: 2048 });
    const city = stats.features[3].string_statistics;
    expect(city.distribution.categorical.buckets.map((b: { value: string }) => b.value).sort()).toEqual(
      [...CITIES].sort(),
    );
    expect(
      constraints.features.find((f: { name: string }) => f.name === 'city').string_constraints.domains.sort(),
    ).toEqual([...CITIES].sort());
    expect(constraints.monitoring_config.distribution_constraints.comparison_method).toBe('Robust');
  });

  it('a --label-column that is not in the data exits 2 and names it', async () => {
    const r = await cli('baseline', train, '--label-column', 'target', '--out', join(root, 'bl-bad-label'));

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"target"');
    expect(existsSync(join(root, 'bl-bad-label'))).toBe(false);
  });
});

describe('driftwatch run', () => {
  it('on a clean hour: writes the four files, counts every line, no drift, exit 0', async () => {
    const out = join(root, 'out-03');

    const r = await cli('run', '--baseline', baselineDir, '--capture', capture, '--out', out, ...HOUR_03);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['report.json', 'statistics.json', 'constraint_violations.json', 'report.html'])
      expect(existsSync(join(out, f)), f).toBe(true);
    const report = read(join(out, 'report.json'));
    expect(report.version).toBe(1);
    expect(report.window).toEqual({ start: '2026-11-26T03:00:00.000Z', end: '2026-11-26T04:00:00.000Z' });
    expect(report.records).toMatchObject({
      total: CLEAN + JUNK.length,
      profiled: CLEAN,
      rejected: JUNK.length,
      rejectedByReason: { invalid_json: 1, not_an_object: 1, unknown_encoding: 1 },
    });
    // The next hour's folder is read too (files land late); its records fall outside the window.
    expect(report.records.outsideWindow ?? DRIFTED).toBe(DRIFTED);
    expect(
      report.features.map((f: { name: string; role: string; type: string }) => [f.name, f.role, f.type]),
    ).toEqual([
      ['age', 'input', 'numeric'],
      ['income', 'input', 'numeric'],
      ['city', 'input', 'categorical'],
      ['score', 'output', 'numeric'],
    ]);
    for (const f of report.features) {
      expect(f).toMatchObject({ count: CLEAN, missing: 0, typeMismatch: 0, method: 'exact', drifted: false });
      expect(f.metrics.count).toEqual({ baseline: 600, current: CLEAN });
    }
    expect(report.datasetDrift).toMatchObject({
      monitoredFeatures: 4,
      driftedFeatures: 0,
      share: 0,
      detected: false,
    });
    expect(report.violations).toEqual([]);
    expect(read(join(out, 'constraint_violations.json'))).toEqual({ violations: [] });
    expect(read(join(out, 'statistics.json')).dataset.item_count).toBe(CLEAN);
    expect(r.stdout).toContain('Dataset drift: not detected');
    expect(report.warnings.join('\n')).toContain('README.txt');
  });

  it('on a drifted hour: drift detected and violations listed; exit 0, or 1 with --fail-on-violation', async () => {
    const out = join(root, 'out-04');

    const plain = await cli('run', '--baseline', baselineDir, '--capture', capture, '--out', out, ...HOUR_04);
    const failing = await runCli(baselineDir, join(root, 'out-04-fail'), ...HOUR_04, '--fail-on-violation');

    expect(plain.code).toBe(0);
    expect(failing.code).toBe(1);
    const report = read(join(out, 'report.json'));
    expect(report.records).toMatchObject({ total: DRIFTED, profiled: DRIFTED, rejected: 0 });
    const drifted = report.features
      .filter((f: { drifted: boolean }) => f.drifted)
      .map((f: { name: string }) => f.name);
    expect(drifted).toEqual(expect.arrayContaining(['age', 'city']));
    expect(report.datasetDrift.detected).toBe(true);
    const checks = report.violations.map((v: { feature_name: string; constraint_check_type: string }) => [
      v.feature_name,
      v.constraint_check_type,
    ]);
    expect(checks).toEqual(
      expect.arrayContaining([
        ['age', 'baseline_drift_check'],
        ['city', 'categorical_values_check'],
      ]),
    );
    const ageDrift = report.violations.find(
      (v: { feature_name: string; constraint_check_type: string }) =>
        v.feature_name === 'age' && v.constraint_check_type === 'baseline_drift_check',
    );
    expect(ageDrift.description).toMatch(/^Numerical distance: [0-9.E-]+ exceeds numerical threshold: 0\.1$/);
    // SageMaker's file holds its own check types; report.json adds the window-level checks.
    expect(read(join(out, 'constraint_violations.json')).violations).toEqual(
      report.violations.filter(
        (v: { constraint_check_type: string }) => v.constraint_check_type !== 'multivariate_drift_check',
      ),
    );
  });

  it('--fail-on-violation exits 0 when there is no violation', async () => {
    const r = await runCli(baselineDir, join(root, 'out-03-fail'), ...HOUR_03, '--fail-on-violation');

    expect(r.code).toBe(0);
  });

  it('--json prints report.json itself', async () => {
    const out = join(root, 'out-json');

    const r = await runCli(baselineDir, out, ...HOUR_03, '--json');

    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    expect(printed).toEqual(read(join(out, 'report.json')));
    expect(printed.generatedAt).toBe('2026-11-26T06:00:00.000Z');
  });

  it('--start/--end select records by inferenceTime in [start, end); without them every record counts', async () => {
    const all = await runCli(baselineDir, join(root, 'out-all'), '--json');
    const firstHalfHour = await runCli(
      baselineDir,
      join(root, 'out-half'),
      '--json',
      '--start',
      '2026-11-26T03:00:00Z',
      '--end',
      '2026-11-26T03:30:00Z',
    );
    const late = await runCli(
      baselineDir,
      join(root, 'out-late'),
      '--json',
      '--start',
      '2026-11-26T03:49:50Z',
      '--end',
      '2026-11-26T04:00:10Z',
    );

    expect(JSON.parse(all.stdout).records.total).toBe(CLEAN + JUNK.length + DRIFTED);
    expect(JSON.parse(all.stdout).window).toEqual({ start: null, end: null });
    // 10 s apart from 03:00:00: 180 records before 03:30:00 (the junk lines cannot be placed, so count too).
    expect(JSON.parse(firstHalfHour.stdout).records).toMatchObject({ profiled: 180 });
    // 03:49:50 (the last clean record) and 04:00:00 (the first drifted one); 04:00:10 excluded.
    expect(JSON.parse(late.stdout).records).toMatchObject({ total: 2 + JUNK.length, profiled: 2 });
  });

  it('a folder of every malformed kind exits 0 with every line accounted for', async () => {
    const corpus = hostileCorpus();
    const dir = join(root, 'hostile');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'hostile.jsonl'),
      Buffer.concat(corpus.flatMap((c) => [Buffer.from(c.line), Buffer.from('\n')])),
    );
    writeFileSync(join(dir, 'empty.jsonl'), '');
    // Files that are not capture: listed, reported, not read.
    writeFileSync(join(dir, '_SUCCESS'), '');
    writeFileSync(join(dir, 'notes.txt'), 'not capture\n');
    const out = join(root, 'out-hostile');

    const r = await cli('run', '--baseline', baselineDir, '--capture', dir, '--out', out, '--json');

    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.records.total).toBe(corpus.length);
    expect(report.records.profiled + report.records.rejected).toBe(corpus.length);
    expect(report.records.profiled).toBe(corpus.filter((c) => c.reason === null).length);
    const expected: Record<string, number> = {};
    for (const c of corpus) if (c.reason !== null) expected[c.reason] = (expected[c.reason] ?? 0) + 1;
    expect(report.records.rejectedByReason).toEqual(expected);
    expect(report.warnings).toContainEqual(
      expect.stringMatching(/^2 files under the capture location are not capture files/),
    );
    expect(readFileSync(join(out, 'report.html'), 'utf8')).not.toContain('<html><body>502');
  });

  it('--max-line-bytes rejects a longer line as line_too_long and reads the rest', async () => {
    const dir = join(root, 'long-line');
    mkdirSync(dir, { recursive: true });
    const long = captureLine({
      input: csvSide(`30,1000.5,${'x'.repeat(2_000_000)}`),
      output: csvSide('0.5'),
    });
    const short = captureOf(
      { age: 30, income: '1000.50', city: 'Paris', score: '0.5' },
      '2026-11-26T03:00:00Z',
    );
    writeFileSync(join(dir, 'capture.jsonl'), captureFile([long, short]));

    const r = await cli(
      'run',
      '--baseline',
      baselineDir,
      '--capture',
      dir,
      '--out',
      join(root, 'out-long'),
      '--json',
      '--max-line-bytes',
      '1048576',
    );

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).records).toMatchObject({
      total: 2,
      profiled: 1,
      rejected: 1,
      rejectedByReason: { line_too_long: 1 },
    });
  });

  it('--memory-mb derives the limits from memory; a limit given explicitly wins', async () => {
    // Prepare: a 2 MB line, past the 1.1 MB lines of 256 MB (engine/profile/memory-limits.ts).
    const dir = join(root, 'memory-mb');
    mkdirSync(dir, { recursive: true });
    const long = captureLine({
      input: csvSide(`30,1000.5,${'x'.repeat(2_000_000)}`),
      output: csvSide('0.5'),
    });
    writeFileSync(join(dir, 'capture.jsonl'), captureFile([long]));
    const run = (out: string, ...more: string[]) =>
      cli('run', '--baseline', baselineDir, '--capture', dir, '--out', join(root, out), '--json', ...more);

    // Act
    const derived = await run('out-memory', '--memory-mb', '256');
    const explicit = await run('out-memory-explicit', '--memory-mb', '256', '--max-line-bytes', '4194304');
    const tiny = await run('out-memory-tiny', '--memory-mb', '128');

    // Assert
    expect(derived.code).toBe(0);
    expect(JSON.parse(derived.stdout).records).toMatchObject({
      total: 1,
      rejectedByReason: { line_too_long: 1 },
    });
    expect(derived.stderr).not.toContain('warning');
    expect(explicit.code).toBe(0);
    expect(JSON.parse(explicit.stdout).records).toMatchObject({ total: 1, profiled: 1, rejected: 0 });
    // Below what the limits' floors need: a warning, and the run goes on.
    expect(tiny.code).toBe(0);
    expect(tiny.stderr).toContain(
      'driftwatch: warning: --memory-mb 128 is below what the smallest limits need (186 MB at worst)',
    );
  });

  it('--memory-mb that is not a positive whole number exits 2 before anything is written', async () => {
    const out = join(root, 'out-memory-bad');

    const r = await runCli(baselineDir, out, '--memory-mb', '0.5');

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--memory-mb must be a positive whole number; got "0.5"');
    expect(existsSync(out)).toBe(false);
  });
});

describe('driftwatch run against SageMaker-format baseline files only', () => {
  /** statistics.json + constraints.json only, features in SageMaker's analyzer order (output first). */
  function sageMakerBaseline(name: string, outputFirst: boolean): string {
    const dir = join(root, name);
    mkdirSync(dir, { recursive: true });
    const stats = read(join(baselineDir, 'statistics.json'));
    if (outputFirst) {
      const score = stats.features.findIndex((f: { name: string }) => f.name === 'score');
      stats.features.unshift(...stats.features.splice(score, 1));
    }
    writeFileSync(join(dir, 'statistics.json'), JSON.stringify(stats, null, 2));
    writeFileSync(join(dir, 'constraints.json'), readFileSync(join(baselineDir, 'constraints.json')));
    return dir;
  }

  it('compares against the KLL sketches ("method": "sketch") with the columns named output first', async () => {
    const dir = sageMakerBaseline('sm-baseline', true);

    const r = await runCli(dir, join(root, 'out-sm'), ...HOUR_03, '--json');

    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.baseline.source).toBe('sagemaker');
    const byName = Object.fromEntries(report.features.map((f: { name: string }) => [f.name, f]));
    expect(Object.keys(byName)).toEqual(['score', 'age', 'income', 'city']);
    expect(byName.score).toMatchObject({ role: 'output', count: CLEAN, method: 'sketch', drifted: false });
    expect(byName.age).toMatchObject({ role: 'input', count: CLEAN, method: 'sketch', drifted: false });
    expect(byName.age.metrics.min.current).toBeGreaterThanOrEqual(20);
    expect(byName.city).toMatchObject({ role: 'input', count: CLEAN, drifted: false });
    expect(report.datasetDrift.detected).toBe(false);
  });

  // Regression: driftwatch's own statistics.json listed inputs first, but a folder without
  // baseline.json is read in SageMaker's layout (outputs first), so every column was misnamed.
  it("reads driftwatch's own statistics.json + constraints.json (no baseline.json) with the right names", async () => {
    const dir = sageMakerBaseline('dw-stats-only', false);

    const r = await runCli(dir, join(root, 'out-dw-stats'), ...HOUR_03, '--json');

    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const age = report.features.find((f: { name: string }) => f.name === 'age');
    expect(age).toMatchObject({ role: 'input', count: CLEAN, drifted: false });
  });
});
