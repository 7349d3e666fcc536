/**
 * The history tables: the one definition of their columns, partitions and object keys. The
 * writer (sinks/history-writer.ts) validates and serialises records with it, the stack (infra/)
 * builds the Glue tables and their partition projection from it, and the DuckDB test checks what
 * DuckDB reads against it. Add columns at the end; never rename one.
 *
 * ```
 * history/features/endpoint=E/schedule=S/dt=YYYY-MM-DD/HH.jsonl   one line per feature of a window
 * history/windows/endpoint=E/schedule=S/dt=YYYY-MM-DD/HH.jsonl    one line per window
 * ```
 *
 * JSON Lines, one object per line with every column (null when unknown), in column order;
 * doubles always with a decimal point or exponent (`1.0`), so type inference reads them as doubles;
 * timestamps as `yyyy-MM-dd HH:mm:ss.SSS` in UTC (what the Hive JSON SerDe's default
 * `java.sql.Timestamp.valueOf` reads, and what DuckDB infers as TIMESTAMP). `endpoint`,
 * `schedule` and `dt` are partition keys: they are in the path, not in the lines (a Glue table
 * may not hold a partition key as a column too).
 */

import { REPORT_METRICS } from './quality-metric-names.ts';

/** A column's type, in Glue's (Hive's) names. */
export type HistoryColumnType = 'string' | 'bigint' | 'double' | 'boolean' | 'timestamp';

/** One column of a history table. */
export interface HistoryColumn {
  /** The column's name: lower-case snake case (Athena lower-cases names anyway). */
  readonly name: string;
  readonly type: HistoryColumnType;
  /** What the value is; the Glue column's comment. */
  readonly description: string;
}

/** The tables: per feature of a window, and per window. */
export type HistoryTable = 'features' | 'windows';

const col = <const N extends string, const T extends HistoryColumnType>(
  name: N,
  type: T,
  description: string,
) => ({ name, type, description }) as const;

/** Columns both tables start with: which window, and what served it. */
const WINDOW_IDENTITY = [
  col('window_start', 'timestamp', 'Start of the window (UTC), inclusive.'),
  col('window_end', 'timestamp', 'End of the window (UTC), exclusive; null for an open window.'),
  col('variants', 'string', 'The production variants profiled together, sorted, comma-separated.'),
  col(
    'model_version',
    'string',
    'The model version: the one given to the run, else the highest Model Registry package version serving the window; null when unknown.',
  ),
  col(
    'complete',
    'boolean',
    'False when the run stopped part way through the window (its numbers cover part of it).',
  ),
] as const;

/** The per-feature table's columns, in order. */
export const FEATURE_COLUMNS = [
  ...WINDOW_IDENTITY,
  col('feature', 'string', 'The feature (column or JSON key) name, as captured.'),
  col('role', 'string', 'input or output.'),
  col('feature_type', 'string', 'numeric or categorical.'),
  col(
    'method',
    'string',
    'exact (both sides kept value by value) or sketch (a quantile sketch on either side).',
  ),
  col(
    'distance_metric',
    'string',
    'Which distance the drift decision uses: linfRobust, ks, linf or chiSquarePValue.',
  ),
  col('distance', 'double', 'The drift distance against the baseline; null when not compared.'),
  col('threshold', 'double', 'The distance at and above which the feature counts as drifted.'),
  col('drifted', 'boolean', 'The feature drifted in the window.'),
  col('monitored', 'boolean', 'The feature counts toward dataset drift (compared, comparison enabled).'),
  col(
    'p_value',
    'double',
    'p-value of the two-sample test (KS numeric, chi-squared categorical); null without metrics.',
  ),
  col('missing_share', 'double', 'Share of the values missing in the window, 0 to 1; null without values.'),
  col('present', 'bigint', 'Values present and well typed in the window.'),
  col('missing', 'bigint', 'Values missing in the window.'),
  col('type_mismatch', 'bigint', 'Values of the wrong type in the window.'),
  col('records', 'bigint', 'Records profiled in the window.'),
] as const satisfies readonly HistoryColumn[];

/** report.json's scalar quality metrics of every problem type, each once, in reading order. */
const QUALITY_METRIC_COLUMNS = [...new Set(Object.values(REPORT_METRICS).flat())];

