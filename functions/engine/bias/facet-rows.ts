/**
 * Which rows are the sensitive facet, which labels are positive and which predictions are, as
 * Clarify's `analysis_config.json` says (BIAS.md): rows in, {@link BiasCounts} out, one per
 * configured facet value, mergeable across files, threads and fan-out workers.
 *
 * Rows are read by column name through a function or a Map, never by indexing a plain object
 * with a name from the data (a column called `__proto__` is a column like any other). A row
 * whose label, score or group cannot be read is counted as rejected by reason, never thrown:
 * labels are written by people and scripts, and one bad row must not lose a window.
 */
import {
  at,
  fieldOf,
  type JsonObject,
  JsonShapeError,
  readCount,
  readList,
  readNumberOrOverflow,
  readObject,
} from '../../contracts/json-fields.ts';
// Labels, facets and groups are read as model quality reads classes: 1, "1" and "1.0" are one.
import { classKey, parseFiniteNumber } from '../capture/value-parse.ts';
import type { BiasConfig, ConfigValue, FacetConfig, FacetRule, LabelRule } from './analysis-config.ts';
import { configValueText } from './analysis-config.ts';
import { BiasCounts, type BiasCountsJson, readBiasCountsJson } from './bias-counts.ts';

export type { FacetRule } from './analysis-config.ts';

/** One row: a column's value by name (`undefined` when the row has no such column). */
export type BiasRow = ((name: string) => unknown) | ReadonlyMap<string, unknown>;

/** Rows given as lists of values in the order of `columns` (a CSV), read by name. */
export function rowsByColumn(columns: readonly string[]): (values: readonly unknown[]) => BiasRow {
  const index = new Map<string, number>();
  columns.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return (values) => (name) => {
    const i = index.get(name);
    return i === undefined ? undefined : values[i];
  };
}

/** A parsed JSON object as a row, read with `fieldOf` (own fields only). */
export function rowOfObject(o: JsonObject): BiasRow {
  return (name) => fieldOf(o, name);
}

function reader(row: BiasRow): (name: string) => unknown {
  return typeof row === 'function' ? row : (name) => row.get(name);
}

/** A configured value's class key (`True` in the file is the boolean true). */
function configKey(v: ConfigValue): string {
  return classKey(v) ?? String(v);
}

/** Empty: a missing column, `null`, or blank text. */
function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Why a row was not counted at all. */
export type BiasRowRejectReason =
  | 'label_missing'
  | 'label_not_numeric'
  | 'score_missing'
  | 'score_not_numeric'
  | 'group_missing';

/** A reader-facing explanation of each {@link BiasRowRejectReason}. */
export const BIAS_ROW_REJECT_REASON_TEXT: Readonly<Record<BiasRowRejectReason, string>> = {
  label_missing: 'the label is empty or absent',
  label_not_numeric: 'the label has a threshold but is not a number',
  score_missing: 'the score is empty or absent',
  score_not_numeric: 'the score is not a number',
  group_missing: 'the group variable is empty or absent',
};

const ROW_REJECT_REASONS = Object.keys(BIAS_ROW_REJECT_REASON_TEXT) as BiasRowRejectReason[];

/**
 * Python's text of a number in an interval Clarify writes: pandas prints an interval's bounds as
 * floats (`60.0`) when either bound is fractional, as integers otherwise.
 */
function boundText(x: number, float: boolean): string {
  return float && Number.isInteger(x) ? `${x}.0` : String(x);
}

/**
 * A threshold's group as the reference library writes it: breaks of the threshold and the data's
 * maximum (unless its absolute value is the threshold), sorted, as pandas intervals:
 * `(60, 89]`. Empty when there is no interval (no data, or the maximum is the threshold).
 */
export function clarifyIntervalText(threshold: number, max: number): string {
  if (!Number.isFinite(max) || Math.abs(max) === threshold) return '';
  const [lo, hi] = max > threshold ? [threshold, max] : [max, threshold];
  const float = !Number.isInteger(lo) || !Number.isInteger(hi);
  return `(${boundText(lo, float)}, ${boundText(hi, float)}]`;
}

/** How one facet tells sensitive rows: a class key set, or a threshold. */
interface FacetTest {
  facet: FacetRule;
  keys: Set<string> | null;
  threshold: number;
}

function facetTest(facet: FacetRule): FacetTest {
  return 'threshold' in facet
    ? { facet, keys: null, threshold: facet.threshold }
    : { facet, keys: new Set(facet.values.map(configKey)), threshold: Number.NaN };
}

/** Counts one row's facet into `counts`, or its rejection. */
function countFacetValue(
  test: FacetTest,
  counts: BiasCounts,
  raw: unknown,
  label: boolean,
  predicted: boolean,
  group: string | null,
): void {
  if (isEmpty(raw)) {
    counts.reject('facet_missing');
    return;
  }
  if (test.keys !== null) {
    const key = classKey(raw);
    if (key === null) {
      counts.reject('facet_missing');
      return;
    }
    counts.add(test.keys.has(key), label, predicted, group);
    return;
  }
  const x = parseFiniteNumber(raw);
  if (x === null) {
    counts.reject('facet_not_numeric');
    return;
  }
  counts.noteValue(x);
  counts.add(x > test.threshold, label, predicted, group);
}

