import { describe, expect, it } from 'vitest';
import { parseMonitorConfig } from '../../functions/contracts/monitor-config.ts';
import { configuredLimits } from '../../functions/pipeline/profile-limits.ts';
import { parseConfig } from '../../infra/config/index.ts';
import {
  buildMonitorRuntimeConfig,
  profileMemoryMb,
  reportsKeyPrefix,
} from '../../infra/monitor-runtime-config.ts';
import { testConfig } from './stack-fixtures.ts';

const resources = {
  dataMetricsNamespace: 'data-ns',
  modelMetricsNamespace: 'model-ns',
  reportsBucketName: 'reports',
  reportsPrefix: '',
  topicArn: 'arn:aws:sns:eu-west-1:123456789012:topic',
  profileMemoryMb: 1024,
};

describe('buildMonitorRuntimeConfig', () => {
  it('passes the endpoint, its URIs, thresholds and the deployed resources', () => {
    const endpoint = testConfig().endpoints[0]!;

    expect(buildMonitorRuntimeConfig(endpoint, resources)).toEqual({
      endpoint: 'churn-endpoint',
      variants: ['AllTraffic', 'Shadow'],
      scheduleName: 'driftwatch-hourly',
      captureUri: 's3://capture-bucket/datacapture',
      baselineUri: 's3://baseline-bucket/baselines/churn',
      groundTruthUri: 's3://labels-bucket/ground-truth',
      problemType: 'BinaryClassification',
      probabilityThreshold: 0.4,
      reportsBucket: 'reports',
      reportsPrefix: '',
      dataMetricsNamespace: 'data-ns',
      modelMetricsNamespace: 'model-ns',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:topic',
      datasetDriftShare: 0.5,
      featureThresholds: { income: 0.25, tenure: 0.3 },
      profileMemoryMb: 1024,
    });
  });

  it('writes the profiling memory the monitor reads back and derives its limits from', () => {
    const endpoint = testConfig().endpoints[0]!;
    const runtime = buildMonitorRuntimeConfig(endpoint, { ...resources, profileMemoryMb: 512 });

    const parsed = parseMonitorConfig(JSON.stringify(runtime));

    expect(parsed).toEqual(runtime);
    expect(parsed.profileMemoryMb).toBe(512);
    // One numeric feature: 5.2 MiB lines, 664 unknown columns, the full per-feature limits.
    expect(configuredLimits(parsed, { features: [{ kind: 'numeric' }] as never })).toEqual({
      maxLineBytes: 5_444_206,
      maxColumns: 664,
      limits: { exactCap: 100_000, maxCategories: 10_000 },
    });
  });

  it('leaves the optional fields out when the endpoint has no quality monitoring', () => {
    const { endpoints } = parseConfig(
      { endpoints: [{ name: 'ep', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' }] },
      'test.json',
    );

    const runtime = buildMonitorRuntimeConfig(endpoints[0]!, resources);

    expect(Object.keys(runtime)).not.toContain('groundTruthUri');
    expect(Object.keys(runtime)).not.toContain('problemType');
    expect(Object.keys(runtime)).not.toContain('probabilityThreshold');
  });
});

describe('profileMemoryMb', () => {
  it("is the monitor's memory, or the fan-out worker's when that is smaller", () => {
    expect(profileMemoryMb(1024)).toBe(1024);
    expect(profileMemoryMb(1024, 2048)).toBe(1024);
    expect(profileMemoryMb(3008, 2048)).toBe(2048);
  });
});

describe('reportsKeyPrefix', () => {
  it('puts reports under [PREFIX/]reports/ENDPOINT/SCHEDULE', () => {
    const endpoint = testConfig().endpoints[0]!;

    expect(reportsKeyPrefix('', endpoint)).toBe('reports/churn-endpoint/driftwatch-hourly');
    expect(reportsKeyPrefix('team/a', endpoint)).toBe('team/a/reports/churn-endpoint/driftwatch-hourly');
  });
});
