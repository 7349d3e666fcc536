/**
 * `driftwatch run --ground-truth` with a baseline that has a bias configuration: the window's
 * joined predictions counted per facet, Clarify's analysis.json of the window equal to
 * smclarify's numbers for the same rows, `report.json`'s `bias` with SageMaker's violations and
 * driftwatch's significant ones, `--fail-on-violation` on significant ones only.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BiasRow,
  biasBaselineArgs,
  biasTrainingCsv,
  biasWindow,
  LARGE_BIAS_CASE,
} from '../support/bias-world.ts';
import { cliRunner } from '../support/cli-run.ts';

type OracleMetric = { name: string; value: number | string | null };
const LARGE = LARGE_BIAS_CASE;
const HOUR = '2026-11-26T05:00:00Z';

const cli = cliRunner('2026-11-27T00:00:00Z');
const run = async (args: string[]) => {
  const r = await cli(...args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};

/**
 * A folder with the case's first half as the training set (baseline), and its rows `from` to
 * `to` as an hour of capture with their labels, each row's score passed through `score`.
 */
function world(from: number, to: number, score?: (row: BiasRow) => number) {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bias-run-'));
  writeFileSync(join(dir, 'train.csv'), biasTrainingCsv());
  writeFileSync(join(dir, 'analysis_config.json'), JSON.stringify(LARGE.analysis_config));
  const capture = join(dir, 'capture/ep/AllTraffic/2026/11/26/05');
  const labels = join(dir, 'labels/2026/11/26/06');
  mkdirSync(capture, { recursive: true });
  mkdirSync(labels, { recursive: true });
  const window = biasWindow(from, to, HOUR, score);
  writeFileSync(join(capture, 'part.jsonl'), window.capture);
  writeFileSync(join(labels, 'labels.jsonl'), window.labels);
  return { dir };
}

async function baselineAndRun(dir: string, ...more: string[]) {
  const b = await run(biasBaselineArgs(dir));
  expect(b.status, b.stderr).toBe(0);
  return run([
    'run',
    '--baseline',
    join(dir, 'baseline'),
    '--capture',
    join(dir, 'capture'),
    '--ground-truth',
    join(dir, 'labels'),
    '--start',
    HOUR,
    '--end',
    '2026-11-26T06:00:00Z',
    '--out',
    join(dir, 'out'),
    ...more,
  ]);
}

describe('driftwatch run with a bias baseline', () => {
  it("gives the window's analysis.json smclarify computed for its rows, metric by metric to 1e-9", async () => {
    // The window is the whole oracle case: its 20,000 rows captured, every one labelled.
    const { dir } = world(0, 20_000);

    const r = await baselineAndRun(dir);

    expect(r.status, r.stderr).toBe(0);
    const analysis = JSON.parse(readFileSync(join(dir, 'out/bias/analysis.json'), 'utf8'));
    for (const stage of ['pre_training_bias_metrics', 'post_training_bias_metrics'] as const) {
      const got = analysis[stage].facets.region[0].metrics as OracleMetric[];
      const want = LARGE.expected[stage][0]!.metrics;
      expect(got.map((m) => m.name)).toEqual(want.map((m) => m.name));
      want.forEach((w, i) => {
        if (typeof w.value === 'number')
          expect(Math.abs((got[i]!.value as number) - w.value), `${stage} ${w.name}`).toBeLessThanOrEqual(
            1e-9,
          );
        else expect(got[i]!.value, `${stage} ${w.name}`).toBe(w.value);
      });
    }
  });

  it("writes the window's analysis.json (Clarify's numbers for its rows) and a calm bias section", async () => {
    const { dir } = world(10_000, 20_000);

    const r = await baselineAndRun(dir, '--fail-on-violation');

    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    expect(report.bias.matched).toBe(10_000);
    expect(report.bias.facets.length).toBe(19);
    expect(report.bias.facets[0]).toMatchObject({ facet: 'region', value: 'south', stage: 'pre_training' });
    // Another half of the same population: nothing beyond the noise.
    expect(report.bias.violations).toBe(0);
    expect(r.status, r.stderr).toBe(0);
    // The window's file: the same metrics smclarify gives for these rows, by the same code path
    // as the baseline's (the baseline's analysis.json is checked against the oracle case).
    const analysis = JSON.parse(readFileSync(join(dir, 'out/bias/analysis.json'), 'utf8'));
    const baseline = JSON.parse(readFileSync(join(dir, 'baseline/bias/analysis.json'), 'utf8'));
    expect(Object.keys(analysis.post_training_bias_metrics.facets)).toEqual(['region']);
    const dppl = (a: { post_training_bias_metrics: { facets: { region: { metrics: OracleMetric[] }[] } } }) =>
      a.post_training_bias_metrics.facets.region[0]!.metrics.find((m) => m.name === 'DPPL')!.value as number;
    expect(Math.abs(dppl(analysis) - dppl(baseline))).toBeLessThan(0.05);
    const violations = JSON.parse(readFileSync(join(dir, 'out/bias/constraint_violations.json'), 'utf8'));
    expect(violations.version).toBe('1.0');
  });

  it('marks a window that treats the facet worse as a significant violation, and fails on it', async () => {
    // The model now scores the south facet 0.3 lower: fewer of its predictions are positive.
    const { dir } = world(10_000, 20_000, (r) => (r[0] === 'south' ? Math.max(0, r[5] - 0.3) : r[5]));

    const r = await baselineAndRun(dir, '--fail-on-violation');

    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    const dppl = report.bias.facets.find((f: { metric: string }) => f.metric === 'DPPL');
    expect(dppl).toMatchObject({ violation: true, significant: true });
    expect(report.bias.violations).toBeGreaterThan(0);
    expect(r.status).toBe(1);
    // The terminal summary names each significant violation, window against baseline.
    expect(r.stdout).toMatch(
      /Bias \(Clarify metrics, 10000 labelled predictions\): \d+ significant violations?/,
    );
    expect(r.stdout).toMatch(/ {2}region=south {2}DPPL {2}\S+ \(baseline \S+\)/);
    const violations = JSON.parse(readFileSync(join(dir, 'out/bias/constraint_violations.json'), 'utf8'));
    expect(
      violations.violations.some(
        (v: { metric_name: string; constraint_check_type: string }) =>
          v.metric_name === 'DPPL' && v.constraint_check_type === 'bias_drift_check',
      ),
    ).toBe(true);
  });

  it('says why there is no bias section when no label has arrived', async () => {
    const { dir } = world(10_000, 10_500);
    writeFileSync(join(dir, 'labels/2026/11/26/06/labels.jsonl'), '');

    const r = await baselineAndRun(dir);

    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    expect(report.bias).toBeNull();
    expect(report.warnings.join('\n')).toMatch(/Bias is not measured for this window/);
  });
});
