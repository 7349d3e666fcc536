/**
 * The Prometheus exposition against the real tools from Debian's packages: `promtool check
 * metrics` accepts it (hostile feature names included); a real Pushgateway receives a push and
 * replaces it with the next; a real Prometheus scraping that Pushgateway (honor_labels) answers
 * a query with the pushed value; node_exporter's textfile collector reads the file the textfile
 * writer leaves.
 *
 * Without the binaries the suite is skipped with a warning, except under CI (`CI` set), where it
 * fails: `.ci/run` installs Debian's prometheus, prometheus-pushgateway and
 * prometheus-node-exporter packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusText } from '../../functions/engine/export/prometheus-text.ts';
import { writePrometheusTextfile } from '../../functions/sinks/prometheus-textfile.ts';
import { pushMetrics } from '../../functions/sinks/pushgateway.ts';
import {
  freePort,
  requirePrometheusTools,
  type StartedServer,
  startServer,
} from '../support/prometheus-tools.ts';
import { feature, numericMetrics, report } from './report-fixture.ts';

const haveTools = requirePrometheusTools('prometheus-tools.test.ts');

/** Feature names a caller of the endpoint could send, or a careless baseline could hold. */
const HOSTILE = [
  'plain',
  'say "hi"',
  'back\\slash\\',
  'two\nlines',
  'carriage\rreturn',
  '__proto__',
  'constructor',
  'prix €',
  '日本語 \u{1F600}',
  '',
  'x} 1\ndriftwatch_fake{a="b',
  '# HELP driftwatch_violations fake',
];

function hostileReport(distanceOf: (i: number) => number) {
  return report(
    HOSTILE.map((name, i) =>
      feature(name, {
        type: i % 2 ? 'categorical' : 'numeric',
        metrics: i % 2 ? null : numericMetrics(10, 50, 1, 9),
        distance: distanceOf(i),
        threshold: 0.1,
        drifted: distanceOf(i) >= 0.1,
      }),
    ),
  );
}

/** PromQL's double-quoted string: Go's escapes, which JSON's match for these characters. */
const promqlString = (s: string) => JSON.stringify(s);