/** The per-window table's columns, in order. */
export const WINDOW_COLUMNS: readonly HistoryColumn[] = [
  ...WINDOW_IDENTITY,
  col('generated_at', 'timestamp', 'When the report was written (UTC).'),
  col(
    'model_changed',
    'boolean',
    'The serving model changed inside the window (a deployment); null when not known.',
  ),
  col('records_total', 'bigint', 'Records read in the window (profiled + rejected).'),
  col('records_profiled', 'bigint', 'Records profiled.'),
  col('records_rejected', 'bigint', 'Records rejected (malformed, unreadable).'),
  col(
    'unknown_features',
    'bigint',
    'Features of the window the baseline does not have (no rows of their own).',
  ),
  col('monitored_features', 'bigint', 'Features compared with the baseline.'),
  col('drifted_features', 'bigint', 'Monitored features that drifted.'),
  col('drift_share', 'double', 'Share of monitored features that drifted, 0 to 1.'),
  col('drift_share_threshold', 'double', 'Share at and above which the dataset counts as drifted.'),
  col('dataset_drift', 'boolean', 'Dataset drift was detected.'),
  col('violations', 'bigint', 'Violations of the window (data quality, drift, multivariate, attribution).'),
  col('problem_type', 'string', 'The model-quality problem type; null without ground truth.'),
  col('labels_matched', 'bigint', 'Predictions joined to a label; null without ground truth.'),
  col('quality_violations', 'bigint', 'Model-quality constraint violations; null without ground truth.'),
  ...QUALITY_METRIC_COLUMNS.map((m) =>
    col(`quality_${m.toLowerCase()}`, 'double', `Model quality: ${m} (METRICS.md); null when not computed.`),
  ),
  col(
    'bias_matched',
    'bigint',
    'Joined predictions the bias metrics count; null without a bias configuration.',
  ),
  col('bias_violations', 'bigint', 'Significant bias violations; null without a bias result.'),
  col(
    'multivariate_error',
    'double',
    'Mean PCA reconstruction error of the window; null without a multivariate model.',
  ),
  col('multivariate_lower', 'double', 'Lower edge of the baseline band of the reconstruction error.'),
  col('multivariate_upper', 'double', 'Upper edge of the baseline band of the reconstruction error.'),
  col(
    'multivariate_drifted',
    'boolean',
    'The reconstruction error left the baseline band; null without a result.',
  ),
  col(
    'attribution_ndcg',
    'double',
    "nDCG of the window's attribution ranking against the baseline's; null when not explained.",
  ),
  col('attribution_threshold', 'double', 'nDCG below which feature attribution counts as drifted.'),
  col('attribution_drifted', 'boolean', 'Feature attribution drifted; null when not explained.'),
  col('attribution_error', 'string', 'What failed when the explanation failed; null otherwise.'),
];

/** The columns of each table. */
export const HISTORY_COLUMNS: Readonly<Record<HistoryTable, readonly HistoryColumn[]>> = {
  features: FEATURE_COLUMNS,
  windows: WINDOW_COLUMNS,
};

/** The partition keys, in path order; all strings in Glue. */
export const HISTORY_PARTITION_KEYS = [
  {
    name: 'endpoint',
    type: 'string',
    description: 'The SageMaker endpoint (percent-encoded, see historyPartitionValue).',
  },
  {
    name: 'schedule',
    type: 'string',
    description: 'The monitoring schedule name (percent-encoded likewise).',
  },
  { name: 'dt', type: 'string', description: "The window start's UTC date, yyyy-MM-dd." },
] as const satisfies readonly HistoryColumn[];

/** The folder each table's objects are under (below the reports prefix or the --history folder). */
export const HISTORY_PREFIX: Readonly<Record<HistoryTable, string>> = {
  features: 'history/features/',
  windows: 'history/windows/',
};

/** A value of a column's type, as the writer takes it (a timestamp as a Date or an ISO-8601 string). */
export interface HistoryValueOf {
  string: string;
  bigint: number;
  double: number;
  boolean: boolean;
  timestamp: Date | string;
}

