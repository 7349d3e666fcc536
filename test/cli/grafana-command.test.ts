/**
 * `driftwatch grafana`: the dashboard of the example driftwatch.config.json, to stdout or --out;
 * the command's small config reader agrees with the stack's parser (infra/config) on every field
 * it reads, and on the defaults.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CONFIG_DEFAULTS, dashboardInput } from '../../functions/cli/grafana-command.ts';
import type { GrafanaDashboard } from '../../functions/engine/export/grafana-dashboard.ts';
import { ALARM_DEFAULTS, DEFAULTS, parseConfig } from '../../infra/config/index.ts';
import { cliRunner } from '../support/cli-run.ts';

const run = cliRunner('2026-11-27T00:00:00Z');
const EXAMPLE = 'driftwatch.config.json';
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-grafana-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftwatch grafana', () => {
  it('writes the example configuration dashboard to stdout', async () => {
    const r = await run('grafana', '--config', EXAMPLE, '--region', 'eu-west-1');

    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as GrafanaDashboard;
    expect(d.panels.filter((p) => p.type === 'row').map((p) => p.title)).toEqual([
      'All endpoints: $endpoint',
      'Endpoint xgb-churn (schedule driftwatch-hourly)',
    ]);
    expect(d.panels.map((p) => p.title)).toContain('Drift: CustServ Calls');
    expect(d.panels.map((p) => p.title)).toContain('Model quality (BinaryClassification)');
  });

  it('writes --out FILE and says so on stderr', async () => {
    const out = join(dir, 'dashboard.json');

    const r = await run('grafana', '--config', EXAMPLE, '--out', out);

    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${out} (1 endpoint(s))`);
    expect(JSON.parse(readFileSync(out, 'utf8')).uid).toBe('driftwatch');
  });

  it('exits 2 naming the file and the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"endpoints": []}');
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{');

    expect(await run('grafana', '--config', bad)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--config ${bad}: "endpoints" must list at least one endpoint`),
    });
    expect(await run('grafana', '--config', notJson)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`--config ${notJson}: is not valid JSON`),
    });
    expect(await run('grafana', '--config', join(dir, 'missing.json'))).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read it (ENOENT)'),
    });
    expect(await run('grafana', '--config', EXAMPLE, '--region', 'mars')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--region must be an AWS region such as eu-west-1; got "mars"'),
    });
  });
});

describe("the command's config reader", () => {
  it("keeps the stack's defaults", () => {
    expect(DASHBOARD_CONFIG_DEFAULTS).toEqual({
      namespace: DEFAULTS.namespace,
      modelMetricsNamespace: DEFAULTS.modelMetricsNamespace,
      scheduleName: DEFAULTS.scheduleName,
      variants: DEFAULTS.variants,
      datasetDriftShare: DEFAULTS.datasetDriftShare,
      featureDriftThreshold: ALARM_DEFAULTS.featureDrift.threshold,
    });
  });

  it("reads what the stack's parser reads, from the example and from a configuration using defaults", () => {
    const example = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
    // JSON.parse, as a config file is read: `__proto__` is then an own key like any other.
    const minimal = JSON.parse(
      '{"endpoints": [{"name": "fraud", "captureUri": "s3://bucket/capture", "baselineUri": "s3://bucket/baseline",' +
        ' "features": ["__proto__", "amount"], "featureThresholds": {"__proto__": 0.3}}]}',
    );
    for (const json of [example, minimal]) {
      const stack = parseConfig(structuredClone(json), 'config.json');
      const mine = dashboardInput(structuredClone(json), 'config.json');

      expect(mine.namespaces).toEqual({ data: stack.namespace, model: stack.modelMetricsNamespace });
      expect(
        mine.endpoints.map((e) => ({
          name: e.name,
          schedule: e.schedule,
          variants: e.variants,
          features: e.features,
          thresholds: Object.fromEntries(e.featureThresholds ?? []),
          datasetDriftShare: e.datasetDriftShare,
          problemType: e.problemType,
          hasBias: e.hasBias,
          hasAttribution: e.hasAttribution,
        })),
      ).toEqual(
        stack.endpoints.map((e) => ({
          name: e.name,
          schedule: e.scheduleName,
          variants: e.variants,
          features: e.features,
          thresholds: { ...e.featureThresholds },
          datasetDriftShare: e.datasetDriftShare,
          problemType: e.problemType,
          hasBias: e.bias !== undefined,
          hasAttribution: e.attribution !== undefined,
        })),
      );
    }
  });
});
