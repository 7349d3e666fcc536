/**
 * The monitor function with a bias baseline (s3rver, CloudWatch mocked): a window of the oracle
 * case's rows gets its bias files and section, and Clarify's metrics go to Clarify's namespace
 * with Clarify's dimensions, `bias_violations` beside them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createProfileWorkerHandler } from '../../functions/handlers/profile-worker.ts';
import { createReduceWindowHandler } from '../../functions/handlers/reduce-window.ts';
import { type ManifestItem, planMonitor } from '../../functions/pipeline/fan-out.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { biasBaselineArgs, biasTrainingCsv, biasWindow, LARGE_BIAS_CASE } from '../support/bias-world.ts';
import { cliRunner } from '../support/cli-run.ts';
import { monitorConfig, monitorFakes, SCHEDULE } from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const DATA = 'bias-data';
const REPORTS = 'bias-reports';
const ENDPOINT = 'credit-xgb';
const HOUR = '2026-11-26T05:00:00Z';
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3([DATA, REPORTS]);
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-bias-monitor-'));
  try {
    await writeFile(join(dir, 'train.csv'), biasTrainingCsv());
    await writeFile(join(dir, 'analysis_config.json'), JSON.stringify(LARGE_BIAS_CASE.analysis_config));
    const made = await cliRunner(HOUR)(...biasBaselineArgs(dir));
    expect(made.code, made.stderr).toBe(0);
    const local = new LocalStore(join(dir, 'baseline'));
    const remote = new S3Store(s3.client, `s3://${DATA}/baseline`);
    // The same baseline without its bias/ folder, and the bias files where a deployed config's
    // bias block names them instead.
    const plain = new S3Store(s3.client, `s3://${DATA}/baseline-plain`);
    const deployed = new S3Store(s3.client, `s3://${DATA}/deployed/`);
    for await (const o of local.list()) {
      const body = (await local.getText(o.key))!;
      await remote.putText(o.key, body, 'application/json');
      if (!o.key.startsWith('bias/')) await plain.putText(o.key, body, 'application/json');
    }
    await deployed.putText(
      'credit/analysis_config.json',
      (await local.getText('bias/analysis_config.json'))!,
      'application/json',
    );
    await deployed.putText(
      'credit-analysis.json',
      (await local.getText('bias/analysis.json'))!,
      'application/json',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // The window treats the south facet worse: its scores 0.3 lower.
  const window = biasWindow(10_000, 20_000, HOUR, (r) => (r[0] === 'south' ? Math.max(0, r[5] - 0.3) : r[5]));
  const data = new S3Store(s3.client, `s3://${DATA}/`);
  // Five capture files, so the window can also be profiled in parts.
  const lines = window.capture.trimEnd().split('\n');
  for (let f = 0; f < 5; f++)
    await data.putText(
      `capture/${ENDPOINT}/AllTraffic/2026/11/26/05/part-${f}.jsonl`,
      `${lines.slice(f * 2000, (f + 1) * 2000).join('\n')}\n`,
      'application/jsonlines',
    );
  await data.putText(`labels/${ENDPOINT}/2026/11/26/06/labels.jsonl`, window.labels, 'application/jsonlines');
}, 120_000);

afterAll(async () => {
  await s3?.stop();
});

const config = (prefix = '', fanOut?: MonitorRuntimeConfig['fanOut']): MonitorRuntimeConfig =>
  monitorConfig(prefix, {
    endpoint: ENDPOINT,
    variants: ['AllTraffic'],
    captureUri: `s3://${DATA}/capture`,
    baselineUri: `s3://${DATA}/baseline`,
    groundTruthUri: `s3://${DATA}/labels`,
    problemType: 'BinaryClassification',
    reportsBucket: REPORTS,
    ...(fanOut ? { fanOut } : {}),
  });

const text = async (key: string) =>
  (await s3.client.send(new GetObjectCommand({ Bucket: REPORTS, Key: key }))).Body!.transformToString();

describe('the monitor with a bias baseline', () => {
  it("writes the window's bias files and publishes Clarify's metrics in Clarify's namespace", async () => {
    const { deps, metricRequests } = monitorFakes(s3.client, config(), '2026-11-26T08:10:00Z');

    await runMonitor(deps, { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' });

    const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;
    const report = JSON.parse(await text(`${folder}report.json`)) as Report;
    expect(report.bias?.matched).toBe(10_000);
    expect(report.bias?.violations).toBeGreaterThan(0);
    const analysis = JSON.parse(await text(`${folder}bias/analysis.json`));
    expect(Object.keys(analysis.post_training_bias_metrics.facets)).toEqual(['region']);
    const violations = JSON.parse(await text(`${folder}bias/constraint_violations.json`));
    expect(violations.violations.length).toBeGreaterThan(0);

    const bias = metricRequests().filter((r) => r.Namespace === 'aws/sagemaker/Endpoints/bias-metrics');
    const data = bias.flatMap((r) => r.MetricData ?? []);
    const dppl = data.find((d) => d.MetricName === 'bias_metric_DPPL')!;
    expect(dppl.Dimensions).toEqual([
      { Name: 'Endpoint', Value: ENDPOINT },
      { Name: 'MonitoringSchedule', Value: SCHEDULE },
      { Name: 'BiasStage', Value: 'Post-Training' },
      { Name: 'Label', Value: 'label' },
      { Name: 'LabelValue', Value: '1' },
      { Name: 'Facet', Value: 'region' },
      { Name: 'FacetValue', Value: 'south' },
    ]);
    expect(dppl.Value).toBeCloseTo(
      analysis.post_training_bias_metrics.facets.region[0].metrics.find(
        (m: { name: string }) => m.name === 'DPPL',
      ).value,
      12,
    );
    expect(data.find((d) => d.MetricName === 'bias_violations')).toMatchObject({
      Value: report.bias!.violations,
      Unit: 'Count',
    });
    // One datum per configured stage, facet value and metric (19), plus bias_violations.
    expect(data).toHaveLength(20);
  }, 120_000);

  it('gives a window profiled in parts the bias of the window profiled whole', async () => {
    const window = { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' };
    const whole = monitorFakes(s3.client, config('whole'), '2026-11-26T08:10:00Z');
    await runMonitor(whole.deps, window);
    const parts = monitorFakes(
      s3.client,
      config('parts', { maxObjects: 2, maxBytes: 1 << 30, joinPartitionBytes: 400_000 }),
      '2026-11-26T08:10:00Z',
    );
    const planned = await planMonitor(parts.deps, { fanOut: { runId: 'b' }, event: window });
    expect(planned, JSON.stringify(planned)).toMatchObject({ windowsMonitored: 0 });
    const plan = planned.fanOut!;
    expect(plan.joins.length).toBeGreaterThan(1);
    const items = JSON.parse(await text(plan.manifestKey)) as ManifestItem[];
    const worker = createProfileWorkerHandler(() => parts.deps);
    for (let i = items.length - 1; i >= 0; i--)
      await worker({ Items: [items[i]!], BatchInput: { runId: 'b' } });
    for (const join of plan.joins) await worker({ join });
    await createReduceWindowHandler(() => parts.deps)({
      runId: 'b',
      plannedAt: plan.plannedAt,
      window: plan.windows[0],
    });

    const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;
    const wholeReport = JSON.parse(await text(`whole/${folder}report.json`)) as Report;
    const partsReport = JSON.parse(await text(`parts/${folder}report.json`)) as Report;
    expect(wholeReport.bias?.matched).toBe(10_000);
    expect(partsReport.bias).toEqual(wholeReport.bias);
    for (const file of ['bias/analysis.json', 'bias/constraint_violations.json'])
      expect(await text(`parts/${folder}${file}`), file).toBe(await text(`whole/${folder}${file}`));
  }, 120_000);
});

describe('the monitor with a deployed bias configuration (the bias block)', () => {
  const deployedBias = {
    analysisConfigUri: `s3://${DATA}/deployed/credit/analysis_config.json`,
    analysisUri: `s3://${DATA}/deployed/credit-analysis.json`,
  };

  it('reads the configured objects instead of the baseline folder, with the bias of the folder-based run', async () => {
    const window = { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' };
    const folderRun = monitorFakes(s3.client, config('folder'), '2026-11-26T08:10:00Z');
    const blockRun = monitorFakes(
      s3.client,
      { ...config('block'), baselineUri: `s3://${DATA}/baseline-plain`, bias: deployedBias },
      '2026-11-26T08:10:00Z',
    );

    await runMonitor(folderRun.deps, window);
    await runMonitor(blockRun.deps, window);

    const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;
    const fromFolder = JSON.parse(await text(`folder/${folder}report.json`)) as Report;
    const fromBlock = JSON.parse(await text(`block/${folder}report.json`)) as Report;
    expect(fromBlock.bias?.violations).toBeGreaterThan(0);
    expect(fromBlock.bias).toEqual(fromFolder.bias);
    const biasData = (requests: ReturnType<typeof folderRun.metricRequests>) =>
      requests
        .filter((r) => r.Namespace === 'aws/sagemaker/Endpoints/bias-metrics')
        .flatMap((r) => r.MetricData ?? []);
    expect(biasData(blockRun.metricRequests())).toEqual(biasData(folderRun.metricRequests()));
    expect(biasData(blockRun.metricRequests())).toHaveLength(20);
  }, 120_000);

  it('fails naming the configured object and the config field when it is not there', async () => {
    const { deps } = monitorFakes(
      s3.client,
      {
        ...config('missing'),
        bias: { ...deployedBias, analysisConfigUri: `s3://${DATA}/deployed/credit/nothing.json` },
      },
      '2026-11-26T08:10:00Z',
    );

    await expect(
      runMonitor(deps, { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' }),
    ).rejects.toThrow(
      `s3://${DATA}/deployed/credit/nothing.json: does not exist; upload it, or correct bias.analysisConfig in the config and redeploy`,
    );
  }, 60_000);
});
