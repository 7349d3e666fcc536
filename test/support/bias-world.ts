/**
 * Capture and ground truth made from bias-cases.json's "large window" (20,000 rows of region,
 * age, income, group, label, score, computed by smclarify): the first half is a training set,
 * any slice of the rows an hour of capture with its labels, each row's score passed through a
 * function (to make a window biased).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type BiasRow = [
  region: string,
  age: number,
  income: number,
  group: string,
  label: number | string,
  score: number,
];

export interface BiasOracleCase {
  name: string;
  columns: string[];
  rows: BiasRow[];
  analysis_config: Record<string, unknown>;
  expected: Record<
    'pre_training_bias_metrics' | 'post_training_bias_metrics',
    { metrics: { name: string; value: number | string | null }[] }[]
  >;
}

export const BIAS_CASES = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/bias-cases.json', import.meta.url), 'utf8'),
) as { cases: BiasOracleCase[] };

export const LARGE_BIAS_CASE = BIAS_CASES.cases.find((c) => c.name === 'large window')!;

/** The training set: the case's first 10,000 rows, as CSV with its header. */
export function biasTrainingCsv(): string {
  const c = LARGE_BIAS_CASE;
  return `${c.columns.join(',')}\n${c.rows
    .slice(0, 10_000)
    .map((r) => r.join(','))
    .join('\n')}\n`;
}

/** Rows `from` to `to` as capture lines of the hour starting at `hourIso` (ids `e-N`), and their label lines. */
export function biasWindow(
  from: number,
  to: number,
  hourIso: string,
  score: (row: BiasRow) => number = (r) => r[5],
): { capture: string; labels: string } {
  const rows = LARGE_BIAS_CASE.rows.slice(from, to);
  const hour = hourIso.slice(0, 13);
  const capture = rows.map((r, i) =>
    JSON.stringify({
      captureData: {
        endpointInput: {
          observedContentType: 'text/csv',
          mode: 'INPUT',
          data: `${r[0]},${r[1]},${r[2]},${r[3]}`,
          encoding: 'CSV',
        },
        endpointOutput: {
          observedContentType: 'text/csv',
          mode: 'OUTPUT',
          data: String(score(r)),
          encoding: 'CSV',
        },
      },
      eventMetadata: {
        eventId: `e-${from + i}`,
        inferenceTime: `${hour}:${String(Math.floor((i * 60) / rows.length)).padStart(2, '0')}:00Z`,
      },
      eventVersion: '0',
    }),
  );
  const labels = rows.map((r, i) =>
    JSON.stringify({
      groundTruthData: { data: String(r[4]), encoding: 'CSV' },
      eventMetadata: { eventId: `e-${from + i}` },
      eventVersion: '0',
    }),
  );
  return { capture: `${capture.join('\n')}\n`, labels: `${labels.join('\n')}\n` };
}

/**
 * `driftwatch baseline` of a folder holding train.csv and analysis_config.json: the score as the
 * prediction, the bias configuration, the baseline written to DIR/baseline.
 */
export function biasBaselineArgs(dir: string): string[] {
  return [
    'baseline',
    join(dir, 'train.csv'),
    '--probability-column',
    'score',
    '--bias-config',
    join(dir, 'analysis_config.json'),
    '--out',
    join(dir, 'baseline'),
  ];
}
