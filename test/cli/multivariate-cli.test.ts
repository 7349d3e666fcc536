/**
 * Multivariate drift through the command line: `driftwatch baseline` fits the model from a
 * training CSV and writes multivariate.json; `driftwatch run` scores a capture window against
 * it (on one thread and on worker threads) and reports it. Every case scikit-learn computed
 * (test/fixtures/oracle/multivariate-cases.json) to 1e-9.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMultivariateModel } from '../../functions/engine/multivariate/multivariate-model.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';

type Value = number | string | null;
interface OracleCase {
  name: string;
  columns: string[];
  baseline: Value[][];
  windows: {
    name: string;
    rows: Value[][];
    expected: { value: number; samplingError: number; drifted: boolean };
  }[];
  expected_model: {
    components: number;
    explainedVarianceRatio: number[];
    lowerThreshold: number;
    upperThreshold: number;
  };
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/multivariate-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };
const TOLERANCE = 1e-9;
const root = mkdtempSync(join(tmpdir(), 'driftwatch-multivariate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const driftwatch = cliRunner('2026-12-07T00:00:00Z');

/** A row as a CSV line: numbers in their shortest exact text, missing as an empty field. */
const csvRow = (row: readonly Value[]) => row.map((v) => (v === null ? '' : String(v))).join(',');

/** A capture folder of `rows`, split over `files` files of one hour, one request per row. */
function writeCapture(dir: string, rows: readonly Value[][], files: number): void {
  const hour = join(dir, 'ep', 'AllTraffic', '2026', '12', '06', '10');
  mkdirSync(hour, { recursive: true });
  const per = Math.ceil(rows.length / files);
  for (let f = 0; f < files; f++) {
    const lines = rows.slice(f * per, (f + 1) * per).map((row, i) =>
      captureLine({
        input: csvSide(csvRow(row)),
        output: csvSide('0.5'),
        time: `2026-12-06T10:${String(f).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
      }),
    );
    writeFileSync(join(hour, `${String(f).padStart(2, '0')}-00-000-part.jsonl`), `${lines.join('\n')}\n`);
  }
}

describe.each(ORACLE.cases.map((c) => [c.name, c] as const))('oracle case %s through the CLI', (_, c) => {
  const dir = join(root, c.name.replace(/\W+/g, '-'));
  const base = join(dir, 'baseline');

  it('baseline writes the fitted model: components, explained variance and thresholds to 1e-9', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.csv'), `${[c.columns.join(','), ...c.baseline.map(csvRow)].join('\n')}\n`);
    const r = await driftwatch('baseline', join(dir, 'train.csv'), '--out', base);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${base}/multivariate.json`);
    const model = parseMultivariateModel(JSON.parse(readFileSync(join(base, 'multivariate.json'), 'utf8')));
    const e = c.expected_model;
    expect(model.features.map((f) => f.name)).toEqual(c.columns);
    expect(model.pca.components).toHaveLength(e.components);
    for (const [i, r] of model.pca.explainedVarianceRatio.entries())
      expect(Math.abs(r - e.explainedVarianceRatio[i]!)).toBeLessThan(TOLERANCE);
    expect(Math.abs(model.thresholds.lower - e.lowerThreshold)).toBeLessThan(TOLERANCE);
    expect(Math.abs(model.thresholds.upper - e.upperThreshold)).toBeLessThan(TOLERANCE);
  });

  it.each(c.windows.map((w) => [w.name, w] as const))(
    'run scores window %s to 1e-9, in one thread and on three worker threads',
    async (_, w) => {
      const capture = join(dir, `capture-${w.name.replace(/\W+/g, '-')}`);
      writeCapture(capture, w.rows, 3);
      for (const workers of ['1', '3']) {
        const out = join(dir, `out-${workers}-${w.name.replace(/\W+/g, '-')}`);
        const r = await driftwatch(
          'run',
          '--baseline',
          base,
          '--capture',
          capture,
          '--out',
          out,
          '--workers',
          workers,
          '--parallel-min-mb',
          '0',
          '--json',
        );
        expect(r.code).toBe(0);
        const report = JSON.parse(r.stdout) as Report;
        const m = report.multivariate!;
        expect(m.rows).toBe(w.rows.length);
        expect(m.components).toBe(c.expected_model.components);
        expect(Math.abs(m.value! - w.expected.value)).toBeLessThan(TOLERANCE);
        expect(Math.abs(m.samplingError! - w.expected.samplingError)).toBeLessThan(TOLERANCE);
        expect(m.drifted).toBe(w.expected.drifted);
        const checks = report.violations.filter(
          (v) => v.constraint_check_type === 'multivariate_drift_check',
        );
        expect(checks).toHaveLength(w.expected.drifted ? 1 : 0);
        // SageMaker's constraint_violations.json keeps SageMaker's own check types only.
        const own = JSON.parse(readFileSync(join(out, 'constraint_violations.json'), 'utf8')) as {
          violations: { constraint_check_type: string }[];
        };
        expect(own.violations.map((v) => v.constraint_check_type)).not.toContain('multivariate_drift_check');
        // --fail-on-violation counts the multivariate check.
        if (w.expected.drifted && report.violations.length === 1) {
          const failing = await driftwatch(
            'run',
            '--baseline',
            base,
            '--capture',
            capture,
            '--out',
            `${out}-fail`,
            '--fail-on-violation',
          );
          expect(failing.code).toBe(1);
        }
      }
    },
  );
});

describe('baselines without a multivariate model', () => {
  it('a SageMaker baseline gives "multivariate": null and says why in the warnings', async () => {
    const c = ORACLE.cases[0]!;
    const dir = join(root, 'sagemaker');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.csv'), `${[c.columns.join(','), ...c.baseline.map(csvRow)].join('\n')}\n`);
    const made = await driftwatch('baseline', join(dir, 'train.csv'), '--out', join(dir, 'own'));
    expect(made.code).toBe(0);
    // SageMaker's own files: statistics.json and constraints.json only.
    const sm = join(dir, 'sm');
    mkdirSync(sm);
    for (const f of ['statistics.json', 'constraints.json'])
      writeFileSync(join(sm, f), readFileSync(join(dir, 'own', f)));
    writeCapture(join(dir, 'capture'), c.windows[0]!.rows, 1);
    const r = await driftwatch(
      'run',
      '--baseline',
      sm,
      '--capture',
      join(dir, 'capture'),
      '--out',
      join(dir, 'out'),
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.multivariate).toBeNull();
    expect(report.warnings).toContain(
      "multivariate drift not measured: the baseline is SageMaker's statistics.json, which has no rows to fit a model on; make the baseline with driftwatch baseline from the training data",
    );
  });

  it('--no-multivariate writes no model, and a single input feature fits none', async () => {
    const dir = join(root, 'none');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'train.csv'), 'a,b\n1,x\n2,y\n3,x\n');
    const skipped = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'skip'),
      '--no-multivariate',
    );
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).not.toMatch(/multivariate model/i);
    expect(existsSync(join(dir, 'skip', 'multivariate.json'))).toBe(false);
    const one = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--label-column',
      'b',
      '--out',
      join(dir, 'one'),
    );
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(
      'No multivariate model: the baseline has 1 input feature to fit on; the multivariate model needs at least two.',
    );
  });
});
