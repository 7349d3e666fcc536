import { describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import { parseMonitorConfig } from '../../functions/contracts/monitor-config.ts';

const VALID: MonitorRuntimeConfig = {
  endpoint: 'churn-xgb',
  variants: ['AllTraffic'],
  scheduleName: 'churn-xgb-hourly',
  captureUri: 's3://capture-bucket/capture',
  baselineUri: 's3://ml/baselines/churn-xgb',
  reportsBucket: 'reports',
  reportsPrefix: '',
  dataMetricsNamespace: 'aws/sagemaker/Endpoints/data-metrics',
  modelMetricsNamespace: 'aws/sagemaker/Endpoints/model-metrics',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:driftwatch',
  datasetDriftShare: 0.5,
  featureThresholds: { tenure: 0.2 },
};

const parse = (over: Record<string, unknown>) => () =>
  parseMonitorConfig(JSON.stringify({ ...VALID, ...over }));

describe('MONITOR_CONFIG', () => {
  it('reads what the stack writes', () => {
    expect(parseMonitorConfig(JSON.stringify(VALID))).toEqual(VALID);
    const { datasetDriftShare: _, featureThresholds: __, ...minimal } = VALID;
    expect(parseMonitorConfig(JSON.stringify(minimal))).toEqual(minimal);
  });

  it('names the field that is wrong and what it takes', () => {
    expect(() => parseMonitorConfig(undefined)).toThrow('MONITOR_CONFIG is not set');
    expect(() => parseMonitorConfig('{')).toThrow('MONITOR_CONFIG is not valid JSON');
    expect(parse({ endpoint: '' })).toThrow('MONITOR_CONFIG.endpoint must be a non-empty string; got ""');
    expect(parse({ variants: ['AllTraffic', 3] })).toThrow(
      'MONITOR_CONFIG.variants must be a non-empty list',
    );
    expect(parse({ captureUri: 'capture-bucket/capture' })).toThrow(
      'MONITOR_CONFIG.captureUri must be an S3 URI (s3://bucket/prefix); got "capture-bucket/capture"',
    );
    expect(parse({ baselineUri: undefined })).toThrow(
      'MONITOR_CONFIG.baselineUri must be a non-empty string; got nothing',
    );
    expect(parse({ problemType: 'Ranking' })).toThrow(
      'MONITOR_CONFIG.problemType must be one of BinaryClassification, MulticlassClassification, Regression',
    );
    expect(parse({ datasetDriftShare: 2 })).toThrow(
      'MONITOR_CONFIG.datasetDriftShare must be a number from 0 to 1; got 2',
    );
    expect(parse({ featureThresholds: { tenure: '0.2' } })).toThrow(
      'MONITOR_CONFIG.featureThresholds must be an object of feature names to numbers',
    );
    expect(parse({ topicArn: 'driftwatch' })).toThrow('MONITOR_CONFIG.topicArn must be an SNS topic ARN');
    expect(parse({ reportsPrefix: null })).toThrow('MONITOR_CONFIG.reportsPrefix must be a string; got null');
  });

  it('takes ground truth and problem type together, or neither', () => {
    const quality = { groundTruthUri: 's3://ml/ground-truth', problemType: 'BinaryClassification' };

    expect(parseMonitorConfig(JSON.stringify({ ...VALID, ...quality }))).toMatchObject(quality);
    expect(parse({ groundTruthUri: 's3://ml/ground-truth' })).toThrow(
      'MONITOR_CONFIG.problemType must be one of BinaryClassification, MulticlassClassification, Regression when groundTruthUri is set; got nothing',
    );
    expect(parse({ problemType: 'Regression' })).toThrow(
      'MONITOR_CONFIG.groundTruthUri must be an S3 URI (s3://bucket/prefix) of the ground-truth labels when problemType is set; got nothing',
    );
  });

  it('reads the fan-out thresholds, and names a wrong one', () => {
    const fanOut = { maxObjects: 2000, maxBytes: 536870912 };

    expect(parseMonitorConfig(JSON.stringify({ ...VALID, fanOut })).fanOut).toEqual(fanOut);
    expect(parse({ fanOut: { maxObjects: 0, maxBytes: 1 } })).toThrow(
      'MONITOR_CONFIG.fanOut must be an object {"maxObjects", "maxBytes", "joinPartitionBytes"?} of positive whole numbers; got {"maxObjects":0,"maxBytes":1}',
    );
    // The size of a model-quality join partition, optional.
    const withJoin = { ...fanOut, joinPartitionBytes: 1 << 20 };
    expect(parseMonitorConfig(JSON.stringify({ ...VALID, fanOut: withJoin })).fanOut).toEqual(withJoin);
    expect(parse({ fanOut: { ...fanOut, joinPartitionBytes: 0.5 } })).toThrow('joinPartitionBytes');
  });

  it('reads the profiling memory, absent in configs written before it, and names a wrong one', () => {
    expect(parseMonitorConfig(JSON.stringify({ ...VALID, profileMemoryMb: 1024 })).profileMemoryMb).toBe(
      1024,
    );
    expect(parseMonitorConfig(JSON.stringify(VALID))).not.toHaveProperty('profileMemoryMb');
    expect(parse({ profileMemoryMb: 64 })).toThrow(
      "MONITOR_CONFIG.profileMemoryMb must be a whole number of MB from 128 to 10240 (a Lambda function's memory); got 64",
    );
    expect(parse({ profileMemoryMb: '1024' })).toThrow(
      'MONITOR_CONFIG.profileMemoryMb must be a whole number',
    );
    expect(parse({ profileMemoryMb: 1024.5 })).toThrow('got 1024.5');
  });
});
