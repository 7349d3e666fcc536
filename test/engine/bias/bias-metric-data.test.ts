/**
 * CloudWatch metric data of a bias report: Clarify's names, namespace and dimensions,
 * infinities within CloudWatch's range, values without a number left out, dimension values
 * within CloudWatch's limits, and never more metrics than the configuration names.
 */
import { describe, expect, it } from 'vitest';
import { type BiasConfig, parseBiasConfig } from '../../../functions/engine/bias/analysis-config.ts';
import type { BiasAnalysis, BiasFacetValueResult } from '../../../functions/engine/bias/analysis-json.ts';
import {
  BIAS_METRICS_NAMESPACE,
  biasMetricData,
  CLOUDWATCH_INFINITY,
  dimensionValue,
  MAX_DIMENSION_VALUE_LENGTH,
} from '../../../functions/engine/bias/bias-metric-data.ts';
import type { BiasMetricName } from '../../../functions/engine/bias/bias-metrics.ts';

const CONFIG: BiasConfig = parseBiasConfig({
  label: 'label',
  label_values_or_threshold: [1],
  facet: [
    { name_or_index: 'region', value_or_threshold: ['south'] },
    { name_or_index: 'age', value_or_threshold: [60] },
  ],
  methods: { pre_training_bias: { methods: ['CI'] }, post_training_bias: { methods: ['DI', 'TE', 'DCA'] } },
});

function entry(
  value: string,
  text: string,
  metrics: Partial<Record<BiasMetricName, number | null>>,
): BiasFacetValueResult {
  return {
    value,
    valueOrThreshold: text,
    metrics: Object.entries(metrics).map(([name, v]) => ({
      name: name as BiasMetricName,
      description: name,
      value: v ?? null,
    })),
  };
}

const ANALYSIS: BiasAnalysis = {
  version: '1.0',
  preTraining: {
    label: 'label',
    labelValueOrThreshold: '1',
    facets: [
      {
        name: 'region',
        values: [entry('south', 'south', { CI: 0.4, DPL: 0.1 }), entry('west', 'west', { CI: 0.2 })],
      },
      { name: 'age', values: [entry('60', '(60, 89]', { CI: 0.22 })] },
      { name: 'income', values: [entry('50000', '(50000, 90000]', { CI: 0.5 })] },
    ],
  },
  postTraining: {
    label: 'label',
    labelValueOrThreshold: '1',
    facets: [
      {
        name: 'region',
        values: [
          entry('south', 'south', {
            DI: 0,
            TE: Number.POSITIVE_INFINITY,
            DCA: Number.NEGATIVE_INFINITY,
          }),
        ],
      },
      { name: 'age', values: [entry('60', '(60, 89]', { DI: null, TE: 4.9, DCA: -3 })] },
    ],
  },
};

const CONTEXT = { endpoint: 'churn-prod', schedule: 'churn-prod-bias', config: CONFIG };

describe('biasMetricData', () => {
  it("names each metric bias_metric_NAME with Clarify's seven dimensions", () => {
    const data = biasMetricData(ANALYSIS, CONTEXT);

    expect(BIAS_METRICS_NAMESPACE).toBe('aws/sagemaker/Endpoints/bias-metrics');
    expect(data[0]).toEqual({
      MetricName: 'bias_metric_CI',
      Value: 0.4,
      Unit: 'None',
      Dimensions: [
        { Name: 'Endpoint', Value: 'churn-prod' },
        { Name: 'MonitoringSchedule', Value: 'churn-prod-bias' },
        { Name: 'BiasStage', Value: 'Pre-training' },
        { Name: 'Label', Value: 'label' },
        { Name: 'LabelValue', Value: '1' },
        { Name: 'Facet', Value: 'region' },
        { Name: 'FacetValue', Value: 'south' },
      ],
    });
  });

  it('publishes one datum per configured facet value and metric, and nothing the configuration does not name', () => {
    const data = biasMetricData(ANALYSIS, CONTEXT);

    expect(
      data.map(
        (d) =>
          `${d.Dimensions[2]!.Value} ${d.Dimensions[5]!.Value}=${d.Dimensions[6]!.Value} ${d.MetricName}`,
      ),
    ).toEqual([
      'Pre-training region=south bias_metric_CI',
      'Pre-training age=60 bias_metric_CI',
      'Post-Training region=south bias_metric_DCA',
      'Post-Training region=south bias_metric_DI',
      'Post-Training region=south bias_metric_TE',
      'Post-Training age=60 bias_metric_DCA',
      'Post-Training age=60 bias_metric_TE',
    ]);
  });

  it('publishes infinities as +/-2^360 (CloudWatch takes no infinity) and leaves out metrics without a value', () => {
    const data = biasMetricData(ANALYSIS, CONTEXT);
    const value = (facet: string, metric: string) =>
      data.find((d) => d.Dimensions[5]!.Value === facet && d.MetricName === `bias_metric_${metric}`)?.Value;

    expect(CLOUDWATCH_INFINITY).toBe(2 ** 360);
    expect(CLOUDWATCH_INFINITY.toPrecision(7)).toBe('2.348543e+108');
    expect(value('region', 'TE')).toBe(CLOUDWATCH_INFINITY);
    expect(value('region', 'DCA')).toBe(-CLOUDWATCH_INFINITY);
    expect(value('region', 'DI')).toBe(0);
    expect(value('age', 'DI')).toBeUndefined();
  });

  it('writes the configured value as FacetValue, not the interval that embeds the maximum', () => {
    const age = biasMetricData(ANALYSIS, CONTEXT).find((d) => d.Dimensions[5]!.Value === 'age')!;

    expect(age.Dimensions[6]).toEqual({ Name: 'FacetValue', Value: '60' });
  });

  it('timestamps every datum when given the window start', () => {
    const at = new Date('2026-01-05T10:00:00Z');

    expect(biasMetricData(ANALYSIS, { ...CONTEXT, timestamp: at }).every((d) => d.Timestamp === at)).toBe(
      true,
    );
  });
});

describe('dimensionValue', () => {
  it('keeps printable ASCII within 1024 characters as given', () => {
    expect(dimensionValue('south, west')).toBe('south, west');
    expect(dimensionValue('x'.repeat(1024))).toBe('x'.repeat(1024));
  });

  it('cuts a longer value to 1024 characters, and two long values stay two', () => {
    const a = dimensionValue(`${'x'.repeat(1100)}a`);
    const b = dimensionValue(`${'x'.repeat(1100)}b`);

    expect(a).toHaveLength(MAX_DIMENSION_VALUE_LENGTH);
    expect(b).toHaveLength(MAX_DIMENSION_VALUE_LENGTH);
    expect(a).not.toBe(b);
  });

  it('replaces characters CloudWatch refuses, and gives a blank value a name', () => {
    const accented = dimensionValue('Île-de-France');
    const blank = dimensionValue('  ');

    expect(accented).toMatch(/^_le-de-France_[0-9a-f]{12}$/);
    expect(dimensionValue('Ile\u0000')).not.toBe(dimensionValue('Ile\u0001'));
    expect(blank.trim()).not.toBe('');
    expect([...blank, ...accented].every((ch) => ch.charCodeAt(0) >= 32 && ch.charCodeAt(0) <= 126)).toBe(
      true,
    );
  });
});
