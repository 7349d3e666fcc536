/**
 * Feature attribution drift through the command line, against a local stand-in for the SageMaker
 * runtime serving each oracle case's linear model (test/fixtures/oracle/attribution-cases.json):
 * `driftwatch baseline --explain-endpoint` explains the training rows and writes
 * explainability/analysis.json; `driftwatch run --explain-endpoint` explains a capture window and
 * reports it. Every row explained: global attributions and nDCG to 1e-6, the verdict exactly.
 * Then what a window costs, worker threads, and an endpoint that fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';
import { linearFunction, ModelEndpointStandIn } from '../support/model-endpoint.ts';

interface OracleCase {
  name: string;
  features: string[];
  model: { weights: number[]; bias: number };
  baseline: number[][];
  background: number[];
  expected_baseline: Record<string, number>;
  windows: {
    name: string;
    rows: number[][];
    predictions: number[];
    expected: { attributions: Record<string, number>; ndcg: number; violation: boolean };
  }[];
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/attribution-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };
const TOLERANCE = 1e-6;
const root = mkdtempSync(join(tmpdir(), 'driftwatch-attribution-'));
const driftwatch = cliRunner('2026-12-07T00:00:00Z');
/** Enough to explain every row of the oracle's sets, and fast: the stand-in has no capacity to protect. */
const EVERYTHING = [
  '--explain-records',
  '100000',
  '--explain-max-rows',
  '100000000',
  '--explain-rate',
  '1000',
];
const ENDPOINT = ['--explain-endpoint', 'churn-shadow', '--region', 'us-east-1'];

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as unknown;
/** The oracle's per-feature object in feature order (own fields only). */
const inOrder = (features: string[], o: Record<string, number>) =>
  features.map((f) => (Object.hasOwn(o, f) ? o[f]! : Number.NaN));
const close = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => {
    expect(Math.abs(v - expected[i]!)).toBeLessThan(TOLERANCE);
  });
};

