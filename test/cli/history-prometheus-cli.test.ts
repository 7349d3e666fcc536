/**
 * `driftwatch run --history/--prometheus/--pushgateway` on a real window: the history lines land
 * under the schema's keys with the report's numbers, the textfile holds the report's metrics, a
 * push reaches an HTTP server (a Pushgateway stand-in) as a PUT to the group's path, and every
 * flag mistake exits 2 before anything is written.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyKey } from '../../functions/contracts/history-schema.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { mulberry32 as rng } from '../../functions/engine/stats/seeded-random.ts';
import { captureFile, captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';
import { onPath } from '../support/prometheus-tools.ts';

const cli = cliRunner('2026-11-26T06:00:00Z');
const ENDPOINT = 'xgb-churn';
const SCHEDULE = 'driftwatch-hourly';
const WINDOW = ['--start', '2026-11-26T04:00:00Z', '--end', '2026-11-26T05:00:00Z'];
const NAMES = ['--endpoint', ENDPOINT, '--schedule', SCHEDULE];
const CITIES = ['Paris', 'Rome', 'Lyon', 'Berlin'];

let root: string;
let baseline: string;
let capture: string;

/** Churn-like rows; `drift` moves age up by 40 and sends most cities to Tokyo. */
function rows(count: number, seed: number, drift = false) {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const age = 20 + Math.floor(next() * 50) + (drift ? 40 : 0);
    const income = (20_000 + next() * 60_000).toFixed(2);
    const city = drift && next() < 0.7 ? 'Tokyo' : CITIES[Math.floor(next() * CITIES.length)]!;
    return { age, income, city, score: next().toFixed(4), churn: next() < 0.2 ? 1 : 0 };
  });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'driftwatch-history-cli-'));
  const train = join(root, 'train.csv');
  writeFileSync(
    train,
    `age,income,city,score,churn\n${rows(600, 1)
      .map((r) => `${r.age},${r.income},${r.city},${r.score},${r.churn}`)
      .join('\n')}\n`,
  );
  baseline = join(root, 'baseline');
  const b = await cli(
    'baseline',
    train,
    '--label-column',
    'churn',
    '--probability-column',
    'score',
    '--out',
    baseline,
  );
  if (b.code !== 0) throw new Error(`baseline failed: ${b.stderr}`);
  capture = join(root, 'capture');
  const hour = join(capture, 'churn', 'AllTraffic', '2026', '11', '26', '04');
  mkdirSync(hour, { recursive: true });
  const lines = rows(200, 3, true).map((r, i) =>
    captureLine({
      input: csvSide(`${r.age},${r.income},${r.city}`),
      output: csvSide(r.score),
      time: new Date(Date.UTC(2026, 10, 26, 4, 0, i * 10)).toISOString(),
    }),
  );
  writeFileSync(join(hour, '00-01-000-bbbb.jsonl'), captureFile(lines));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (out: string, ...more: string[]) =>
  cli('run', '--baseline', baseline, '--capture', capture, '--out', out, ...more);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;
const jsonLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** The sample lines of `metric` in exposition text, as {labels, value}. */
function samples(text: string, metric: string): Array<{ labels: string; value: number }> {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`))
    .map((l) => {
      const cut = l.lastIndexOf('} ');
      return { labels: l.slice(metric.length + 1, cut), value: Number(l.slice(cut + 2)) };
    });
}

describe('run --history', () => {
  it('writes one line per baseline feature and one per window under the schema keys, with the report numbers', async () => {
    const out = join(root, 'out-history');
    const history = join(root, 'history');

    const r = await run(out, ...WINDOW, '--history', history, ...NAMES, '--model-version', '7');

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const start = new Date('2026-11-26T04:00:00Z');
    const featuresFile = join(
      history,
      'history/features/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl',
    );
    const windowsFile = join(
      history,
      'history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl',
    );
    expect(historyKey('features', ENDPOINT, SCHEDULE, start)).toBe(
      'history/features/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl',
    );
    expect(r.stdout).toContain(
      `Wrote history ${history}/{history/features/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl,history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl}`,
    );
    const report = readJson<Report>(join(out, 'report.json'));
    const features = jsonLines(featuresFile);
    expect(features.map((f) => f.feature)).toEqual(['age', 'income', 'city', 'score']);
    for (const line of features) {
      const f = report.features.find((x) => x.name === line.feature)!;
      expect(line.distance).toBe(f.distance);
      expect(line.threshold).toBe(f.threshold);
      expect(line.drifted).toBe(f.drifted);
      expect(line.role).toBe(f.role);
      expect(line.present).toBe(f.count);
      expect(line.window_start).toBe('2026-11-26 04:00:00.000');
      expect(line.window_end).toBe('2026-11-26 05:00:00.000');
      expect(line.model_version).toBe('7');
      expect(line.records).toBe(200);
    }
    // The window drifted: age by 40 years, city to Tokyo.
    expect(features.find((f) => f.feature === 'age')!.drifted).toBe(true);
    expect(features.find((f) => f.feature === 'city')!.drifted).toBe(true);
    const [window, ...more] = jsonLines(windowsFile);
    expect(more).toEqual([]);
    expect(window!.records_profiled).toBe(200);
    expect(window!.drift_share).toBe(report.datasetDrift.share);
    expect(window!.drifted_features).toBe(report.features.filter((f) => f.monitored && f.drifted).length);
    expect(window!.dataset_drift).toBe(report.datasetDrift.detected);
    expect(window!.violations).toBe(report.violations.length);
    expect(window!.model_version).toBe('7');
    expect(window!.generated_at).toBe('2026-11-26 06:00:00.000');
  });

  it('percent-encodes hostile endpoint and schedule names in the partition path', async () => {
    const history = join(root, 'history-hostile');

    const r = await run(
      join(root, 'out-hostile'),
      ...WINDOW,
      '--history',
      history,
      '--endpoint',
      'a/b=c d%',
      '--schedule',
      'ümlaut',
    );

    expect(r.code).toBe(0);
    const folder = join(
      history,
      'history/windows/endpoint=a%2Fb%3Dc%20d%25/schedule=%C3%BCmlaut/dt=2026-11-26',
    );
    expect(existsSync(join(folder, '04.jsonl'))).toBe(true);
  });

  it('writes to an s3:// --history through the same store as the reports (checked up front only)', async () => {
    // A malformed S3 URI is a usage error before anything is read.
    const out = join(root, 'out-bad-s3');

    const r = await run(out, ...WINDOW, '--history', 's3://', ...NAMES);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--history');
    expect(existsSync(out)).toBe(false);
  });
});

describe('run --history/--prometheus/--pushgateway: usage errors, nothing written', () => {
  const cases: Array<[string, string[], string]> = [
    [
      '--history without --endpoint',
      ['--history', 'H', '--schedule', SCHEDULE, ...WINDOW],
      '--history needs --endpoint NAME',
    ],
    [
      '--history without --schedule',
      ['--history', 'H', '--endpoint', ENDPOINT, ...WINDOW],
      '--history needs --schedule NAME',
    ],
    [
      '--prometheus without --endpoint',
      ['--prometheus', 'P.prom', '--schedule', SCHEDULE],
      '--prometheus needs --endpoint NAME',
    ],
    [
      '--pushgateway without --schedule',
      ['--pushgateway', 'http://127.0.0.1:9', '--endpoint', ENDPOINT],
      '--pushgateway needs --schedule NAME',
    ],
    ['--history without a window', ['--history', 'H', ...NAMES], '--history needs --start and --end'],
    [
      '--history with --start only',
      ['--history', 'H', ...NAMES, '--start', '2026-11-26T04:00:00Z'],
      '--history needs --start and --end',
    ],
    [
      'an empty --endpoint',
      ['--history', 'H', ...WINDOW, '--endpoint', '', '--schedule', SCHEDULE],
      '--endpoint: history: the endpoint name is empty',
    ],
    [
      'a --schedule with a lone surrogate',
      ['--prometheus', 'P.prom', '--endpoint', ENDPOINT, '--schedule', 'x\uD800'],
      '--schedule: history: the schedule name',
    ],
    [
      '--endpoint without an export',
      [...NAMES],
      '--endpoint names what --history, --prometheus or --pushgateway write',
    ],
    [
      '--model-version without --history',
      ['--prometheus', 'P.prom', ...NAMES, '--model-version', '3'],
      '--model-version is the model version of the history lines',
    ],
    [
      'a --pushgateway that is not http',
      ['--pushgateway', 'ftp://gw:9091', ...NAMES],
      '--pushgateway ftp://gw:9091/: use an http:// or https:// URL',
    ],
    [
      'a --pushgateway that is not a URL',
      ['--pushgateway', 'http://gw:99999', ...NAMES],
      '--pushgateway "http://gw:99999": not a URL',
    ],
    [
      'a --prometheus on S3',
      ['--prometheus', 's3://b/k.prom', ...NAMES],
      '--prometheus s3://b/k.prom: give a local file',
    ],
  ];

  it.each(cases)('%s exits 2 and says what to give', async (_, flags, message) => {
    const work = mkdtempSync(join(root, 'usage-'));
    const out = join(work, 'out');
    const args = flags.map((f) => (f === 'H' ? join(work, 'H') : f === 'P.prom' ? join(work, 'P.prom') : f));

    const r = await run(out, ...args);

    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(work, 'H'))).toBe(false);
    expect(existsSync(join(work, 'P.prom'))).toBe(false);
  });

  it('a --prometheus that is a folder, or in a folder that does not exist, exits 2', async () => {
    const out = join(root, 'out-prom-folder');

    const folder = await run(out, '--prometheus', root, ...NAMES);
    const missing = await run(out, '--prometheus', join(root, 'no-such', 'x.prom'), ...NAMES);

    expect(folder.code).toBe(2);
    expect(folder.stderr).toContain(`--prometheus ${root}: is a folder`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`no such folder ${join(root, 'no-such')}`);
    expect(existsSync(out)).toBe(false);
  });

  it('a --history inside --capture exits 2 (history lines are never written into capture)', async () => {
    const out = join(root, 'out-history-in-capture');
    const history = join(capture, 'history-here');

    const r = await run(out, ...WINDOW, '--history', history, ...NAMES);

    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--history ${history}: is inside --capture ${capture}`);
    expect(existsSync(history)).toBe(false);
    expect(existsSync(out)).toBe(false);
  });
});

