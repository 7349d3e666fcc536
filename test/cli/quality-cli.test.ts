/**
 * Model quality end to end through `main(argv, io)`: capture files with outputs and SageMaker
 * ground-truth files in temporary folders, a baseline made by `driftwatch baseline`, then
 * `driftwatch run --ground-truth ...`. The oracle cases (scikit-learn) must match to 1e-9 with
 * every prediction matched; the join's edge cases (late labels, duplicates, unmatched ids, one
 * class, unreadable labels, no labels yet) are checked on report.json and the files written.
 */

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQualityConstraints } from '../../functions/engine/quality/quality-constraints.ts';
import { parseModelQualityStatistics } from '../../functions/engine/quality/sagemaker-quality-statistics.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';
import { expectClose, expectDeepClose } from '../support/compare.ts';

const cli = cliRunner('2026-11-27T00:00:00Z');

/** `driftwatch run` on DIR's capture/ and ground-truth/ folders, with EXTRA options before --out. */
function labelledRun(dir: string, baseline: string, out: string, ...extra: string[]): string[] {
  return [
    'run',
    '--baseline',
    baseline,
    '--capture',
    join(dir, 'capture'),
    '--ground-truth',
    join(dir, 'ground-truth'),
    ...extra,
    '--out',
    out,
  ];
}

interface OracleCase {
  name: string;
  problemType: 'BinaryClassification' | 'MulticlassClassification' | 'Regression';
  threshold?: number;
  label: (number | string)[];
  score?: number[];
  prediction?: (number | string)[];
  expected: Record<string, unknown>;
}

const oracle = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/quality-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'driftwatch-quality-cli-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh folder under the test's temporary root. */
function folder(name: string): string {
  const p = join(root, name);
  mkdirSync(p, { recursive: true });
  return p;
}

