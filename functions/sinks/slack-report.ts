/**
 * The parts of a window's report.json a Slack summary shows, read back from the reports bucket
 * and checked field by field before anything of it reaches a message.
 */
import {
  at,
  fieldOf,
  type JsonObject,
  readBoolean,
  readCount,
  readList,
  readNumber,
  readObject,
  readOptional,
  readString,
} from '../contracts/json-fields.ts';

/** What a window summary shows of report.json, read and checked by {@link readSlackReport}. */
export interface SlackReport {
  records: { total: number; profiled: number; rejected: number };
  datasetDrift: {
    detected: boolean;
    driftedFeatures: number;
    monitoredFeatures: number;
    share: number;
    threshold: number;
  };
  features: Array<{
    name: string;
    drifted: boolean;
    distance: number | null;
    threshold: number | null;
    distanceMetric: string | null;
  }>;
  violations: Array<{ feature_name: string; constraint_check_type: string }>;
  quality: {
    violations: Array<{ metric_name: string; constraint_check_type: string; description: string }>;
  } | null;
  modelChangedDuringWindow: boolean;
  model: { lastModifiedTime: string | null } | null;
  /** The bias verdict; `null` when the report has none (not measured, or an older report). */
  bias: {
    matched: number;
    violations: number;
    /** The significant violations only: what the summary lists. */
    significant: Array<{
      facet: string;
      value: string;
      metric: string;
      stage: string;
      baseline: number | null;
      window: number | null;
    }>;
  } | null;
  /** The multivariate verdict; `null` when the report has none (no model, or an older report). */
  multivariate: {
    rows: number;
    value: number | null;
    samplingError: number | null;
    lowerThreshold: number;
    upperThreshold: number;
    drifted: boolean;
    /** Largest share first, as report.json orders them; the summary shows the first few. */
    featureContributions: Array<{ feature: string; share: number; meanSquaredResidual: number }>;
  } | null;
  /** The feature attribution verdict; `null` when the report has none (not explained, or an older report). */
  attribution: {
    /** The endpoint called; `null` for attributions read from captured outputs. */
    endpoint: string | null;
    ndcg: number | null;
    threshold: number;
    drifted: boolean;
    windowRows: number;
    recordsExplained: number;
    modelRows: number;
    requests: number;
    stoppedEarly: string | null;
    error: string | null;
    /** The window's ranking, largest first (ties in the baseline's order), the first few only. */
    top: Array<{ feature: string; window: number; baseline: number | null }>;
  } | null;
}

/** Contributions read back from report.json: the summary shows a few, the rest are not looked at. */
const MAX_CONTRIBUTIONS_READ = 10;
/** Features of the attribution ranking the summary shows. */
const MAX_RANKED_READ = 5;

/**
 * The parts of a report.json a summary shows, each checked (a string is a string, a count a
 * whole number): report.json sits in a bucket others may write to, and the notifier reads it
 * back. Throws `JsonShapeError` naming the first field that is not what a report holds; fields
 * the summary does not show are not looked at.
 */