describe('run --prometheus', () => {
  it('writes the window metrics in the text format, labelled with the endpoint and schedule', async () => {
    const out = join(root, 'out-prom');
    const file = join(root, 'driftwatch.prom');

    const r = await run(out, ...WINDOW, '--prometheus', file, ...NAMES);

    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote Prometheus metrics ${file}`);
    const text = readFileSync(file, 'utf8');
    const report = readJson<Report>(join(out, 'report.json'));
    const base = 'endpoint="xgb-churn",schedule="driftwatch-hourly"';
    expect(samples(text, 'driftwatch_window_start_seconds')).toEqual([
      { labels: base, value: Date.parse('2026-11-26T04:00:00Z') / 1000 },
    ]);
    expect(samples(text, 'driftwatch_window_records')).toContainEqual({
      labels: `${base},outcome="profiled"`,
      value: 200,
    });
    const age = report.features.find((f) => f.name === 'age')!;
    expect(samples(text, 'driftwatch_feature_drift_distance')).toContainEqual({
      labels: `${base},feature="age",role="input"`,
      value: age.distance!,
    });
    expect(samples(text, 'driftwatch_feature_drifted')).toContainEqual({
      labels: `${base},feature="age",role="input"`,
      value: 1,
    });
    expect(samples(text, 'driftwatch_dataset_drift_share')).toEqual([
      { labels: base, value: report.datasetDrift.share },
    ]);
    // No timestamps: every sample line is NAME{LABELS} VALUE.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#')))
      expect(line).toMatch(/^[a-z_]+\{[^}]*\} \S+$/);
    expect(readdirSync(root).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(onPath('promtool') === null)('writes a file promtool check metrics accepts', async () => {
    const file = join(root, 'checked.prom');

    const r = await run(join(root, 'out-promtool'), ...WINDOW, '--prometheus', file, ...NAMES);
    const check = spawnSync('promtool', ['check', 'metrics'], {
      input: readFileSync(file),
      encoding: 'utf8',
    });

    expect(r.code).toBe(0);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('escapes hostile names in label values', async () => {
    const file = join(root, 'hostile.prom');

    const r = await run(
      join(root, 'out-prom-hostile'),
      '--prometheus',
      file,
      '--endpoint',
      'say "hi"\n\\',
      '--schedule',
      SCHEDULE,
    );

    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(samples(text, 'driftwatch_dataset_drift_share')[0]!.labels).toBe(
      'endpoint="say \\"hi\\"\\n\\\\",schedule="driftwatch-hourly"',
    );
  });
});

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

/** A Pushgateway stand-in on a free port: records each request and answers `status`. */
async function gateway(status: number): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status < 300 ? '' : 'pushed metrics are invalid or inconsistent with existing metrics');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, received };
}

const close = (server: Server) => new Promise<void>((ok) => server.close(() => ok()));

describe('run --pushgateway', () => {
  it('PUTs the textfile metrics to the group path, credentials in the Authorization header', async () => {
    const gw = await gateway(200);
    const file = join(root, 'pushed.prom');
    try {
      const withCredentials = gw.url.replace('http://', 'http://ops:s3cret@');

      const r = await run(
        join(root, 'out-push'),
        ...WINDOW,
        '--pushgateway',
        `${withCredentials}/`,
        '--prometheus',
        file,
        ...NAMES,
      );

      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        `Pushed Prometheus metrics to ${gw.url}/metrics/job/driftwatch/endpoint/xgb-churn/schedule/driftwatch-hourly`,
      );
      expect(r.stdout).not.toContain('s3cret');
      expect(gw.received).toHaveLength(1);
      const [put] = gw.received;
      expect(put!.method).toBe('PUT');
      expect(put!.url).toBe('/metrics/job/driftwatch/endpoint/xgb-churn/schedule/driftwatch-hourly');
      expect(put!.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(put!.authorization).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`);
      expect(put!.body).toBe(readFileSync(file, 'utf8'));
      expect(samples(put!.body, 'driftwatch_window_start_seconds')[0]!.value).toBe(
        Date.parse('2026-11-26T04:00:00Z') / 1000,
      );
    } finally {
      await close(gw.server);
    }
  });

  it('a refused push exits 3 naming the URL and the status, without credentials, after the other outputs', async () => {
    const gw = await gateway(400);
    const out = join(root, 'out-push-refused');
    const history = join(root, 'history-push-refused');
    try {
      const r = await run(
        out,
        ...WINDOW,
        '--pushgateway',
        gw.url.replace('http://', 'http://ops:s3cret@'),
        '--history',
        history,
        ...NAMES,
      );

      expect(r.code).toBe(3);
      expect(r.stderr).toContain(
        `driftwatch: Pushgateway PUT ${gw.url}/metrics/job/driftwatch/endpoint/xgb-churn/schedule/driftwatch-hourly answered HTTP 400 Bad Request: pushed metrics are invalid`,
      );
      expect(r.stderr).not.toContain('s3cret');
      expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack
      expect(existsSync(join(out, 'report.json'))).toBe(true);
      expect(
        existsSync(
          join(
            history,
            'history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/04.jsonl',
          ),
        ),
      ).toBe(true);
    } finally {
      await close(gw.server);
    }
  });

  it('an unreachable Pushgateway exits 3 naming it', async () => {
    const gw = await gateway(200);
    await close(gw.server); // the port is free again: nothing listens

    const r = await run(join(root, 'out-push-down'), '--pushgateway', gw.url, ...NAMES);

    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `Pushgateway PUT ${gw.url}/metrics/job/driftwatch/endpoint/xgb-churn/schedule/driftwatch-hourly failed`,
    );
  });
});