function write(path: string, lines: string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** A SageMaker ground-truth line. */
function labelLine(eventId: string, label: string | number): string {
  return JSON.stringify({
    groundTruthData: { data: String(label), encoding: 'CSV' },
    eventMetadata: { eventId },
    eventVersion: '0',
  });
}

/** A capture line: one dummy input feature `x`, the model's output as CSV. */
function predictionLine(eventId: string, x: number, output: string | number, time: string): string {
  return captureLine({
    input: csvSide(String(x)),
    output: csvSide(String(output), 'text/csv; charset=utf-8'),
    eventId,
    time,
  });
}

/** `hh`'s folder of a SageMaker capture or ground-truth tree, for 2026-11-26. */
const hourPath = (hh: string) => `ep/2026/11/26/${hh}`;

function readJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Makes a binary baseline with `driftwatch baseline` from a small labelled set. */
async function binaryBaseline(name: string, extra: string[] = []): Promise<string> {
  const dir = folder(name);
  const rows = ['x,label,score'];
  for (let i = 0; i < 200; i++) rows.push(`${i % 10},${i % 3 === 0 ? 1 : 0},${((i * 37) % 100) / 100}`);
  write(join(dir, 'train.csv'), rows);
  const r = await cli(
    'baseline',
    join(dir, 'train.csv'),
    '--label-column',
    'label',
    '--probability-column',
    'score',
    '--problem-type',
    'BinaryClassification',
    ...extra,
    '--out',
    join(dir, 'baseline'),
  );
  expect(r.code, r.stderr).toBe(0);
  return join(dir, 'baseline');
}

describe('the quality oracle through the CLI', () => {
  it.each(oracle.cases.map((c) => [c.name, c] as const))(
    '%s matches scikit-learn to 1e-9, every prediction matched',
    async (name, c) => {
      // prepare: a tiny labelled training set for the baseline, capture files, ground-truth files
      const dir = folder(`oracle-${name}`);
      const binary = c.problemType === 'BinaryClassification';
      const outputs = (binary ? c.score : c.prediction)!;
      const outputColumn = binary ? 'score' : 'prediction';
      write(join(dir, 'train.csv'), [
        `x,label,${outputColumn}`,
        ...Array.from({ length: 20 }, (_, i) => `${i % 5},${c.label[i]},${outputs[i]}`),
      ]);
      const baseline = await cli(
        'baseline',
        join(dir, 'train.csv'),
        '--label-column',
        'label',
        binary ? '--probability-column' : '--prediction-column',
        outputColumn,
        '--problem-type',
        c.problemType,
        '--out',
        join(dir, 'baseline'),
      );
      expect(baseline.code, baseline.stderr).toBe(0);
      const n = c.label.length;
      // Predictions spread over two capture files and two hours; labels over two later hours.
      const capture = Array.from({ length: n }, (_, i) =>
        predictionLine(
          `${name}-${i}`,
          i % 5,
          outputs[i]!,
          `2026-11-26T0${i < n / 2 ? 3 : 4}:${String(i % 60).padStart(2, '0')}:00Z`,
        ),
      );
      write(join(dir, 'capture', hourPath('03'), 'a.jsonl'), capture.slice(0, n / 2));
      write(join(dir, 'capture', hourPath('04'), 'a.jsonl'), capture.slice(n / 2));
      const labels = c.label.map((y, i) => labelLine(`${name}-${i}`, y));
      write(join(dir, 'ground-truth', hourPath('05'), 'labels.jsonl'), labels.slice(0, n / 2));
      write(join(dir, 'ground-truth', hourPath('06'), 'labels.jsonl'), labels.slice(n / 2));

      // act
      const out = join(dir, 'out');
      const run = await cli(
        ...labelledRun(
          dir,
          join(dir, 'baseline'),
          out,
          '--problem-type',
          c.problemType,
          ...(binary ? ['--probability-threshold', String(c.threshold ?? 0.5)] : []),
        ),
      );

      // assert
      expect(run.code, run.stderr).toBe(0);
      const report = readJson<Report>(join(out, 'report.json'));
      const q = report.quality!;
      expect(q).toMatchObject({
        problemType: c.problemType,
        matched: n,
        unmatchedPredictions: 0,
        unmatchedLabels: 0,
        duplicateLabels: 0,
        invalidLabels: 0,
        invalidPredictions: 0,
        evaluated: n,
      });
      const compared = expectDeepClose(q.metrics, c.expected, `${name}.metrics`);
      const leaves = (v: unknown): number =>
        v !== null && typeof v === 'object' ? Object.values(v).reduce((s: number, x) => s + leaves(x), 0) : 1;
      expect(compared).toBe(leaves(c.expected));
      expect(Object.keys(q.metrics!).sort()).toEqual(Object.keys(c.expected).sort());

      // The window's SageMaker model-quality statistics carry the same numbers under SageMaker's names.
      const statistics = parseModelQualityStatistics(readJson(join(out, 'model_quality_statistics.json')));
      expect(statistics.dataset.item_count).toBe(n);
      const e = c.expected as Record<string, number>;
      if ('binary_classification_metrics' in statistics) {
        const s = statistics.binary_classification_metrics;
        for (const m of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const)
          expectClose(s[m].value, e[m]!, `statistics.${m}`);
      } else if ('multiclass_classification_metrics' in statistics) {
        const s = statistics.multiclass_classification_metrics;
        expectClose(s.accuracy.value, e.accuracy!, 'statistics.accuracy');
        expectClose(s.weighted_precision.value, e.precision_weighted!, 'statistics.weighted_precision');
        expectClose(s.weighted_recall.value, e.recall_weighted!, 'statistics.weighted_recall');
        expectClose(s.weighted_f1.value, e.f1_weighted!, 'statistics.weighted_f1');
      } else {
        const s = statistics.regression_metrics;
        for (const m of ['mae', 'mse', 'rmse', 'r2'] as const)
          expectClose(s[m].value, e[m]!, `statistics.${m}`);
      }
      expect(readJson(join(out, 'model_quality_constraint_violations.json'))).toEqual({
        violations: q.violations,
      });
    },
  );
});

describe('the join of late labels', () => {
  it('joins labels collected one and two hours later to the window, within the look-back', async () => {
    // prepare: predictions in hours 10 and 11; labels of hour 10's in hours 11, 12 and 14
    const dir = folder('late');
    const baseline = await binaryBaseline('late-baseline');
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 10 }, (_, i) =>
        predictionLine(`w-${i}`, i, i < 5 ? 0.9 : 0.1, `2026-11-26T10:${10 + i}:00Z`),
      ),
    );
    write(
      join(dir, 'capture', hourPath('11'), 'a.jsonl'),
      Array.from({ length: 4 }, (_, i) => predictionLine(`next-${i}`, i, 0.9, `2026-11-26T11:${10 + i}:00Z`)),
    );
    const gt = join(dir, 'ground-truth');
    write(join(gt, hourPath('09'), 'l.jsonl'), [labelLine('w-0', 0)]); // before the window: not read
    write(
      join(gt, hourPath('11'), 'l.jsonl'),
      [0, 1, 2, 3].map((i) => labelLine(`w-${i}`, 1)),
    );
    write(join(gt, hourPath('12'), 'l.jsonl'), [
      ...[4, 5, 6].map((i) => labelLine(`w-${i}`, i === 4 ? 1 : 0)),
      labelLine('next-0', 1), // the next window's prediction: read, not matched
    ]);
    write(join(gt, hourPath('14'), 'l.jsonl'), [labelLine('w-7', 0)]); // past a 3-hour look-back

    // act
    const out = join(dir, 'out');
    const run = await cli(
      ...labelledRun(
        dir,
        baseline,
        out,
        '--start',
        '2026-11-26T10:00:00Z',
        '--end',
        '2026-11-26T11:00:00Z',
        '--label-lookback-hours',
        '3',
      ),
    );

    // assert
    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(out, 'report.json')).quality!;
    expect(q).toMatchObject({
      problemType: 'BinaryClassification',
      matched: 7,
      unmatchedPredictions: 3,
      unmatchedLabels: 1,
    });
    expect(q.join).toMatchObject({
      labelHours: { start: '2026-11-26T10:00:00.000Z', end: '2026-11-26T14:00:00.000Z' },
      lookbackHours: 3,
      labelFiles: 2,
      labels: 8,
      rows: 10,
    });
    expect(q.metrics).toMatchObject({ accuracy: 1, confusionMatrix: { tn: 2, fp: 0, fn: 0, tp: 5 } });
    expect(q.notes.join('\n')).toMatch(
      /1 label matches no prediction of this window: they may belong to other windows/,
    );
    expect(q.notes.join('\n')).toMatch(/3 predictions have no label yet/);

    // With the default 24-hour look-back the hour-14 label joins too.
    const wide = await cli(
      ...labelledRun(
        dir,
        baseline,
        join(dir, 'out-wide'),
        '--start',
        '2026-11-26T10:00:00Z',
        '--end',
        '2026-11-26T11:00:00Z',
      ),
    );
    expect(wide.code, wide.stderr).toBe(0);
    const qw = readJson<Report>(join(dir, 'out-wide', 'report.json')).quality!;
    expect(qw).toMatchObject({ matched: 8, unmatchedPredictions: 2, unmatchedLabels: 1 });
    expect(qw.join.lookbackHours).toBe(24);
  });
});