describe.skipIf(!haveTools)('Prometheus exposition with the real tools', () => {
  let dir: string;
  let pushgateway: StartedServer;
  let prometheus: StartedServer;

  beforeAll(async () => {
    // Made here, not when the suite is collected: a skipped suite leaves nothing behind.
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-prometheus-'));
    const pgPort = await freePort();
    pushgateway = await startServer(
      'prometheus-pushgateway',
      // Debian's default persists to /var/lib/prometheus: keep this one's state in the test's folder.
      [
        `--web.listen-address=127.0.0.1:${pgPort}`,
        `--persistence.file=${join(dir, 'pushgateway.data')}`,
        '--log.level=warn',
      ],
      pgPort,
      '/-/ready',
    );
    const promPort = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: pushgateway',
        '    honor_labels: true',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${pgPort}']`,
        '',
      ].join('\n'),
    );
    prometheus = await startServer(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      promPort,
      '/-/ready',
    );
  });

  afterAll(async () => {
    await prometheus?.stop();
    await pushgateway?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics accepts the output, hostile names included', () => {
    const text = prometheusText(
      hostileReport((i) => i / 10),
      { endpoint: 'ep "one"\\', schedule: 'hourly\n' },
    );

    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });

    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
    expect(text.match(/^driftwatch_feature_drift_distance\{/gm)).toHaveLength(HOSTILE.length);
  });

  it('promtool rejects what the format forbids (the check is not vacuous)', () => {
    const r = spawnSync('promtool', ['check', 'metrics'], {
      input: '# TYPE bad gauge\nbad{feature="un"escaped"} 1\n',
      encoding: 'utf8',
    });

    expect(r.status).not.toBe(0);
  });

  it('a push reaches the Pushgateway, the next push of the group replaces it, and Prometheus answers a query', async () => {
    const target = { url: `${pushgateway.url}/`, endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' };
    await pushMetrics(
      fetch,
      target,
      prometheusText(
        hostileReport((i) => i / 100),
        target,
      ),
    );
    // The next window: every feature but the last two, other distances.
    const next = hostileReport((i) => 0.5 + i / 100);
    next.features = next.features.slice(0, -2);
    await pushMetrics(fetch, target, prometheusText(next, target));

    const groups = (await (await fetch(`${pushgateway.url}/api/v1/metrics`)).json()) as {
      data: Array<{
        labels: Record<string, string>;
        driftwatch_feature_drift_distance?: { metrics: unknown[] };
      }>;
    };
    expect(groups.data.map((g) => g.labels)).toEqual([
      { job: 'driftwatch', endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' },
    ]);
    expect(groups.data[0]!.driftwatch_feature_drift_distance!.metrics).toHaveLength(HOSTILE.length - 2);

    for (const [i, name] of [
      [1, 'say "hi"'],
      [3, 'two\nlines'],
      [5, '__proto__'],
      [8, '日本語 \u{1F600}'],
    ] as const) {
      const query = `driftwatch_feature_drift_distance{feature=${promqlString(name)},endpoint="xgb-churn"}`;
      const result = await pollQuery(
        prometheus.url,
        query,
        (r) => r.length === 1 && r[0]!.value[1] === String(0.5 + i / 100),
      );
      expect(result).toEqual([
        {
          metric: {
            __name__: 'driftwatch_feature_drift_distance',
            endpoint: 'xgb-churn',
            schedule: 'driftwatch-hourly',
            feature: name,
            role: 'input',
            job: 'driftwatch',
            // The Pushgateway's instance="" is no label at all in Prometheus.
          },
          value: [expect.any(Number), String(0.5 + i / 100)],
        },
      ]);
    }
    // The dropped features went with the replaced push.
    const gone = await pollQuery(
      prometheus.url,
      `driftwatch_feature_drift_distance{feature=${promqlString(HOSTILE.at(-1)!)}}`,
      (r) => r.length === 0,
    );
    expect(gone).toEqual([]);
    const start = await pollQuery(prometheus.url, 'driftwatch_window_start_seconds', (r) => r.length === 1);
    expect(start[0]!.value[1]).toBe(String(Date.parse('2026-11-26T05:00:00.000Z') / 1000));
  }, 20_000);

  it('pushes groups whose names need the @base64 form (a slash, an empty value)', async () => {
    const target = { url: pushgateway.url, endpoint: 'team/a churn', schedule: '' };
    await pushMetrics(fetch, target, prometheusText(report([feature('plain', { distance: 0.42 })]), target));

    const groups = (await (await fetch(`${pushgateway.url}/api/v1/metrics`)).json()) as {
      data: Array<{ labels: Record<string, string> }>;
    };
    expect(groups.data.map((g) => g.labels)).toContainEqual({
      job: 'driftwatch',
      endpoint: 'team/a churn',
      schedule: '',
    });
  });

  it("node_exporter's textfile collector reads the written file without a scrape error", async () => {
    const textfiles = join(dir, 'textfile');
    mkdirSync(textfiles);
    const ctx = { endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' };
    await writePrometheusTextfile(
      join(textfiles, 'driftwatch.prom'),
      prometheusText(
        hostileReport((i) => i / 10),
        ctx,
      ),
    );
    const port = await freePort();
    const exporter = await startServer(
      'prometheus-node-exporter',
      [
        '--collector.disable-defaults',
        '--collector.textfile',
        `--collector.textfile.directory=${textfiles}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      port,
      '/metrics',
    );
    try {
      const metrics = await (await fetch(`${exporter.url}/metrics`)).text();

      expect(readdirSync(textfiles)).toEqual(['driftwatch.prom']);
      expect(metrics).toContain('node_textfile_scrape_error 0');
      expect(metrics).toContain(
        'driftwatch_feature_drift_distance{endpoint="xgb-churn",feature="two\\nlines",role="input",schedule="driftwatch-hourly"} 0.3',
      );
    } finally {
      await exporter.stop();
    }
  });

  it('names the URL and the HTTP status when the Pushgateway refuses a push', async () => {
    const target = { url: pushgateway.url, endpoint: 'xgb-churn', schedule: 'bad' };

    await expect(pushMetrics(fetch, target, '# TYPE x gauge\nx{a="b} 1\n')).rejects.toThrow(
      `Pushgateway PUT ${pushgateway.url}/metrics/job/driftwatch/endpoint/xgb-churn/schedule/bad answered HTTP 400 Bad Request`,
    );
  });
});

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

/** Asks Prometheus `query` until `done` holds for the answer (scrapes come every second), at most 10 s. */
async function pollQuery(
  base: string,
  query: string,
  done: (r: QueryResult[]) => boolean,
): Promise<QueryResult[]> {
  const deadline = Date.now() + 10_000;
  let last: QueryResult[] = [];
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
    const body = (await response.json()) as {
      status: string;
      data: { result: QueryResult[] };
      error?: string;
    };
    if (body.status !== 'success') throw new Error(`Prometheus refused ${query}: ${body.error}`);
    last = body.data.result;
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}
