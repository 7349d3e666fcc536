/** The history tables' schema: keys and partition values, line validation, the Glue columns and projection. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_COLUMNS,
  glueColumns,
  gluePartitionKeys,
  HISTORY_COLUMNS,
  historyKey,
  historyLine,
  historyPartitionValue,
  historyTableParameters,
  WINDOW_COLUMNS,
} from '../../functions/contracts/history-schema.ts';

const START = new Date('2026-11-26T05:00:00.000Z');

describe('historyKey', () => {
  it('lays objects out by table, endpoint, schedule, UTC day and hour', () => {
    expect(historyKey('features', 'xgb-churn', 'driftwatch-hourly', START)).toBe(
      'history/features/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/05.jsonl',
    );
    expect(
      historyKey('windows', 'xgb-churn', 'driftwatch-hourly', new Date('2026-12-31T23:00:00+00:00')),
    ).toBe('history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-12-31/23.jsonl');
  });

  it('percent-encodes what would break a Hive path, leaves SageMaker names alone, refuses empty names', () => {
    expect(historyPartitionValue('team/a=b c%', 'endpoint')).toBe('team%2Fa%3Db%20c%25');
    expect(historyPartitionValue('prix €', 'endpoint')).toBe('prix%20%E2%82%AC');
    expect(historyPartitionValue('..', 'endpoint')).toBe('..');
    expect(historyPartitionValue('__proto__', 'schedule')).toBe('__proto__');
    expect(() => historyPartitionValue('', 'schedule')).toThrow(
      'history: the schedule name is empty; give a name',
    );
    expect(() => historyPartitionValue('a\uD800', 'endpoint')).toThrow('has a lone surrogate');
  });

  it('keeps SageMaker names as they are and gives any other name a single path segment that decodes back', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/), (name) => {
        expect(historyPartitionValue(name, 'endpoint')).toBe(name);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }), (name) => {
        const encoded = historyPartitionValue(name, 'endpoint');
        expect(encoded).toMatch(/^[A-Za-z0-9_.%-]+$/);
        expect(decodeURIComponent(encoded)).toBe(name);
      }),
    );
  });
});

describe('historyLine', () => {
  it('writes every column in order, nulls for the missing, doubles with a decimal point, timestamps as Hive reads them', () => {
    const line = historyLine('features', {
      window_start: '2026-11-26T05:00:00Z',
      window_end: new Date('2026-11-26T06:00:00Z'),
      feature: 'say "hi"\n',
      distance: 1,
      threshold: Number.NaN,
      drifted: true,
      present: 10,
    });

    const parsed = JSON.parse(line);
    expect(Object.keys(parsed)).toEqual(FEATURE_COLUMNS.map((c) => c.name));
    expect(parsed).toMatchObject({
      window_start: '2026-11-26 05:00:00.000',
      window_end: '2026-11-26 06:00:00.000',
      feature: 'say "hi"\n',
      distance: 1,
      threshold: null,
      drifted: true,
      present: 10,
      p_value: null,
    });
    expect(line).toContain('"distance":1.0,');
    expect(line).not.toContain('\n');
  });

  it('refuses a column the table does not have and a value of another type, naming them', () => {
    expect(() => historyLine('features', { distnace: 0.1 })).toThrow(
      'history features: no column "distnace"; add it to the schema first',
    );
    expect(() => historyLine('features', { present: 1.5 })).toThrow(
      'history features.present: "1.5" is not a bigint',
    );
    expect(() => historyLine('windows', { dataset_drift: 'yes' })).toThrow(
      'history windows.dataset_drift: "yes" is not a boolean',
    );
    expect(() => historyLine('windows', { window_start: 'yesterday' })).toThrow('not a time: "yesterday"');
  });
});

describe('the Glue table', () => {
  it('has the schema columns, Hive types, no partition key among them, and unique names', () => {
    for (const table of ['features', 'windows'] as const) {
      const columns = glueColumns(table);
      expect(columns.map((c) => c.Name)).toEqual(HISTORY_COLUMNS[table].map((c) => c.name));
      expect(new Set(columns.map((c) => c.Name)).size).toBe(columns.length);
      for (const c of columns) {
        expect(['string', 'bigint', 'double', 'boolean', 'timestamp']).toContain(c.Type);
        expect(c.Name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(c.Comment.length).toBeLessThanOrEqual(255); // Glue's limit of a column comment
        expect(['endpoint', 'schedule', 'dt']).not.toContain(c.Name);
      }
    }
    expect(gluePartitionKeys().map((c) => [c.Name, c.Type])).toEqual([
      ['endpoint', 'string'],
      ['schedule', 'string'],
      ['dt', 'string'],
    ]);
    expect(WINDOW_COLUMNS.filter((c) => c.name.startsWith('quality_')).map((c) => c.name)).toEqual([
      'quality_violations',
      'quality_accuracy',
      'quality_precision',
      'quality_recall',
      'quality_f1',
      'quality_auc',
      'quality_precision_macro',
      'quality_recall_macro',
      'quality_f1_macro',
      'quality_precision_weighted',
      'quality_recall_weighted',
      'quality_f1_weighted',
      'quality_mae',
      'quality_mse',
      'quality_rmse',
      'quality_r2',
    ]);
  });

  it('projects partitions onto exactly the keys the writer writes', () => {
    const params = historyTableParameters('features', {
      reportsUri: 's3://reports-bucket/driftwatch/',
      endpoints: ['xgb-churn', 'fraud', 'xgb-churn'],
      schedules: ['driftwatch-hourly'],
    });

    expect(params).toEqual({
      classification: 'json',
      'projection.enabled': 'true',
      'projection.endpoint.type': 'enum',
      'projection.endpoint.values': 'xgb-churn,fraud',
      'projection.schedule.type': 'enum',
      'projection.schedule.values': 'driftwatch-hourly',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2024-01-01,NOW',
      'projection.dt.interval': '1',
      'projection.dt.interval.unit': 'DAYS',
      'storage.location.template': `s3://reports-bucket/driftwatch/history/features/endpoint=$\{endpoint}/schedule=$\{schedule}/dt=$\{dt}/`,
    });
    // The template, filled in as Athena does, is the folder of the writer's key.
    const folder = params['storage.location.template']!.replace(/\$\{endpoint\}/, 'fraud')
      .replace(/\$\{schedule\}/, 'driftwatch-hourly')
      .replace(/\$\{dt\}/, '2026-11-26');
    expect(
      `s3://reports-bucket/driftwatch/${historyKey('features', 'fraud', 'driftwatch-hourly', START)}`,
    ).toBe(`${folder}05.jsonl`);
  });
});