describe('unmatched and duplicate ids', () => {
  it('keeps the last label of an id, counts the replaced ones, and counts both kinds of unmatched', async () => {
    const dir = folder('dupes');
    const baseline = await binaryBaseline('dupes-baseline');
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 6 }, (_, i) => predictionLine(`id-${i}`, i, 0.8, `2026-11-26T10:0${i}:00Z`)),
    );
    const gt = join(dir, 'ground-truth');
    // id-0 is labelled 0, then 1 in the same file, then 1 again an hour later: 1 wins, 2 duplicates.
    write(join(gt, hourPath('11'), 'l.jsonl'), [
      labelLine('id-0', 0),
      labelLine('id-1', 1),
      labelLine('id-0', 1),
    ]);
    // id-2 is labelled 1, then 0 in a later file: 0 wins. ghost-* match no prediction.
    write(join(gt, hourPath('12'), 'l.jsonl'), [
      labelLine('id-0', 1),
      labelLine('id-2', 1),
      labelLine('ghost-1', 1),
    ]);
    write(join(gt, hourPath('13'), 'l.jsonl'), [labelLine('id-2', 0), labelLine('ghost-2', 0)]);

    const out = join(dir, 'out');
    const run = await cli(...labelledRun(dir, baseline, out));

    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(out, 'report.json')).quality!;
    expect(q).toMatchObject({ matched: 3, unmatchedPredictions: 3, unmatchedLabels: 2, duplicateLabels: 3 });
    // Every score is 0.8 (positive): id-0 and id-1 are true positives, id-2 (last label 0) a false positive.
    expect(q.metrics).toMatchObject({ confusionMatrix: { tn: 0, fp: 1, fn: 0, tp: 2 } });
    expect(q.join.lookbackHours).toBeNull();
    expect(q.notes.join('\n')).toMatch(/3 labels replaced an earlier label for the same id/);
    expect(run.stdout).toMatch(/3 duplicate labels \(last wins\)/);
  });
});

