/**
 * The history as a table: two weeks of windows written by the history writer to a local folder,
 * then queried with DuckDB (`read_json` with Hive partitioning) for the questions the tables are
 * for: the most drifted features per week, the drift share per model version. The answers are
 * checked against the same numbers computed here from the reports, and the columns DuckDB infers
 * against the schema module (the one the Glue tables are built from).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HISTORY_COLUMNS,
  HISTORY_PARTITION_KEYS,
  type HistoryColumnType,
  type HistoryTable,
} from '../../functions/contracts/history-schema.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { writeHistory } from '../../functions/sinks/history-writer.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { biasSection, feature, multivariateResult, numericMetrics, report } from './report-fixture.ts';

const ENDPOINT = 'xgb-churn';
const SCHEDULE = 'driftwatch-hourly';
const HOSTILE = 'say "hi"\n\\';
const FEATURES = ['Day Mins', 'plan', HOSTILE] as const;
const FIRST = Date.parse('2026-11-02T00:00:00Z'); // a Monday
const WINDOWS = 56; // two weeks, every six hours
const THRESHOLD = 0.1;

/** The distance of feature `f` in window `i`: Day Mins drifts in week one, plan in week two. */
function distance(f: (typeof FEATURES)[number], i: number): number {
  const week = Math.floor(i / 28);
  if (f === 'Day Mins') return week === 0 && i % 2 === 0 ? 0.3 : 0.05;
  if (f === 'plan') return week === 0 ? (i % 4 === 0 ? 0.12 : 0.02) : i % 4 !== 3 ? 0.25 : 0.01;
  return i % 8 === 0 ? 0.2 : 0.03;
}

/** Model version 3 serves the first nine days, version 4 the rest. */
const modelVersion = (i: number) => (i < 36 ? '3' : '4');

/** The first three windows carry every monitor, so every column has a value somewhere. */
function extras(i: number): Partial<Report> {
  const quality = [
    {
      problemType: 'BinaryClassification',
      metrics: { accuracy: 0.9, precision: 0.8, recall: 0.7, f1: 0.75, auc: 0.88, confusionMatrix: {} },
    },
    {
      problemType: 'MulticlassClassification',
      metrics: {
        accuracy: 0.6,
        precision_macro: 0.5,
        recall_macro: 0.5,
        f1_macro: 0.5,
        precision_weighted: 0.6,
        recall_weighted: 0.6,
        f1_weighted: 0.6,
      },
    },
    { problemType: 'Regression', metrics: { mae: 1.5, mse: 4, rmse: 2, r2: 0.7 } },
  ][i];
  if (!quality) return {};
  return {
    quality: { ...quality, violations: [], matched: 40 } as unknown as Report['quality'],
    bias: biasSection(),
    multivariate: multivariateResult(),
    attribution: {
      ndcg: 0.8,
      threshold: 0.9,
      drifted: true,
      error: 'throttled',
    } as unknown as Report['attribution'],
    modelChangedDuringWindow: i === 0,
  };
}