export function readSlackReport(value: unknown): SlackReport {
  const o = readObject(value, 'report');
  const obj = (key: string): JsonObject => readObject(fieldOf(o, key), at('report', key));
  const nullable = <T>(v: unknown, path: string, read: (v: unknown, path: string) => T): T | null =>
    v === null ? null : read(v, path);
  const records = obj('records');
  const dd = obj('datasetDrift');
  const list = <T>(
    from: JsonObject,
    key: string,
    path: string,
    read: (x: JsonObject, path: string) => T,
  ): T[] =>
    readList(fieldOf(from, key), at(path, key)).map((x, i) =>
      read(readObject(x, at(at(path, key), i)), at(at(path, key), i)),
    );
  const quality = fieldOf(o, 'quality');
  const model = fieldOf(o, 'model');
  const bias = fieldOf(o, 'bias');
  const multivariate = fieldOf(o, 'multivariate');
  const attribution = fieldOf(o, 'attribution');
  return {
    records: {
      total: readCount(fieldOf(records, 'total'), 'report.records.total'),
      profiled: readCount(fieldOf(records, 'profiled'), 'report.records.profiled'),
      rejected: readCount(fieldOf(records, 'rejected'), 'report.records.rejected'),
    },
    datasetDrift: {
      detected: readBoolean(fieldOf(dd, 'detected'), 'report.datasetDrift.detected'),
      driftedFeatures: readCount(fieldOf(dd, 'driftedFeatures'), 'report.datasetDrift.driftedFeatures'),
      monitoredFeatures: readCount(fieldOf(dd, 'monitoredFeatures'), 'report.datasetDrift.monitoredFeatures'),
      share: readNumber(fieldOf(dd, 'share'), 'report.datasetDrift.share'),
      threshold: readNumber(fieldOf(dd, 'threshold'), 'report.datasetDrift.threshold'),
    },
    features: list(o, 'features', 'report', (f, path) => ({
      name: readString(fieldOf(f, 'name'), at(path, 'name')),
      drifted: readBoolean(fieldOf(f, 'drifted'), at(path, 'drifted')),
      distance: nullable(fieldOf(f, 'distance'), at(path, 'distance'), readNumber),
      threshold: nullable(fieldOf(f, 'threshold'), at(path, 'threshold'), readNumber),
      distanceMetric: nullable(fieldOf(f, 'distanceMetric'), at(path, 'distanceMetric'), readString),
    })),
    violations: list(o, 'violations', 'report', (v, path) => ({
      feature_name: readString(fieldOf(v, 'feature_name'), at(path, 'feature_name')),
      constraint_check_type: readString(
        fieldOf(v, 'constraint_check_type'),
        at(path, 'constraint_check_type'),
      ),
    })),
    quality:
      quality === null || quality === undefined
        ? null
        : {
            violations: list(
              readObject(quality, 'report.quality'),
              'violations',
              'report.quality',
              (v, path) => ({
                metric_name: readString(fieldOf(v, 'metric_name'), at(path, 'metric_name')),
                constraint_check_type: readString(
                  fieldOf(v, 'constraint_check_type'),
                  at(path, 'constraint_check_type'),
                ),
                description: readOptional(v, 'description', path, readString) ?? '',
              }),
            ),
          },
    modelChangedDuringWindow: readOptional(o, 'modelChangedDuringWindow', 'report', readBoolean) ?? false,
    model:
      model === null || model === undefined
        ? null
        : {
            lastModifiedTime: nullable(
              fieldOf(readObject(model, 'report.model'), 'lastModifiedTime') ?? null,
              'report.model.lastModifiedTime',
              readString,
            ),
          },
    bias: bias === null || bias === undefined ? null : readBias(readObject(bias, 'report.bias')),
    multivariate:
      multivariate === null || multivariate === undefined
        ? null
        : readMultivariate(readObject(multivariate, 'report.multivariate')),
    attribution:
      attribution === null || attribution === undefined
        ? null
        : readAttribution(readObject(attribution, 'report.attribution')),
  };
}

const nullableNumber = (v: unknown, path: string): number | null => (v === null ? null : readNumber(v, path));

/** report.json's `bias`: the counts, and the significant entries (each field checked). */
function readBias(b: JsonObject): NonNullable<SlackReport['bias']> {
  const path = 'report.bias';
  const facets = readList(fieldOf(b, 'facets'), at(path, 'facets'));
  const significant: NonNullable<SlackReport['bias']>['significant'] = [];
  facets.forEach((x, i) => {
    const p = at(at(path, 'facets'), i);
    const f = readObject(x, p);
    if (!readBoolean(fieldOf(f, 'significant'), at(p, 'significant'))) return;
    significant.push({
      facet: readString(fieldOf(f, 'facet'), at(p, 'facet')),
      value: readString(fieldOf(f, 'value'), at(p, 'value')),
      metric: readString(fieldOf(f, 'metric'), at(p, 'metric')),
      stage: readString(fieldOf(f, 'stage'), at(p, 'stage')),
      baseline: nullableNumber(fieldOf(f, 'baseline'), at(p, 'baseline')),
      window: nullableNumber(fieldOf(f, 'window'), at(p, 'window')),
    });
  });
  return {
    matched: readCount(fieldOf(b, 'matched'), at(path, 'matched')),
    violations: readCount(fieldOf(b, 'violations'), at(path, 'violations')),
    significant,
  };
}