describe('a window with one class only', () => {
  it('reports AUC as null (and "NaN" in SageMaker statistics), the other metrics as usual', async () => {
    const dir = folder('one-class');
    const baseline = await binaryBaseline('one-class-baseline');
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 8 }, (_, i) =>
        predictionLine(`o-${i}`, i, i < 6 ? 0.7 : 0.2, `2026-11-26T10:0${i}:00Z`),
      ),
    );
    write(
      join(dir, 'ground-truth', hourPath('11'), 'l.jsonl'),
      Array.from({ length: 8 }, (_, i) => labelLine(`o-${i}`, 1)),
    );

    const out = join(dir, 'out');
    const run = await cli(...labelledRun(dir, baseline, out));

    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(out, 'report.json')).quality!;
    expect(q.metrics).toEqual({
      accuracy: 0.75,
      precision: 1,
      recall: 0.75,
      f1: (2 * 0.75) / 1.75,
      auc: null,
      confusionMatrix: { tn: 0, fp: 0, fn: 2, tp: 6 },
    });
    // The baseline's auc constraint cannot be compared: no violation for it.
    expect(q.violations.map((v) => v.metric_name)).not.toContain('auc');
    const statistics = readJson<{ binary_classification_metrics: { auc: { value: unknown } } }>(
      join(out, 'model_quality_statistics.json'),
    );
    expect(statistics.binary_classification_metrics.auc.value).toBe('NaN');
  });
});

describe('labels that do not parse', () => {
  it('counts unreadable lines by reason and unparseable labels as invalid, and still reports', async () => {
    const dir = folder('bad-labels');
    const baseline = await binaryBaseline('bad-labels-baseline');
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 6 }, (_, i) => predictionLine(`b-${i}`, i, 0.9, `2026-11-26T10:0${i}:00Z`)),
    );
    write(join(dir, 'ground-truth', hourPath('11'), 'l.jsonl'), [
      labelLine('b-0', 1),
      labelLine('b-1', 'maybe'), // matched, but not a binary label
      '{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": "b-2"', // cut short
      '{"groundTruthData": {"data": "1", "encoding": "CSV"}}', // no eventId
      JSON.stringify({ groundTruthData: { data: '1', encoding: 'YAML' }, eventMetadata: { eventId: 'b-3' } }),
      JSON.stringify({ groundTruthData: { encoding: 'CSV' }, eventMetadata: { eventId: 'b-4' } }),
      labelLine('b-5', 0),
    ]);

    const out = join(dir, 'out');
    const run = await cli(...labelledRun(dir, baseline, out));

    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(out, 'report.json')).quality!;
    expect(q).toMatchObject({ matched: 3, unmatchedPredictions: 3, invalidLabels: 1, evaluated: 2 });
    expect(q.join.labelsRejected).toBe(4);
    expect(q.join.labelsRejectedByReason).toEqual({
      invalid_json: 1,
      missing_event_id: 1,
      missing_ground_truth_data: 1,
      unknown_encoding: 1,
    });
    // Each reason is explained in the report's notes, not only named.
    expect(q.notes).toContainEqual(
      expect.stringContaining(
        'missing_event_id: 1, eventMetadata.eventId (the join key) is missing or not a string',
      ),
    );
    expect(q.metrics).toMatchObject({ confusionMatrix: { tn: 0, fp: 1, fn: 0, tp: 1 } });
    expect(run.stdout).toMatch(/4 label lines rejected/);
  });
});