/** A record of columns `C`: every column, `null` when unknown. */
export type HistoryRecordOf<C extends readonly HistoryColumn[]> = {
  [K in C[number] as K['name']]: HistoryValueOf[K['type']] | null;
};

/** A line of the per-feature table. */
export type FeatureHistoryRecord = HistoryRecordOf<typeof FEATURE_COLUMNS>;
/** A line of the per-window table, keyed by column name (its columns are listed in {@link WINDOW_COLUMNS}). */
export type WindowHistoryRecord = Readonly<Record<string, HistoryValueOf[HistoryColumnType] | null>>;

/** Glue's `Column` shape (`{Name, Type, Comment}`), for the table's columns. */
export interface GlueColumn {
  Name: string;
  Type: HistoryColumnType;
  Comment: string;
}

/** The Glue table's columns (partition keys excluded), in order. */
export function glueColumns(table: HistoryTable): GlueColumn[] {
  return HISTORY_COLUMNS[table].map((c) => ({ Name: c.name, Type: c.type, Comment: c.description }));
}

/** The Glue table's partition keys, in path order. */
export function gluePartitionKeys(): GlueColumn[] {
  return HISTORY_PARTITION_KEYS.map((c) => ({ Name: c.name, Type: c.type, Comment: c.description }));
}

/** Where the stack's history lives and what it projects. */
export interface HistoryProjectionInput {
  /** `s3://bucket/prefix` of the reports (no trailing slash): the history is under `history/`. */
  reportsUri: string;
  /** The deployed endpoints' names (the `endpoint` partition's values). */
  endpoints: readonly string[];
  /** The deployed schedule names (the `schedule` partition's values). */
  schedules: readonly string[];
  /** The first day projected, yyyy-MM-dd. @default "2024-01-01" */
  firstDay?: string;
}

/** The Glue SerDe and formats of the tables: text files of JSON lines, read by the Hive JSON SerDe. */
export const HISTORY_STORAGE = {
  inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe',
} as const;

/**
 * The table parameters of partition projection (Athena finds partitions from these; no
 * crawler, no MSCK REPAIR): `endpoint` and `schedule` as enums of the deployed names, `dt` as a
 * daily date range up to NOW, and the location template this module's keys follow.
 */
export function historyTableParameters(
  table: HistoryTable,
  input: HistoryProjectionInput,
): Record<string, string> {
  const enumValues = (what: string, values: readonly string[]) => {
    const encoded = [...new Set(values.map((v) => historyPartitionValue(v, what)))];
    if (encoded.length === 0) throw new Error(`history table ${table}: no ${what} to project`);
    return encoded.join(',');
  };
  return {
    classification: 'json',
    'projection.enabled': 'true',
    'projection.endpoint.type': 'enum',
    'projection.endpoint.values': enumValues('endpoint', input.endpoints),
    'projection.schedule.type': 'enum',
    'projection.schedule.values': enumValues('schedule', input.schedules),
    'projection.dt.type': 'date',
    'projection.dt.format': 'yyyy-MM-dd',
    'projection.dt.range': `${input.firstDay ?? '2024-01-01'},NOW`,
    'projection.dt.interval': '1',
    'projection.dt.interval.unit': 'DAYS',
    'storage.location.template': `${input.reportsUri.replace(/\/+$/, '')}/${HISTORY_PREFIX[table]}endpoint=\${endpoint}/schedule=\${schedule}/dt=\${dt}/`,
  };
}

/** A name that cannot be a partition value. */
export class HistoryNameError extends Error {
  override name = 'HistoryNameError';
}

/**
 * A partition value as the path holds it: letters, digits, `-`, `_` and `.` stay; every other
 * character is percent-encoded (its UTF-8 bytes as `%XX`), so `/`, `=`, `%`, spaces and non-ASCII
 * cannot break the `name=value/` path and Hive and DuckDB decode it back. SageMaker's names
 * (letters, digits, hyphens) are never changed. An empty name, or one with a lone surrogate (no
 * UTF-8 form), is refused.
 */