/** A capture folder of `rows`, split over `files` files of one hour, one request per row. */
function writeCapture(
  dir: string,
  rows: readonly number[][],
  predictions: readonly number[],
  files: number,
): void {
  const hour = join(dir, 'churn', 'AllTraffic', '2026', '12', '06', '10');
  mkdirSync(hour, { recursive: true });
  const per = Math.ceil(rows.length / files);
  for (let f = 0; f < files; f++) {
    const lines = rows.slice(f * per, (f + 1) * per).map((row, i) =>
      captureLine({
        input: csvSide(row.join(',')),
        output: csvSide(String(predictions[f * per + i])),
        time: `2026-12-06T10:${String(f).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
        eventId: `req-${f * per + i}`,
      }),
    );
    writeFileSync(join(hour, `${String(f).padStart(2, '0')}-00-000-part.jsonl`), `${lines.join('\n')}\n`);
  }
}

let standIn: ModelEndpointStandIn;
let model: (row: readonly (number | string | null)[]) => number = () => 0;

beforeAll(async () => {
  standIn = await ModelEndpointStandIn.start((row) => model(row));
  vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', standIn.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  vi.stubEnv('AWS_MAX_ATTEMPTS', '1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await standIn.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  standIn.errors.length = 0;
});

describe.each(ORACLE.cases.map((c) => [c.name, c] as const))('oracle case %s through the CLI', (_, c) => {
  const dir = join(root, c.name.replace(/\W+/g, '-'));
  const base = join(dir, 'baseline');
  const capture = (w: OracleCase['windows'][number]) => join(dir, `capture-${w.name.replace(/\W+/g, '-')}`);
  const d = c.features.length;

  beforeAll(async () => {
    const f = linearFunction(c.model.weights, c.model.bias);
    model = (row) => f(row.map((v) => Number(v)));
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'train.csv'),
      `${[c.features.join(','), ...c.baseline.map((r) => r.join(','))].join('\n')}\n`,
    );
    for (const w of c.windows) writeCapture(capture(w), w.rows, w.predictions, 3);
    const r = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      base,
      '--no-multivariate',
      ...ENDPOINT,
      ...EVERYTHING,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('baseline writes the training rows global attributions to 1e-6, and the background row it used', () => {
    const analysis = read(join(base, 'explainability', 'analysis.json')) as {
      version: string;
      explanations: {
        kernel_shap: { label0: { global_shap_values: Record<string, number>; expected_value: number } };
      };
    };
    const label = analysis.explanations.kernel_shap.label0;
    expect(analysis.version).toBe('1.0');
    expect(Object.keys(label.global_shap_values)).toEqual(c.features);
    close(inOrder(c.features, label.global_shap_values), inOrder(c.features, c.expected_baseline));
    // v(∅) is the model at the background row: the baseline's means.
    const f = linearFunction(c.model.weights, c.model.bias);
    expect(Math.abs(label.expected_value - f(c.background))).toBeLessThan(TOLERANCE);
    const settings = read(join(base, 'explainability', 'explain-settings.json')) as {
      endpoint: string;
      features: { name: string; kind: string }[];
      background: number[][];
    };
    expect(settings.endpoint).toBe('churn-shadow');
    expect(settings.features).toEqual(c.features.map((name) => ({ name, kind: 'numeric' })));
    expect(settings.background).toHaveLength(1);
    close(settings.background[0]!, c.background);
  });

  it.each(c.windows.map((w) => [w.name, w] as const))(
    'run explains window %s: attributions and nDCG to 1e-6, the verdict, the files and the cost',
    async (_, w) => {
      const out = join(dir, `out-${w.name.replace(/\W+/g, '-')}`);
      const before = standIn.received.length;
      const r = await driftwatch(
        'run',
        '--baseline',
        base,
        '--capture',
        capture(w),
        '--out',
        out,
        '--workers',
        '1',
        ...ENDPOINT,
        ...EVERYTHING,
        '--json',
      );
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      const a = report.attribution!;
      expect(a.error).toBeNull();
      expect(a.endpoint).toBe('churn-shadow');
      expect(a.method).toBe('exact');
      expect(a.aggMethod).toBe('mean_abs');
      expect(a.numSamples).toBeNull();
      expect(Object.keys(a.window!)).toEqual(c.features);
      close(inOrder(c.features, a.window!), inOrder(c.features, w.expected.attributions));
      close(inOrder(c.features, a.baseline), inOrder(c.features, c.expected_baseline));
      expect(Math.abs(a.ndcg! - w.expected.ndcg)).toBeLessThan(TOLERANCE);
      expect(a.threshold).toBe(0.9);
      expect(a.drifted).toBe(w.expected.violation);
      // Every row explained: 2^d - 1 coalitions each, plus v(∅) once.
      expect(a.windowRows).toBe(w.rows.length);
      expect(a.recordsExplained).toBe(w.rows.length);
      expect(a.recordsPlanned).toBe(w.rows.length);
      expect(a.modelRows).toBe(w.rows.length * (2 ** d - 1) + 1);
      expect(a.requests).toBe(standIn.received.length - before);
      expect(standIn.received.slice(before).reduce((s, q) => s + q.rows.length, 0)).toBe(a.modelRows);
      expect(standIn.received.slice(before).every((q) => q.endpoint === 'churn-shadow')).toBe(true);
      expect(a.limitedBy).toBeNull();
      expect(a.reason).toBeNull();
      // report.json's violations hold the check; SageMaker's file does not.
      const checks = report.violations.filter(
        (v) => v.constraint_check_type === 'feature_attribution_drift_check',
      );
      expect(checks).toHaveLength(w.expected.violation ? 1 : 0);
      const own = read(join(out, 'constraint_violations.json')) as {
        violations: { constraint_check_type: string }[];
      };
      expect(own.violations.map((v) => v.constraint_check_type)).not.toContain(
        'feature_attribution_drift_check',
      );
      // Clarify's files of the window.
      const analysis = read(join(out, 'explainability', 'analysis.json')) as {
        explanations: { kernel_shap: { label0: { global_shap_values: Record<string, number> } } };
      };
      close(
        inOrder(c.features, analysis.explanations.kernel_shap.label0.global_shap_values),
        inOrder(c.features, w.expected.attributions),
      );
      const violations = read(join(out, 'explainability', 'constraint_violations.json')) as {
        violations: { label: string; metric_name: string; constraint_check_type: string }[];
      };
      expect(violations.violations).toEqual(
        w.expected.violation
          ? [
              expect.objectContaining({
                label: 'label0',
                metric_name: 'shap',
                constraint_check_type: 'feature_attribution_drift_check',
              }),
            ]
          : [],
      );
    },
  );

  it('prints the attribution line after the summary, and --fail-on-violation counts the check', async () => {
    for (const w of c.windows) {
      const out = join(dir, `fail-${w.name.replace(/\W+/g, '-')}`);
      const r = await driftwatch(
        'run',
        '--baseline',
        base,
        '--capture',
        capture(w),
        '--out',
        out,
        ...ENDPOINT,
        ...EVERYTHING,
        '--fail-on-violation',
      );
      const report = read(join(out, 'report.json')) as Report;
      const others = report.violations.filter(
        (v) => v.constraint_check_type !== 'feature_attribution_drift_check',
      );
      expect(r.code).toBe(w.expected.violation || others.length > 0 ? 1 : 0);
      expect(r.stdout).toContain(
        `Feature attribution: nDCG ${Number(report.attribution!.ndcg!.toPrecision(4))} against the baseline's ranking (threshold 0.9): ${w.expected.violation ? 'DRIFTED' : 'ok'}; ${w.rows.length} of ${w.rows.length} rows explained`,
      );
    }
  });

  it('gives the same attribution on three worker threads as on one', async () => {
    const w = c.windows[c.windows.length - 1]!;
    const reports: Report[] = [];
    for (const workers of ['1', '3']) {
      const r = await driftwatch(
        'run',
        '--baseline',
        base,
        '--capture',
        capture(w),
        '--out',
        join(dir, `workers-${workers}`),
        '--workers',
        workers,
        '--parallel-min-mb',
        '0',
        ...ENDPOINT,
        '--explain-records',
        '150',
        '--explain-rate',
        '1000',
        '--json',
      );
      expect(r.code).toBe(0);
      reports.push(JSON.parse(r.stdout) as Report);
    }
    const [one, three] = reports;
    expect(one!.attribution!.recordsExplained).toBe(150);
    expect(one!.attribution!.limitedBy).toBe('records');
    expect(one!.attribution!.reason).toBe(
      `explaining 150 of ${w.rows.length} rows, as the records setting (--explain-records) asks`,
    );
    expect(three!.attribution).toEqual(one!.attribution);
  });

  it('explains fewer records under a small --explain-max-rows, and says why', async () => {
    const w = c.windows[0]!;
    const r = await driftwatch(
      'run',
      '--baseline',
      base,
      '--capture',
      capture(w),
      '--out',
      join(dir, 'max-rows'),
      ...ENDPOINT,
      '--explain-records',
      '1000',
      '--explain-max-rows',
      '1000',
      '--explain-rate',
      '1000',
      '--json',
    );
    expect(r.code).toBe(0);
    const a = (JSON.parse(r.stdout) as Report).attribution!;
    const perRecord = 2 ** d - 1;
    const fits = Math.floor((1000 - 1) / perRecord);
    expect(a.recordsExplained).toBe(fits);
    expect(a.modelRows).toBe(fits * perRecord + 1);
    expect(a.modelRows).toBeLessThanOrEqual(1000);
    expect(a.limitedBy).toBe('maxRows');
    expect(a.reason).toContain(`explaining ${fits} of ${w.rows.length} records`);
    expect(a.reason).toContain('maxRows 1,000');
    expect(a.error).toBeNull();
    expect(a.ndcg).not.toBeNull();
  });

  it.each([
    [429, 'ThrottlingException'],
    [400, 'ValidationError'],
  ])(
    'contains an endpoint answering %i %s: attribution.error set, exit 0, the other files written',
    async (status, type) => {
      const w = c.windows[c.windows.length - 1]!;
      const out = join(dir, `failing-${status}`);
      for (let i = 0; i < 20; i++) standIn.errors.push({ status, type });
      const r = await driftwatch(
        'run',
        '--baseline',
        base,
        '--capture',
        capture(w),
        '--out',
        out,
        ...ENDPOINT,
        ...EVERYTHING,
      );
      expect(r.code).toBe(0);
      const report = read(join(out, 'report.json')) as Report;
      const a = report.attribution!;
      expect(a.error).toContain(`InvokeEndpoint "churn-shadow": request 1 failed: ${type} (HTTP ${status})`);
      // The error names the service's code, never the payload the stand-in echoed.
      expect(a.error).not.toContain(String(w.rows[0]![0]));
      expect(a.window).toBeNull();
      expect(a.ndcg).toBeNull();
      expect(a.drifted).toBe(false);
      expect(a.recordsExplained).toBe(0);
      expect(report.violations.map((v) => v.constraint_check_type)).not.toContain(
        'feature_attribution_drift_check',
      );
      expect(report.warnings.some((x) => x.startsWith('feature attribution drift not measured:'))).toBe(true);
      expect(report.records.profiled).toBe(w.rows.length);
      for (const f of ['report.json', 'statistics.json', 'constraint_violations.json', 'report.html'])
        expect(existsSync(join(out, f))).toBe(true);
      expect(existsSync(join(out, 'explainability', 'analysis.json'))).toBe(false);
      expect(r.stdout).toContain('Feature attribution: not measured: model call 1 failed: InvokeEndpoint');
    },
  );
});