describe('no labels yet', () => {
  it('reports the estimate from the scores alone, with metrics null and no model-quality statistics', async () => {
    const dir = folder('no-labels');
    const baseline = await binaryBaseline('no-labels-baseline');
    const scores = [0.9, 0.8, 0.3, 0.1];
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      scores.map((s, i) => predictionLine(`n-${i}`, i, s, `2026-11-26T10:0${i}:00Z`)),
    );
    mkdirSync(join(dir, 'ground-truth'));

    const out = join(dir, 'out');
    const run = await cli(
      ...labelledRun(dir, baseline, out, '--start', '2026-11-26T10:00:00Z', '--end', '2026-11-26T11:00:00Z'),
    );

    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(out, 'report.json')).quality!;
    expect(q).toMatchObject({
      matched: 0,
      unmatchedPredictions: 4,
      unmatchedLabels: 0,
      metrics: null,
      slices: [],
    });
    // Calibrated scores: expected tp = 0.9 + 0.8, fp = 0.1 + 0.2, fn = 0.3 + 0.1, tn = 0.7 + 0.9.
    expect(q.estimated).toMatchObject({ method: 'confidence-based', count: 4, threshold: 0.5 });
    expectDeepClose(q.estimated!.confusionMatrix, { tp: 1.7, fp: 0.3, fn: 0.4, tn: 1.6 }, 'estimated');
    expectClose(q.estimated!.accuracy, 3.3 / 4, 'estimated.accuracy');
    expect(q.notes.join('\n')).toMatch(/No label has arrived .* calibrated/);
    expect(existsSync(join(out, 'model_quality_statistics.json'))).toBe(false);
    expect(readJson(join(out, 'model_quality_constraint_violations.json'))).toEqual({ violations: [] });
    expect(run.stdout).toMatch(/metric +realised +estimated/);
    expect(run.stdout).toMatch(/accuracy +- +0\.825/);
  });
});