export function historyPartitionValue(value: string, what: string): string {
  if (value === '') throw new HistoryNameError(`history: the ${what} name is empty; give a name`);
  let out = '';
  for (const ch of value) {
    if (/^[A-Za-z0-9_.-]$/.test(ch)) {
      out += ch;
      continue;
    }
    const c = ch.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff)
      throw new HistoryNameError(
        `history: the ${what} name ${JSON.stringify(value)} has a lone surrogate (not text); rename it`,
      );
    for (const b of utf8(c)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function utf8(c: number): number[] {
  if (c < 0x80) return [c];
  if (c < 0x800) return [0xc0 | (c >> 6), 0x80 | (c & 0x3f)];
  if (c < 0x10000) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
  return [0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
}

/**
 * `history/TABLE/endpoint=E/schedule=S/`: every object of one endpoint's schedule in `table` (what
 * the monitor may write, for its grant).
 */
export function historyFolder(table: HistoryTable, endpoint: string, schedule: string): string {
  return (
    `${HISTORY_PREFIX[table]}endpoint=${historyPartitionValue(endpoint, 'endpoint')}` +
    `/schedule=${historyPartitionValue(schedule, 'schedule')}/`
  );
}

/** The key of a window's history object in `table`: `history/TABLE/endpoint=E/schedule=S/dt=YYYY-MM-DD/HH.jsonl`. */
export function historyKey(
  table: HistoryTable,
  endpoint: string,
  schedule: string,
  windowStart: Date,
): string {
  if (Number.isNaN(windowStart.getTime()))
    throw new HistoryNameError('history: the window start is not a time');
  const iso = windowStart.toISOString();
  return `${historyFolder(table, endpoint, schedule)}dt=${iso.slice(0, 10)}/${iso.slice(11, 13)}.jsonl`;
}

/** A record that does not fit its table: a programming error, named precisely. */
export class HistoryRecordError extends Error {
  override name = 'HistoryRecordError';
}

/** A timestamp as the lines hold it: `yyyy-MM-dd HH:mm:ss.SSS`, UTC. */
export function historyTimestamp(value: Date | string): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new HistoryRecordError(`not a time: ${JSON.stringify(String(value))}`);
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/**
 * One JSON line of `table`: every column in order, each value checked against its type. A
 * double that JSON cannot hold (NaN, infinities) is written as null; a bigint must be a safe
 * integer; a key the table does not have, or a value of another type, throws.
 */
export function historyLine(table: HistoryTable, record: Readonly<Record<string, unknown>>): string {
  const columns = HISTORY_COLUMNS[table];
  for (const key of Object.keys(record))
    if (!columns.some((c) => c.name === key))
      throw new HistoryRecordError(
        `history ${table}: no column ${JSON.stringify(key)}; add it to the schema first`,
      );
  const fields = columns.map((c) => {
    const v = checkedValue(table, c, Object.hasOwn(record, c.name) ? (record[c.name] ?? null) : null);
    return `${JSON.stringify(c.name)}:${c.type === 'double' && v !== null ? doubleText(v as number) : JSON.stringify(v)}`;
  });
  return `{${fields.join(',')}}`;
}

/**
 * A double as JSON, with a decimal point when it is integral (`1.0`, not `1`): readers that
 * infer types from the values (DuckDB's read_json) then see a double, whatever the window held.
 */
function doubleText(x: number): string {
  const s = JSON.stringify(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function checkedValue(table: HistoryTable, c: HistoryColumn, v: unknown): string | number | boolean | null {
  if (v === null) return null;
  const wrong = () =>
    new HistoryRecordError(`history ${table}.${c.name}: ${JSON.stringify(String(v))} is not a ${c.type}`);
  switch (c.type) {
    case 'string':
      if (typeof v !== 'string') throw wrong();
      return v;
    case 'bigint':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw wrong();
      return v;
    case 'double':
      if (typeof v !== 'number') throw wrong();
      return Number.isFinite(v) ? v : null;
    case 'boolean':
      if (typeof v !== 'boolean') throw wrong();
      return v;
    case 'timestamp':
      if (!(v instanceof Date) && typeof v !== 'string') throw wrong();
      return historyTimestamp(v);
  }
}

/** Records as a JSON Lines file (each line ends with a line feed). */
export function historyJsonLines(
  table: HistoryTable,
  records: readonly Readonly<Record<string, unknown>>[],
): string {
  return records.map((r) => `${historyLine(table, r)}\n`).join('');
}
