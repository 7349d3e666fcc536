/**
 * `driftwatch baseline --bias-config`: Clarify's analysis.json of the training data through the
 * command line, for every case smclarify computed (bias-cases.json, to 1e-9, infinities
 * included), the configuration kept beside it, and every mistake refused with exit 2 before
 * anything is written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliRunner } from '../support/cli-run.ts';

interface OracleMetric {
  name: string;
  value: number | string | null;
}
interface OracleCase {
  name: string;
  columns: string[];
  rows: unknown[][];
  analysis_config: Record<string, unknown> & { facet: { name_or_index: string }[]; label: string };
  expected: Record<
    'pre_training_bias_metrics' | 'post_training_bias_metrics',
    { value_or_threshold: string; metrics: OracleMetric[] }[]
  >;
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../fixtures/oracle/bias-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

/** A temporary folder holding the case's rows as train.csv and its configuration. */
function caseFolder(c: OracleCase, config: unknown = c.analysis_config) {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-bias-baseline-'));
  const csv = [c.columns.join(','), ...c.rows.map((r) => r.map(String).join(','))].join('\n');
  writeFileSync(join(dir, 'train.csv'), `${csv}\n`);
  writeFileSync(join(dir, 'analysis_config.json'), JSON.stringify(config, null, 2));
  return dir;
}

const cli = cliRunner('2026-12-06T00:00:00Z');
const run = async (args: string[]) => {
  const r = await cli(...args);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};

const baselineArgs = (dir: string, ...more: string[]) => [
  'baseline',
  join(dir, 'train.csv'),
  '--bias-config',
  join(dir, 'analysis_config.json'),
  '--out',
  join(dir, 'baseline'),
  ...more,
];

function expectClarify(got: OracleMetric[], want: OracleMetric[], where: string) {
  expect(
    got.map((m) => m.name),
    where,
  ).toEqual(want.map((m) => m.name));
  want.forEach((w, i) => {
    const g = got[i]!.value;
    if (typeof w.value === 'number')
      expect(Math.abs((g as number) - w.value), `${where} ${w.name}`).toBeLessThanOrEqual(1e-9);
    else expect(g, `${where} ${w.name}`).toBe(w.value);
  });
}

describe('driftwatch baseline --bias-config', () => {
  for (const c of ORACLE.cases)
    it(`${c.name}: writes analysis.json equal to smclarify's, both stages`, async () => {
      const dir = caseFolder(c);

      const r = await run(baselineArgs(dir, '--probability-column', 'score'));

      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(
        /Bias \(Clarify\) of \d+ rows, 1 facet value: pre-training and post-training metrics/,
      );
      const analysis = JSON.parse(readFileSync(join(dir, 'baseline/bias/analysis.json'), 'utf8'));
      const facet = c.analysis_config.facet[0]!.name_or_index;
      for (const stage of ['pre_training_bias_metrics', 'post_training_bias_metrics'] as const) {
        const got = analysis[stage].facets[facet];
        expect(got.map((e: { value_or_threshold: string }) => e.value_or_threshold)).toEqual(
          c.expected[stage].map((e) => e.value_or_threshold),
        );
        expectClarify(got[0].metrics, c.expected[stage][0]!.metrics, `${c.name} ${stage}`);
      }
      // The configuration is kept as given, for `run`; the model-quality baseline is written too.
      expect(JSON.parse(readFileSync(join(dir, 'baseline/bias/analysis_config.json'), 'utf8'))).toEqual(
        c.analysis_config,
      );
      expect(existsSync(join(dir, 'baseline/model-quality/statistics.json'))).toBe(true);
    });

  const mild = ORACLE.cases.find((x) => x.name === 'categorical facet, mild bias')!;

  it('gives pre-training metrics only for a training set without a score column, and no model quality', async () => {
    const dir = caseFolder(mild);

    const r = await run(baselineArgs(dir));

    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pre-training metrics \(no --probability-column: no post-training metrics\)/);
    const analysis = JSON.parse(readFileSync(join(dir, 'baseline/bias/analysis.json'), 'utf8'));
    expect(analysis.pre_training_bias_metrics.facets.region).toBeDefined();
    expect(analysis.post_training_bias_metrics).toBeUndefined();
    expect(existsSync(join(dir, 'baseline/model-quality'))).toBe(false);
  });

  it('refuses every mistake at once, naming each field, with exit 2 and nothing written', async () => {
    const dir = caseFolder(mild, {
      ...mild.analysis_config,
      facet: [
        { name_or_index: 'country', value_or_threshold: ['south'] },
        { name_or_index: 'region', value_or_threshold: [3] },
      ],
      group_variable: 'cohort',
    });

    const r = await run(baselineArgs(dir, '--probability-column', 'score'));

    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/3 problems/);
    expect(r.stderr).toMatch(/facet\[0\]\.name_or_index: column "country" is not in the data/);
    expect(r.stderr).toMatch(
      /facet\[1\]\.value_or_threshold: is \[3\], a threshold, but column "region" is categorical/,
    );
    expect(r.stderr).toMatch(/group_variable: column "cohort" is not in the data/);
    expect(existsSync(join(dir, 'baseline'))).toBe(false);
  });

  it('refuses a configuration that does not parse, and flags that disagree with it', async () => {
    const broken = caseFolder(mild, { ...mild.analysis_config, label_values_or_threshold: [], facet: [] });
    const bad = await run(baselineArgs(broken, '--probability-column', 'score'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/label_values_or_threshold/);
    expect(bad.stderr).toMatch(/facet/);

    const dir = caseFolder(mild);
    const label = await run(baselineArgs(dir, '--probability-column', 'score', '--label-column', 'score'));
    expect(label.status).toBe(2);
    expect(label.stderr).toMatch(/--label-column score is not the bias configuration's label "label"/);
    const type = await run(
      baselineArgs(dir, '--probability-column', 'score', '--problem-type', 'Regression'),
    );
    expect(type.status).toBe(2);
    expect(type.stderr).toMatch(/--bias-config measures bias of a binary classifier/);
    expect(existsSync(join(dir, 'baseline'))).toBe(false);
  });
});