describe('quality baselines and constraints', () => {
  it('baseline --problem-type writes SageMaker model-quality statistics and constraints; run reads them', async () => {
    // prepare: the binary-good oracle case as the labelled validation set
    const c = oracle.cases.find((x) => x.name === 'binary-good')!;
    const dir = folder('quality-baseline');
    write(join(dir, 'valid.csv'), [
      'x,churn,score',
      ...c.label.map((y, i) => `${i % 7},${y},${c.score![i]}`),
    ]);
    const made = await cli(
      'baseline',
      join(dir, 'valid.csv'),
      '--label-column',
      'churn',
      '--probability-column',
      'score',
      '--problem-type',
      'BinaryClassification',
      '--quality-margin',
      '0',
      '--out',
      join(dir, 'baseline'),
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(
      /Model quality \(BinaryClassification\) of 2000 labelled rows: accuracy 0\.8855/,
    );
    const statistics = parseModelQualityStatistics(
      readJson(join(dir, 'baseline/model-quality/statistics.json')),
    );
    if (!('binary_classification_metrics' in statistics)) throw new Error('expected a binary section');
    const e = c.expected as Record<string, number>;
    for (const m of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const)
      expectClose(statistics.binary_classification_metrics[m].value, e[m]!, m);
    expect(statistics.binary_classification_metrics.confusion_matrix).toEqual({
      '0': { '0': 885, '1': 116 },
      '1': { '0': 113, '1': 886 },
    });
    expect(typeof statistics.binary_classification_metrics.accuracy.standard_deviation).toBe('number');
    const constraints = parseQualityConstraints(
      readJson(join(dir, 'baseline/model-quality/constraints.json')),
    );
    expect(constraints).toMatchObject({
      binary_classification_constraints: {
        accuracy: { threshold: 0.8855, comparison_operator: 'LessThanThreshold' },
      },
    });

    // A window worse than the baseline violates its suggested constraints, with no --problem-type:
    // the quality baseline says what it is.
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 40 }, (_, i) =>
        predictionLine(`q-${i}`, i % 7, i % 2 ? 0.9 : 0.2, `2026-11-26T10:${String(i).padStart(2, '0')}:00Z`),
      ),
    );
    write(
      join(dir, 'ground-truth', hourPath('11'), 'l.jsonl'),
      Array.from({ length: 40 }, (_, i) => labelLine(`q-${i}`, i % 4 === 0 ? 1 : 0)),
    );
    const args = [...labelledRun(dir, join(dir, 'baseline'), join(dir, 'out'))];
    const run = await cli(...args);
    expect(run.code, run.stderr).toBe(0);
    const report = readJson<Report>(join(dir, 'out/report.json'));
    const q = report.quality!;
    expect(q.problemType).toBe('BinaryClassification');
    // Odd i: score 0.9, label 0 (fp 20); even i: score 0.2, label 1 when i % 4 == 0 (fn 10, tn 10).
    expect(q.metrics).toMatchObject({ accuracy: 0.25, confusionMatrix: { tn: 10, fp: 20, fn: 10, tp: 0 } });
    expect(q.violations).toContainEqual({
      metric_name: 'accuracy',
      constraint_check_type: 'LessThanThreshold',
      description: "Metric accuracy with 0.25 was LessThanThreshold '0.8855'",
    });
    // Quality violations go to their own file; constraint_violations.json keeps data quality's.
    expect(readJson(join(dir, 'out/model_quality_constraint_violations.json'))).toEqual({
      violations: q.violations,
    });
    const dataViolations = readJson<{ violations: { feature_name?: string; metric_name?: string }[] }>(
      join(dir, 'out/constraint_violations.json'),
    ).violations;
    expect(dataViolations.every((v) => v.metric_name === undefined)).toBe(true);
    expect(run.stdout).toMatch(/Quality violations: [1-9]/);
    expect((await cli(...args, '--fail-on-violation')).code).toBe(1);
  });

  it('reads SageMaker’s own model-quality constraints file as it is, from --quality-constraints', async () => {
    const dir = folder('sagemaker-constraints');
    const baseline = await binaryBaseline('sagemaker-constraints-baseline');
    write(
      join(dir, 'capture', hourPath('10'), 'a.jsonl'),
      Array.from({ length: 4 }, (_, i) => predictionLine(`s-${i}`, i, 0.9, `2026-11-26T10:0${i}:00Z`)),
    );
    write(
      join(dir, 'ground-truth', hourPath('11'), 'l.jsonl'),
      Array.from({ length: 4 }, (_, i) => labelLine(`s-${i}`, i < 2 ? 1 : 0)),
    );
    // As SageMaker's suggest-baseline job writes it: version, thresholds, operators, nothing else.
    writeFileSync(
      join(dir, 'constraints.json'),
      JSON.stringify({
        version: 0.0,
        binary_classification_constraints: {
          recall: { threshold: 0.9, comparison_operator: 'LessThanThreshold' },
          precision: { threshold: 0.9, comparison_operator: 'LessThanThreshold' },
          false_positive_rate: { threshold: 0.2, comparison_operator: 'GreaterThanThreshold' },
        },
      }),
    );

    const run = await cli(
      ...labelledRun(
        dir,
        baseline,
        join(dir, 'out'),
        '--problem-type',
        'BinaryClassification',
        '--quality-constraints',
        join(dir, 'constraints.json'),
      ),
    );

    expect(run.code, run.stderr).toBe(0);
    const q = readJson<Report>(join(dir, 'out/report.json')).quality!;
    expect(q.violations).toEqual([
      {
        metric_name: 'precision',
        constraint_check_type: 'LessThanThreshold',
        description: "Metric precision with 0.5 was LessThanThreshold '0.9'",
      },
      {
        metric_name: 'false_positive_rate',
        constraint_check_type: 'GreaterThanThreshold',
        description: "Metric false_positive_rate with 1.0 was GreaterThanThreshold '0.2'",
      },
    ]);
  });
});