/** report.json's `multivariate`: the verdict, and the first contributions (each field checked). */
function readMultivariate(m: JsonObject): NonNullable<SlackReport['multivariate']> {
  const path = 'report.multivariate';
  const contributions = readList(fieldOf(m, 'featureContributions'), at(path, 'featureContributions'));
  return {
    rows: readCount(fieldOf(m, 'rows'), at(path, 'rows')),
    value: nullableNumber(fieldOf(m, 'value'), at(path, 'value')),
    samplingError: nullableNumber(fieldOf(m, 'samplingError'), at(path, 'samplingError')),
    lowerThreshold: readNumber(fieldOf(m, 'lowerThreshold'), at(path, 'lowerThreshold')),
    upperThreshold: readNumber(fieldOf(m, 'upperThreshold'), at(path, 'upperThreshold')),
    drifted: readBoolean(fieldOf(m, 'drifted'), at(path, 'drifted')),
    featureContributions: contributions.slice(0, MAX_CONTRIBUTIONS_READ).map((x, i) => {
      const p = at(at(path, 'featureContributions'), i);
      const c = readObject(x, p);
      return {
        feature: readString(fieldOf(c, 'feature'), at(p, 'feature')),
        share: readNumber(fieldOf(c, 'share'), at(p, 'share'), { min: 0, max: 1 }),
        meanSquaredResidual: readNumber(fieldOf(c, 'meanSquaredResidual'), at(p, 'meanSquaredResidual'), {
          min: 0,
        }),
      };
    }),
  };
}

/**
 * report.json's `attribution`: the verdict, the cost, what stopped or failed it, and the top of
 * the window's ranking. Every value of the rankings is checked (the names are data: they stay
 * text for the message to escape).
 */
function readAttribution(a: JsonObject): NonNullable<SlackReport['attribution']> {
  const path = 'report.attribution';
  const count = (key: string) => readCount(fieldOf(a, key), at(path, key));
  const text = (key: string) => {
    const v = fieldOf(a, key);
    return v === null ? null : readString(v, at(path, key));
  };
  const ranking = (key: string): Array<[string, number]> | null => {
    const v = fieldOf(a, key);
    if (v === null) return null;
    const p = at(path, key);
    return Object.entries(readObject(v, p)).map(([f, x]) => [f, readNumber(x, at(p, f))]);
  };
  const baseline = ranking('baseline') ?? [];
  const window = ranking('window');
  const baselineOf = new Map(baseline);
  const order = new Map(baseline.map(([f], i) => [f, i]));
  const top =
    window === null
      ? []
      : [...window]
          .sort(
            ([fa, a], [fb, b]) =>
              b - a ||
              (order.get(fa) ?? Number.MAX_SAFE_INTEGER) - (order.get(fb) ?? Number.MAX_SAFE_INTEGER),
          )
          .slice(0, MAX_RANKED_READ)
          .map(([feature, value]) => ({ feature, window: value, baseline: baselineOf.get(feature) ?? null }));
  return {
    endpoint: text('endpoint'),
    ndcg: nullableNumber(fieldOf(a, 'ndcg'), at(path, 'ndcg')),
    threshold: readNumber(fieldOf(a, 'threshold'), at(path, 'threshold')),
    drifted: readBoolean(fieldOf(a, 'drifted'), at(path, 'drifted')),
    windowRows: count('windowRows'),
    recordsExplained: count('recordsExplained'),
    modelRows: count('modelRows'),
    requests: count('requests'),
    stoppedEarly: text('stoppedEarly'),
    error: text('error'),
    top,
  };
}
