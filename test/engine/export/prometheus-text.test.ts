/**
 * The Prometheus text exposition (0.0.4) of a report: exact lines for a known report, escaping of
 * label values from data, and the families left out when a monitor did not run.
 */
import { describe, expect, it } from 'vitest';
import {
  escapeLabelValue,
  formatSampleValue,
  prometheusText,
} from '../../../functions/engine/export/prometheus-text.ts';
import type { Report } from '../../../functions/engine/report/report-model.ts';
import {
  biasSection,
  driftViolation,
  feature,
  multivariateResult,
  numericMetrics,
  report,
} from '../../sinks/report-fixture.ts';

const CTX = { endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' };
const L = 'endpoint="xgb-churn",schedule="driftwatch-hourly"';

/** The sample lines of one family (no comments). */
function samples(text: string, family: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${family}{`));
}

describe('prometheusText', () => {
  it('writes each family once with HELP and TYPE, samples without timestamps, one line feed at the end', () => {
    const r = report(
      [
        feature('Day Mins', {
          type: 'numeric',
          metrics: numericMetrics(90, 900, 1, 20),
          count: 90,
          missing: 10,
          distance: 0.31,
          threshold: 0.1,
          drifted: true,
        }),
        feature('plan', { distance: 0.05, threshold: 0.1 }),
      ],
      [driftViolation('Day Mins')],
    );

    const text = prometheusText(r, CTX);

    expect(text.endsWith('\n')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(false);
    expect(samples(text, 'driftwatch_feature_drift_distance')).toEqual([
      `driftwatch_feature_drift_distance{${L},feature="Day Mins",role="input"} 0.31`,
      `driftwatch_feature_drift_distance{${L},feature="plan",role="input"} 0.05`,
    ]);
    expect(samples(text, 'driftwatch_feature_drifted')).toEqual([
      `driftwatch_feature_drifted{${L},feature="Day Mins",role="input"} 1`,
      `driftwatch_feature_drifted{${L},feature="plan",role="input"} 0`,
    ]);
    expect(samples(text, 'driftwatch_feature_drift_p_value')).toEqual([
      `driftwatch_feature_drift_p_value{${L},feature="Day Mins",role="input"} 0.01`,
    ]);
    expect(samples(text, 'driftwatch_feature_missing_ratio')).toEqual([
      `driftwatch_feature_missing_ratio{${L},feature="Day Mins",role="input"} 0.1`,
      `driftwatch_feature_missing_ratio{${L},feature="plan",role="input"} 0`,
    ]);
    expect(samples(text, 'driftwatch_window_start_seconds')).toEqual([
      `driftwatch_window_start_seconds{${L}} ${Date.parse('2026-11-26T05:00:00.000Z') / 1000}`,
    ]);
    expect(samples(text, 'driftwatch_window_records')).toEqual([
      `driftwatch_window_records{${L},outcome="profiled"} 118`,
      `driftwatch_window_records{${L},outcome="rejected"} 2`,
      `driftwatch_window_records{${L},outcome="outside_window"} 0`,
    ]);
    expect(samples(text, 'driftwatch_dataset_drift_share')).toEqual([
      `driftwatch_dataset_drift_share{${L}} 0.5`,
    ]);
    expect(samples(text, 'driftwatch_violations')).toEqual([`driftwatch_violations{${L}} 1`]);

    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    const names = types.map((l) => l.split(' ')[2]);
    expect(new Set(names).size).toBe(names.length);
    expect(types.every((l) => l.endsWith(' gauge'))).toBe(true);
    // HELP comes right before TYPE, and every sample follows its family's TYPE line.
    const lines = text.trimEnd().split('\n');
    let current = '';
    for (const [i, line] of lines.entries()) {
      if (line.startsWith('# HELP ')) {
        current = line.split(' ')[2]!;
        expect(lines[i + 1]).toMatch(new RegExp(`^# TYPE ${current} gauge$`));
      } else if (!line.startsWith('# ')) {
        expect(line.startsWith(`${current}{`)).toBe(true);
        expect(line).toMatch(/\} \S+$/); // a value, no timestamp after it
      }
    }
  });

  it('leaves out the families of monitors that did not run, and writes them when they did', () => {
    const bare = prometheusText(report([feature('a')]), CTX);
    for (const family of [
      'driftwatch_model_quality',
      'driftwatch_multivariate_reconstruction_error',
      'driftwatch_bias_violations',
      'driftwatch_attribution_ndcg',
      'driftwatch_model_version',
    ])
      expect(bare).not.toContain(`# TYPE ${family} `);

    const full = prometheusText(
      report([feature('a')], [], {
        quality: {
          problemType: 'BinaryClassification',
          metrics: {
            accuracy: 0.9,
            precision: 0.8,
            recall: 0.7,
            f1: 0.75,
            auc: null,
            confusionMatrix: { tn: 1, fp: 2, fn: 3, tp: 4 },
          },
          violations: [],
          matched: 40,
        } as unknown as Report['quality'],
        multivariate: multivariateResult(),
        bias: biasSection(),
        attribution: { ndcg: 0.82, threshold: 0.9, drifted: true } as unknown as Report['attribution'],
        model: {
          endpointName: 'xgb-churn',
          endpointConfigName: 'c',
          lastModifiedTime: null,
          variants: [
            { variantName: 'a', modelName: 'm', modelPackageVersion: 3 },
            { variantName: 'b', modelName: 'n', modelPackageVersion: 7 },
          ],
        },
        modelChangedDuringWindow: false,
      }),
      CTX,
    );

    expect(samples(full, 'driftwatch_model_quality')).toEqual([
      `driftwatch_model_quality{${L},metric="accuracy"} 0.9`,
      `driftwatch_model_quality{${L},metric="precision"} 0.8`,
      `driftwatch_model_quality{${L},metric="recall"} 0.7`,
      `driftwatch_model_quality{${L},metric="f1"} 0.75`,
    ]);
    expect(samples(full, 'driftwatch_quality_labels_matched')).toEqual([
      `driftwatch_quality_labels_matched{${L}} 40`,
    ]);
    expect(samples(full, 'driftwatch_multivariate_reconstruction_error')).toEqual([
      `driftwatch_multivariate_reconstruction_error{${L}} 1.23`,
    ]);
    expect(samples(full, 'driftwatch_multivariate_drifted')).toEqual([
      `driftwatch_multivariate_drifted{${L}} 1`,
    ]);
    expect(samples(full, 'driftwatch_bias_violations')).toEqual([`driftwatch_bias_violations{${L}} 1`]);
    expect(samples(full, 'driftwatch_bias_metric')).toEqual([
      `driftwatch_bias_metric{${L},facet="region",facet_value="south",stage="post_training",metric="DPPL"} 0.31`,
      `driftwatch_bias_metric{${L},facet="region",facet_value="south",stage="pre_training",metric="CI"} 0.12`,
    ]);
    expect(samples(full, 'driftwatch_attribution_ndcg')).toEqual([`driftwatch_attribution_ndcg{${L}} 0.82`]);
    expect(samples(full, 'driftwatch_model_version')).toEqual([`driftwatch_model_version{${L}} 7`]);
    expect(samples(full, 'driftwatch_model_changed')).toEqual([`driftwatch_model_changed{${L}} 0`]);
  });

  it('escapes label values from data and never builds a metric name from them', () => {
    const hostile = [
      'a"b',
      'back\\slash',
      'line\nfeed',
      '__proto__',
      'prix €',
      '\u{1F600} emoji',
      'x} 1\ny{',
    ];
    const text = prometheusText(report(hostile.map((n) => feature(n))), {
      endpoint: 'ep"\\\n',
      schedule: 'constructor',
    });

    expect(samples(text, 'driftwatch_feature_drift_distance').map((l) => l.split('feature=')[1])).toEqual([
      '"a\\"b",role="input"} 0.05',
      '"back\\\\slash",role="input"} 0.05',
      '"line\\nfeed",role="input"} 0.05',
      '"__proto__",role="input"} 0.05',
      '"prix €",role="input"} 0.05',
      '"\u{1F600} emoji",role="input"} 0.05',
      '"x} 1\\ny{",role="input"} 0.05',
    ]);
    expect(text).toContain('endpoint="ep\\"\\\\\\n",schedule="constructor"');
    // Every line is a comment or starts with a constant driftwatch_ name.
    for (const line of text.trimEnd().split('\n'))
      expect(line).toMatch(/^(# (HELP|TYPE) )?driftwatch_[a-z_]+[ {]/);
  });

  it('gives no series to features the baseline does not have, and counts them', () => {
    const text = prometheusText(
      report([feature('known'), feature('invented', { note: 'not in the baseline', monitored: false })]),
      CTX,
    );

    expect(text).not.toContain('invented');
    expect(samples(text, 'driftwatch_unknown_features')).toEqual([`driftwatch_unknown_features{${L}} 1`]);
  });
});

describe('escapeLabelValue and formatSampleValue', () => {
  it('escapes exactly backslash, double quote and line feed, and replaces lone surrogates', () => {
    expect(escapeLabelValue('a\\b"c\nd\re\tf')).toBe('a\\\\b\\"c\\nd\re\tf');
    expect(escapeLabelValue('x\uD800y\uDC00z\uD83D\uDE00')).toBe('x\uFFFDy\uFFFDz\uD83D\uDE00');
  });

  it('writes Go float syntax', () => {
    expect(
      [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1e-7, 2.5e21, 3].map(
        formatSampleValue,
      ),
    ).toEqual(['NaN', '+Inf', '-Inf', '0', '1e-7', '2.5e+21', '3']);
  });
});