function windowReport(i: number): Report {
  const start = new Date(FIRST + i * 6 * 3_600_000);
  const features = FEATURES.map((name) => {
    const d = distance(name, i);
    return feature(name, {
      type: 'numeric',
      metrics: numericMetrics(90, 900, 1, 20),
      count: 90,
      missing: 10,
      method: 'exact',
      distance: d,
      threshold: THRESHOLD,
      drifted: d >= THRESHOLD,
    });
  });
  return report(features, [], {
    window: { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
    generatedAt: new Date(start.getTime() + 4_000_000).toISOString(),
    ...extras(i),
  });
}

/** DuckDB's name of each schema type. */
const DUCKDB_TYPE: Record<HistoryColumnType, string> = {
  string: 'VARCHAR',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
};

describe('history queried with DuckDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-history-'));
  const reports = Array.from({ length: WINDOWS }, (_, i) => windowReport(i));
  let instance: DuckDBInstance;
  let db: DuckDBConnection;

  /** Rows of `sql`, values as JSON (BIGINT as text, so counts are cast to INTEGER in the queries). */
  const query = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJson();
  const table = (t: HistoryTable) =>
    `read_json('${join(dir, 'history', t)}/**/*.jsonl', format = 'newline_delimited', hive_partitioning = true)`;

  beforeAll(async () => {
    const store = new LocalStore(dir);
    for (const [i, r] of reports.entries())
      await writeHistory(store, r, {
        endpoint: ENDPOINT,
        schedule: SCHEDULE,
        modelVersion: modelVersion(i),
        variants: ['AllTraffic'],
      });
    // Another endpoint, whose name needs percent-encoding in the path.
    await writeHistory(store, reports[0]!, { endpoint: 'team/a b=c', schedule: SCHEDULE });
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
  });

  afterAll(() => {
    db?.closeSync();
    instance?.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it('infers exactly the schema module columns, then the partition keys', async () => {
    for (const t of ['features', 'windows'] as const) {
      const described = await query(`DESCRIBE SELECT * FROM ${table(t)}`);

      const columns = described.map((c) => [c.column_name, c.column_type]);
      const data = HISTORY_COLUMNS[t].length;

      expect(columns.slice(0, data)).toEqual(HISTORY_COLUMNS[t].map((c) => [c.name, DUCKDB_TYPE[c.type]]));
      // DuckDB appends the partition keys in an order of its own; dt holds yyyy-MM-dd, which it
      // reads as a DATE where Glue keeps a string (with projection type date).
      expect(columns.slice(data).sort()).toEqual(
        HISTORY_PARTITION_KEYS.map((k) => [k.name, k.name === 'dt' ? 'DATE' : 'VARCHAR']).sort(),
      );
    }
  });

  it('answers: which features drifted most, per week', async () => {
    const rows = await query(`
      SELECT strftime(date_trunc('week', window_start), '%Y-%m-%d') AS week, feature,
             CAST(count(*) FILTER (WHERE drifted) AS INTEGER) AS drifted_windows,
             max(distance) AS max_distance
      FROM ${table('features')}
      WHERE endpoint = '${ENDPOINT}' AND schedule = '${SCHEDULE}' AND dt BETWEEN DATE '2026-11-02' AND DATE '2026-11-15'
      GROUP BY week, feature
      QUALIFY row_number() OVER (PARTITION BY week ORDER BY drifted_windows DESC, max_distance DESC) <= 2
      ORDER BY week, drifted_windows DESC, max_distance DESC`);

    // The oracle: the same counts from the reports.
    const expected = new Map<string, Map<string, { n: number; max: number }>>();
    for (const [i, r] of reports.entries()) {
      const week = i < 28 ? '2026-11-02' : '2026-11-09';
      const byFeature = expected.get(week) ?? new Map();
      expected.set(week, byFeature);
      for (const f of r.features) {
        const e = byFeature.get(f.name) ?? { n: 0, max: 0 };
        byFeature.set(f.name, { n: e.n + (f.drifted ? 1 : 0), max: Math.max(e.max, f.distance!) });
      }
    }
    const top = [...expected].flatMap(([week, byFeature]) =>
      [...byFeature]
        .sort((a, b) => b[1].n - a[1].n || b[1].max - a[1].max)
        .slice(0, 2)
        .map(([feature, e]) => ({ week, feature, drifted_windows: e.n, max_distance: e.max })),
    );
    expect(rows).toEqual(top);
    expect(rows).toEqual([
      { week: '2026-11-02', feature: 'Day Mins', drifted_windows: 14, max_distance: 0.3 },
      { week: '2026-11-02', feature: 'plan', drifted_windows: 7, max_distance: 0.12 },
      { week: '2026-11-09', feature: 'plan', drifted_windows: 21, max_distance: 0.25 },
      { week: '2026-11-09', feature: HOSTILE, drifted_windows: 3, max_distance: 0.2 },
    ]);
  });

  it('answers: drift share per model version', async () => {
    const rows = await query(`
      SELECT model_version, CAST(count(*) AS INTEGER) AS windows, round(avg(drift_share), 6) AS mean_drift_share,
             CAST(count(*) FILTER (WHERE dataset_drift) AS INTEGER) AS drifted_windows
      FROM ${table('windows')}
      WHERE endpoint = '${ENDPOINT}'
      GROUP BY model_version ORDER BY model_version`);

    const oracle = ['3', '4'].map((v) => {
      const mine = reports.filter((_, i) => modelVersion(i) === v);
      const mean = mine.reduce((s, r) => s + r.datasetDrift.share, 0) / mine.length;
      return {
        model_version: v,
        windows: mine.length,
        mean_drift_share: Math.round(mean * 1e6) / 1e6,
        drifted_windows: mine.filter((r) => r.datasetDrift.detected).length,
      };
    });
    expect(rows).toEqual(oracle);
    expect(rows.map((r) => r.windows)).toEqual([36, 20]);
  });

  it('answers: the hours with dataset drift and a multivariate verdict, and the window values round-trip', async () => {
    const rows = await query(`
      SELECT strftime(window_start, '%Y-%m-%d %H:%M') AS hour, drift_share, multivariate_drifted, quality_auc,
             quality_mae, attribution_error, variants, CAST(records_profiled AS INTEGER) AS records
      FROM ${table('windows')}
      WHERE endpoint = '${ENDPOINT}' AND multivariate_drifted
      ORDER BY window_start`);

    expect(rows).toEqual([
      {
        hour: '2026-11-02 00:00',
        drift_share: reports[0]!.datasetDrift.share,
        multivariate_drifted: true,
        quality_auc: 0.88,
        quality_mae: null,
        attribution_error: 'throttled',
        variants: 'AllTraffic',
        records: 118,
      },
      expect.objectContaining({ hour: '2026-11-02 06:00', quality_auc: null }),
      expect.objectContaining({ hour: '2026-11-02 12:00', quality_mae: 1.5 }),
    ]);
  });

  it('decodes a percent-encoded endpoint name back and keeps hostile feature names intact', async () => {
    const endpoints = await query(`SELECT DISTINCT endpoint FROM ${table('windows')} ORDER BY endpoint`);
    const names = await query(
      `SELECT DISTINCT feature FROM ${table('features')} WHERE endpoint = 'team/a b=c' ORDER BY feature`,
    );

    expect(endpoints).toEqual([{ endpoint: 'team/a b=c' }, { endpoint: ENDPOINT }]);
    expect(names.map((n) => n.feature)).toEqual([...FEATURES].sort());
  });
});