/** What a row's label, score and group say, or why the row is not counted. */
type RowOutcome =
  | { label: boolean; predicted: boolean; group: string | null; labelValue: number | null }
  | BiasRowRejectReason;

/**
 * Whether a label is positive under the configuration's `label_values_or_threshold`: one of the
 * values (as class keys: 1, "1" and "1.0" are one), or above the threshold; any other value is
 * negative. `null` for a missing label, or a label that is not a number under a threshold. The
 * one rule for bias and, with a bias configuration, for model quality's binary labels.
 */
export function labelPositive(rule: LabelRule, raw: unknown): boolean | null {
  if (isEmpty(raw)) return null;
  if ('values' in rule) {
    const key = classKey(raw);
    return key === null ? null : rule.values.some((v) => configKey(v) === key);
  }
  const x = parseFiniteNumber(raw);
  return x === null ? null : x > rule.threshold;
}

/** The part of the configuration that reads a row's label, score and group. */
interface RowRules {
  label: string;
  positive: LabelRule;
  positiveKeys: Set<string> | null;
  score: string | null;
  probabilityThreshold: number;
  groupVariable: string | null;
}

function rowRules(
  label: string,
  positive: LabelRule,
  score: string | null,
  probabilityThreshold: number,
  groupVariable: string | null,
): RowRules {
  return {
    label,
    positive,
    positiveKeys: 'values' in positive ? new Set(positive.values.map(configKey)) : null,
    score,
    probabilityThreshold,
    groupVariable,
  };
}

/**
 * The label is positive when it is one of the configured values (as class keys) or above the
 * threshold, negative when it is any other non-empty value; the prediction is positive when the
 * score is at or above `probability_threshold`. Without a score column every prediction is
 * negative (only pre-training metrics are then reported).
 */
function readRow(rules: RowRules, get: (name: string) => unknown): RowOutcome {
  const rawLabel = get(rules.label);
  if (isEmpty(rawLabel)) return 'label_missing';
  let label: boolean;
  let labelValue: number | null = null;
  if (rules.positiveKeys !== null) {
    const key = classKey(rawLabel);
    if (key === null) return 'label_missing';
    label = rules.positiveKeys.has(key);
  } else {
    labelValue = parseFiniteNumber(rawLabel);
    if (labelValue === null) return 'label_not_numeric';
    label = labelValue > (rules.positive as { threshold: number }).threshold;
  }
  let predicted = false;
  if (rules.score !== null) {
    const rawScore = get(rules.score);
    if (isEmpty(rawScore)) return 'score_missing';
    const score = parseFiniteNumber(rawScore);
    if (score === null) return 'score_not_numeric';
    predicted = score >= rules.probabilityThreshold;
  }
  let group: string | null = null;
  if (rules.groupVariable !== null) {
    group = classKey(get(rules.groupVariable));
    if (group === null) return 'group_missing';
  }
  return { label, predicted, group, labelValue };
}

/** One configured facet value and its counts. */
export interface FacetTally {
  facet: FacetConfig;
  counts: BiasCounts;
}

/** {@link BiasTally} as JSON, for fan-out workers. */
export interface BiasTallyJson {
  rows: number;
  rejected: Partial<Record<BiasRowRejectReason, number>>;
  /** The largest numeric label counted (for a label threshold's interval); `null` without one. */
  labelMax: number | null;
  /** Per configured facet, in the configuration's order. */
  facets: BiasCountsJson[];
}

/**
 * A window's (or a part's) rows counted for every configured facet. Merge parts in any order:
 * the result is the whole's.
 */
export class BiasTally {
  /** Rows offered, counted or not. */
  rows = 0;
  /** Rows not counted at all, by reason (a facet's own rejections are in its counts). */
  readonly rejected = new Map<BiasRowRejectReason, number>();
  /** The largest numeric label counted (Clarify writes a label threshold as `(threshold, max]`). */
  labelMax = Number.NEGATIVE_INFINITY;
  readonly facets: readonly FacetTally[];
  private readonly rules: RowRules;
  private readonly tests: FacetTest[];

  /**
   * @param scoreColumn the model's score column; `null` when there is none (a training set
   *   without scores: pre-training metrics only).
   */
  constructor(
    readonly config: BiasConfig,
    readonly scoreColumn: string | null,
  ) {
    this.rules = rowRules(
      config.label,
      config.positive,
      scoreColumn,
      config.probabilityThreshold,
      config.groupVariable,
    );
    this.facets = config.facets.map((facet) => ({ facet, counts: new BiasCounts() }));
    this.tests = config.facets.map(facetTest);
  }