describe('bad usage', () => {
  let baseline: string;
  let capture: string;
  let gt: string;
  beforeAll(async () => {
    baseline = await binaryBaseline('usage-baseline');
    capture = folder('usage-capture');
    write(join(capture, 'a.jsonl'), [predictionLine('u-0', 1, 0.5, '2026-11-26T10:00:00Z')]);
    gt = folder('usage-gt');
    writeFileSync(join(root, 'not-constraints.json'), '{"version": 0.0, "features": []}');
    writeFileSync(
      join(root, 'regression-constraints.json'),
      '{"regression_constraints": {"mae": {"threshold": 1, "comparison_operator": "GreaterThanThreshold"}}}',
    );
  });

  it.each([
    [
      ['--ground-truth', 'GT', '--problem-type', 'Ranking'],
      '--problem-type must be one of BinaryClassification',
    ],
    [
      ['--ground-truth', 'GT', '--probability-threshold', '1.5'],
      '--probability-threshold must be a number from 0 to 1',
    ],
    [['--ground-truth', 'GT', '--probability-threshold', 'high'], '--probability-threshold must be a number'],
    [['--ground-truth', 'GT', '--label-lookback-hours=-1'], '--label-lookback-hours must be a whole number'],
    [
      ['--ground-truth', 'GT', '--label-lookback-hours', '1.5'],
      '--label-lookback-hours must be a whole number',
    ],
    [
      ['--ground-truth', 'GT', '--min-slice-support', '0'],
      '--min-slice-support must be a positive whole number',
    ],
    [
      ['--ground-truth', 'GT', '--problem-type', 'Regression', '--probability-threshold', '0.4'],
      '--probability-threshold applies to BinaryClassification only',
    ],
    [['--problem-type', 'BinaryClassification'], '--problem-type needs --ground-truth'],
    [['--label-lookback-hours', '2'], '--label-lookback-hours needs --ground-truth'],
    [['--ground-truth', 'NOWHERE'], 'no such folder'],
    [['--ground-truth', 'GT', '--quality-constraints', 'MISSING.json'], '--quality-constraints'],
    [['--ground-truth', 'GT', '--quality-constraints', 'NOT'], 'no model-quality constraints section'],
    [
      ['--ground-truth', 'GT', '--problem-type', 'BinaryClassification', '--quality-constraints', 'REG'],
      'holds Regression constraints but the problem type is BinaryClassification',
    ],
  ])('run %j exits 2 naming the problem, writing nothing', async (flags, message) => {
    const out = join(root, 'usage-out');
    const places: Record<string, string> = {
      GT: gt,
      NOWHERE: join(root, 'nowhere'),
      'MISSING.json': join(root, 'missing.json'),
      NOT: join(root, 'not-constraints.json'),
      REG: join(root, 'regression-constraints.json'),
    };
    const resolved = flags.map((f) => places[f] ?? f);
    const r = await cli('run', '--baseline', baseline, '--capture', capture, '--out', out, ...resolved);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [
      ['--problem-type', 'BinaryClassification', '--probability-column', 'score'],
      '--problem-type BinaryClassification needs --label-column',
    ],
    [
      ['--problem-type', 'BinaryClassification', '--label-column', 'label'],
      'needs --probability-column NAME (the score) or --prediction-column',
    ],
    [
      ['--problem-type', 'Regression', '--label-column', 'label', '--probability-column', 'score'],
      '--problem-type Regression needs --prediction-column',
    ],
    [['--problem-type', 'Multiclass', '--label-column', 'label'], '--problem-type must be one of'],
    [
      ['--label-column', 'label', '--probability-threshold', '0.3'],
      '--probability-threshold needs --problem-type BinaryClassification',
    ],
  ])('baseline %j exits 2 naming the flag, writing nothing', async (flags, message) => {
    const dir = folder('usage-baseline-data');
    write(join(dir, 'train.csv'), ['x,label,score', '1,0,0.2', '2,1,0.8']);
    const out = join(dir, 'out');
    const r = await cli('baseline', join(dir, 'train.csv'), '--out', out, ...flags);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it('baseline exits 2 when no row has a usable label, writing nothing', async () => {
    const dir = folder('usage-no-labels');
    write(join(dir, 'train.csv'), ['x,label,score', '1,yes,0.2', '2,no,0.8']);
    const out = join(dir, 'out');
    const r = await cli(
      'baseline',
      join(dir, 'train.csv'),
      '--label-column',
      'label',
      '--probability-column',
      'score',
      '--problem-type',
      'BinaryClassification',
      '--out',
      out,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /train\.csv: model-quality statistics: no record with a valid label and prediction among 2/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('the bundled example (npm start)', () => {
  it('shows model quality, its estimate, the worst slices, bias and multivariate drift for every hour', async () => {
    // The same arguments scripts/example.mjs runs, with the output in a temporary folder.
    const example = (await import(new URL('../../scripts/example.mjs', import.meta.url).href)) as {
      EXAMPLE_HOURS: string[];
      exampleBaselineArgs: (out: string) => string[];
      exampleRunArgs: (hh: string, out: string) => string[];
    };
    const out = folder('example');
    const made = await cli(...example.exampleBaselineArgs(out));
    expect(made.code, made.stderr).toBe(0);
    expect(existsSync(join(out, 'baseline/model-quality/constraints.json'))).toBe(true);

    for (const hh of example.EXAMPLE_HOURS) {
      const args = example.exampleRunArgs(hh, out);
      expect(args).toEqual(
        expect.arrayContaining(['--ground-truth', '--problem-type', 'BinaryClassification']),
      );
      const run = await cli(...args);
      expect(run.code, run.stderr).toBe(0);
      const report = readJson<Report>(join(out, `2026-11-26T${hh}`, 'report.json'));
      const q = report.quality!;
      expect(q.problemType).toBe('BinaryClassification');
      // Labels arrive 1-2 hours late and about 10% never: most, not all, predictions match.
      expect(q.matched + q.unmatchedPredictions).toBe(report.records.profiled);
      expect(q.matched).toBeGreaterThan(0.8 * report.records.profiled);
      expect(q.unmatchedPredictions).toBeGreaterThan(0);
      expect(q.metrics).not.toBeNull();
      expect(q.estimated).not.toBeNull();
      expect(q.slices.length).toBeGreaterThan(0);
      expect(q.slices.every((s) => s.support >= 30)).toBe(true);
      expect(run.stdout).toMatch(/Model quality: BinaryClassification/);
      expect(run.stdout).toMatch(/metric +realised +estimated/);
      expect(run.stdout).toMatch(/Worst slices \(at least 30 records/);
      // The suggested thresholds leave room for an ordinary hour's noise: the two calm hours
      // raise no quality violation, the drifted hour does (the README says so).
      expect(q.violations.length, `hour ${hh}`).toBe(hh === '05' ? 6 : 0);
      // Bias (Clarify, FL against the other states): the drifted hour's model scores FL higher
      // than its churn warrants; the calm hours raise no significant violation.
      const bias = report.bias!;
      expect(bias.matched).toBe(q.matched);
      const significant = bias.facets.filter((f) => f.significant).map((f) => f.metric);
      if (hh === '05') expect(significant).toEqual(expect.arrayContaining(['DPPL', 'DI', 'RD', 'AD']));
      else expect(significant, `hour ${hh}`).toEqual([]);
      expect(bias.violations).toBe(significant.length);
      // Multivariate: hour 06 keeps every feature's distribution (no feature drifts) but evening
      // use no longer follows day use; only the multivariate check fires there.
      const m = report.multivariate!;
      const driftedFeatures = report.features.filter((f) => f.drifted).map((f) => f.name);
      expect(m.drifted, `hour ${hh}`).toBe(hh === '05' || hh === '06');
      if (hh === '06') {
        expect(driftedFeatures).toEqual([]);
        expect(m.value!).toBeGreaterThan(m.upperThreshold + 5 * m.samplingError!);
        expect(
          m.featureContributions
            .slice(0, 2)
            .map((c) => c.feature)
            .sort(),
        ).toEqual(['day_mins', 'eve_mins']);
        expect(report.violations.map((v) => v.constraint_check_type)).toEqual(['multivariate_drift_check']);
      }
      if (hh === '03' || hh === '04') expect(driftedFeatures).toEqual([]);
    }
  });
});