describe('attribution flags', () => {
  const dir = join(root, 'flags');
  beforeAll(() => {
    mkdirSync(join(dir, 'capture'), { recursive: true });
    writeFileSync(join(dir, 'train.csv'), 'a,b\n1,2\n3,4\n');
  });

  it('refuses --explain-records without --explain-endpoint (exit 2, nothing written)', async () => {
    const r = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'b1'),
      '--explain-records',
      '5',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--explain-records needs --explain-endpoint NAME');
    expect(existsSync(join(dir, 'b1'))).toBe(false);
  });

  it('refuses a run against a baseline without explainability files (exit 2)', async () => {
    const b = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'plain'),
      '--no-multivariate',
    );
    expect(b.code).toBe(0);
    const r = await driftwatch(
      'run',
      '--baseline',
      join(dir, 'plain'),
      '--capture',
      join(dir, 'capture'),
      '--out',
      join(dir, 'out'),
      ...ENDPOINT,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('explainability/explain-settings.json: is missing');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses attributionsPath for run, and takes methods.shap.baseline rows as the background', async () => {
    model = (row) => 2 * Number(row[0]) - Number(row[1]);
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ methods: { shap: { baseline: [[0, 0]] } }, attributionsPath: 'shap' }),
    );
    const b = await driftwatch(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'configured'),
      '--no-multivariate',
      ...ENDPOINT,
      '--explain-config',
      join(dir, 'config.json'),
      '--explain-rate',
      '1000',
    );
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const analysis = read(join(dir, 'configured', 'explainability', 'analysis.json')) as {
      explanations: {
        kernel_shap: { label0: { global_shap_values: Record<string, number>; expected_value: number } };
      };
    };
    // Against the background (0, 0): phi = (2x_a, -x_b); mean |phi| over (1,2), (3,4): a 4, b 3.
    expect(analysis.explanations.kernel_shap.label0.global_shap_values).toEqual({ a: 4, b: 3 });
    expect(analysis.explanations.kernel_shap.label0.expected_value).toBe(0);
    const r = await driftwatch(
      'run',
      '--baseline',
      join(dir, 'configured'),
      '--capture',
      join(dir, 'capture'),
      '--out',
      join(dir, 'out'),
      ...ENDPOINT,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--explain-config attributionsPath is not supported by run yet');
  });
});