  /** Counts one row. */
  add(row: BiasRow): void {
    this.rows++;
    const get = reader(row);
    const outcome = readRow(this.rules, get);
    if (typeof outcome === 'string') {
      this.rejected.set(outcome, (this.rejected.get(outcome) ?? 0) + 1);
      return;
    }
    if (outcome.labelValue !== null && outcome.labelValue > this.labelMax) this.labelMax = outcome.labelValue;
    this.facets.forEach(({ facet, counts }, i) => {
      countFacetValue(
        this.tests[i]!,
        counts,
        get(facet.name),
        outcome.label,
        outcome.predicted,
        outcome.group,
      );
    });
  }

  /**
   * Counts one record whose label and prediction were read elsewhere (model quality's join: the
   * label by the configuration's rule, the prediction from the score at `probability_threshold`);
   * `get` gives its facet and group columns.
   */
  addJoined(label: boolean, predicted: boolean, get: (name: string) => unknown): void {
    this.rows++;
    let group: string | null = null;
    if (this.config.groupVariable !== null) {
      group = classKey(get(this.config.groupVariable));
      if (group === null) {
        this.rejected.set('group_missing', (this.rejected.get('group_missing') ?? 0) + 1);
        return;
      }
    }
    this.facets.forEach(({ facet, counts }, i) => {
      countFacetValue(this.tests[i]!, counts, get(facet.name), label, predicted, group);
    });
  }

  /** Rows counted (offered and not rejected as a whole). */
  get counted(): number {
    let n = this.rows;
    for (const r of this.rejected.values()) n -= r;
    return n;
  }

  /** The counts of a configured facet value (`value` as {@link FacetConfig.value}). */
  countsOf(facet: string, value: string): BiasCounts | undefined {
    return this.facets.find((f) => f.facet.name === facet && f.facet.value === value)?.counts;
  }

  /**
   * Clarify's `label_value_or_threshold`: the positive values joined by commas, or the
   * threshold's interval over the labels counted.
   */
  labelValueOrThreshold(): string {
    const p = this.config.positive;
    return 'threshold' in p
      ? clarifyIntervalText(p.threshold, this.labelMax)
      : p.values.map(configValueText).join(',');
  }

  /** Adds another part's counts (same configuration and score column). */
  merge(other: BiasTally): void {
    if (
      other.facets.length !== this.facets.length ||
      other.facets.some(
        (f, i) =>
          f.facet.name !== this.facets[i]!.facet.name || f.facet.value !== this.facets[i]!.facet.value,
      ) ||
      (other.scoreColumn === null) !== (this.scoreColumn === null)
    )
      throw new Error(
        'bias counts of different configurations cannot be merged; count every part with one analysis_config.json',
      );
    this.rows += other.rows;
    for (const [reason, n] of other.rejected) this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + n);
    if (other.labelMax > this.labelMax) this.labelMax = other.labelMax;
    this.facets.forEach((f, i) => {
      f.counts.merge(other.facets[i]!.counts);
    });
  }

  toJSON(): BiasTallyJson {
    const rejected: Partial<Record<BiasRowRejectReason, number>> = {};
    for (const reason of ROW_REJECT_REASONS) {
      const n = this.rejected.get(reason);
      if (n !== undefined) rejected[reason] = n;
    }
    return {
      rows: this.rows,
      rejected,
      labelMax: Number.isFinite(this.labelMax) ? this.labelMax : null,
      facets: this.facets.map((f) => f.counts.toJSON()),
    };
  }

  /** A tally sent as {@link BiasTallyJson} (by a worker counting with the same configuration). */
  static fromJSON(config: BiasConfig, scoreColumn: string | null, v: unknown, path: string): BiasTally {
    const o = readObject(v, path);
    const tally = new BiasTally(config, scoreColumn);
    tally.rows = readCount(fieldOf(o, 'rows'), at(path, 'rows'));
    const rejected = readObject(fieldOf(o, 'rejected'), at(path, 'rejected'));
    for (const reason of ROW_REJECT_REASONS) {
      const n = fieldOf(rejected, reason);
      if (n !== undefined) tally.rejected.set(reason, readCount(n, at(at(path, 'rejected'), reason)));
    }
    const labelMax = readNumberOrOverflow(fieldOf(o, 'labelMax'), at(path, 'labelMax'));
    tally.labelMax = Number.isNaN(labelMax) ? Number.NEGATIVE_INFINITY : labelMax;
    const facets = readList(fieldOf(o, 'facets'), at(path, 'facets'));
    if (facets.length !== tally.facets.length)
      throw new JsonShapeError(
        at(path, 'facets'),
        `has ${facets.length} facets but the configuration ${tally.facets.length}; count every part with one analysis_config.json`,
      );
    facets.forEach((f, i) => {
      tally.facets[i]!.counts.merge(readBiasCountsJson(f, at(at(path, 'facets'), i)));
    });
    return tally;
  }
}

/** A facet's `value_or_threshold` as Clarify writes it, from its counts. */
export function facetValueOrThreshold(facet: FacetRule, counts: BiasCounts): string {
  return 'threshold' in facet
    ? clarifyIntervalText(facet.threshold, counts.max)
    : facet.values.map(configValueText).join(',');
}
