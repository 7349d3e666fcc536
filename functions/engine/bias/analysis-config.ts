/**
 * SageMaker Clarify's `analysis_config.json`, the part the bias monitor reads (BIAS.md), checked
 * all at once: every problem is collected and reported together, each naming its field (a JSON
 * path such as `facet[1].value_or_threshold`) and the fix. The rest of Clarify's file (dataset
 * type, SHAP, predictor, report) is left alone, so a configuration written for Clarify is read
 * as it is.
 *
 * What Clarify's documentation says (SageMaker Developer Guide, "Analysis configuration files",
 * clarify-processing-job-configure-analysis): `label` is a column name, or an index for CSV;
 * `label_values_or_threshold` is a "list of label values or threshold to indicate positive
 * outcome"; a facet's `value_or_threshold` is a "list of values or threshold", and "if the facet
 * column is numeric, this threshold value is applied as the lower bound to select the sensitive
 * group"; `probability_threshold` defaults to 0.5; under `methods`, a `pre_training_bias` or
 * `post_training_bias` section that is omitted "is not computed". The reference library
 * (smclarify, `report.py`) writes a threshold's group as the interval `(threshold, max]`.
 *
 * The rules, by name (each is a doc comment below, and each problem message names its field):
 * CONFIG_OBJECT, HEADERS, LABEL, LABEL_VALUES, FACETS, FACET_NAME, FACET_VALUES, FACET_DUPLICATE,
 * GROUP_VARIABLE, PROBABILITY_THRESHOLD, METHODS, VERSION; against the data (see
 * {@link checkBiasConfigAgainstData}): LABEL_COLUMN, LABEL_THRESHOLD_KIND, FACET_COLUMN,
 * FACET_THRESHOLD_KIND, GROUP_COLUMN, HEADERS_MATCH.
 */
import { fieldOf, type JsonObject, shown } from '../../contracts/json-fields.ts';
import {
  type BiasMetricName,
  POST_TRAINING_METRICS,
  type PostTrainingMetricName,
  PRE_TRAINING_METRICS,
  type PreTrainingMetricName,
} from './bias-metrics.ts';

/** Clarify's default `probability_threshold`. */
export const DEFAULT_PROBABILITY_THRESHOLD = 0.5;

/** A value the configuration names: a label value or a facet's sensitive value. */
export type ConfigValue = string | number | boolean;

/**
 * Which labels are positive: those among `values` (compared as class keys, so 1, "1" and "1.0"
 * are one class), or those above `threshold`.
 */
export type LabelRule = { values: readonly ConfigValue[] } | { threshold: number };

/**
 * One facet: its column and its sensitive group, named values (compared as class keys) or the
 * values above a threshold.
 */
export type FacetRule =
  | { name: string; values: readonly ConfigValue[] }
  | { name: string; threshold: number };

/** A facet of the configuration, with its configured value as text. */
export type FacetConfig = FacetRule & {
  /**
   * The configured value as SageMaker's violations (`facet_value`) and CloudWatch's `FacetValue`
   * write it: the values joined by commas, or the threshold (`"60"`). Baseline and window are
   * matched on it, never on the interval text, which embeds the data's maximum.
   */
  value: string;
};

/** The bias part of `analysis_config.json`, checked. */
export interface BiasConfig {
  /** `version`, when given. */
  version: string | null;
  /** The label column (an index in the file is resolved through `headers`). */
  label: string;
  /** `label_values_or_threshold`. */
  positive: LabelRule;
  /** `facet`, in the file's order; each is reported on its own. */
  facets: readonly FacetConfig[];
  /** `group_variable`: the column the conditional metrics (CDDL, CDDPL) condition on. */
  groupVariable: string | null;
  /** `probability_threshold`: a prediction is positive when its score is at or above it. */
  probabilityThreshold: number;
  /** The metrics to compute per stage (empty: the stage is not computed). */
  methods: {
    preTraining: readonly PreTrainingMetricName[];
    postTraining: readonly PostTrainingMetricName[];
  };
  /** `headers`, when given: the data's columns, in order. */
  headers: readonly string[] | null;
}

/** `analysis_config.json` cannot be used; {@link problems} lists every mistake, each with its fix. */
export class BiasConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly file = 'analysis_config.json',
  ) {
    super(
      `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'BiasConfigError';
  }
}

/** A configured value as Clarify writes it (Python's `str`): `True` for true, `60` for 60. */
export function configValueText(v: ConfigValue): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return String(v);
}

/** A facet's or label's configured value as text: values joined by commas, or the threshold. */
export function ruleText(rule: LabelRule | FacetRule): string {
  return 'threshold' in rule ? configValueText(rule.threshold) : rule.values.map(configValueText).join(',');
}

const FT = 'FT';
const ALL = 'all';

/** Collects problems as `path: text`. */
class Problems {
  readonly list: string[] = [];
  add(path: string, text: string): void {
    this.list.push(`${path}: ${text}`);
  }
}

/** A label or facet value: non-empty text, a finite number or true/false; `undefined` otherwise. */
function scalar(v: unknown): ConfigValue | undefined {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v;
  return undefined;
}

/**
 * HEADERS: optional; a list of distinct, non-empty column names. Needed only to resolve a
 * column given by index.
 */
function readHeaders(o: JsonObject, problems: Problems): string[] | null {
  const v = fieldOf(o, 'headers');
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v) || v.length === 0) {
    problems.add('headers', `must be a non-empty list of column names (got ${shown(v)}), or be left out`);
    return null;
  }
  const seen = new Set<string>();
  let ok = true;
  v.forEach((h, i) => {
    if (typeof h !== 'string' || h === '') {
      problems.add(`headers[${i}]`, `must be a column name (got ${shown(h)})`);
      ok = false;
    } else if (seen.has(h)) {
      problems.add(`headers[${i}]`, `repeats the column ${shown(h)}; list each column once`);
      ok = false;
    } else seen.add(h);
  });
  return ok ? (v as string[]) : null;
}

/**
 * A column given by name, or by index through `headers` (Clarify takes an index for CSV data;
 * driftwatch reads rows by name, so an index needs the headers to say which column it is).
 */
function readColumn(
  v: unknown,
  path: string,
  headers: readonly string[] | null,
  headersGiven: boolean,
  problems: Problems,
  example: string,
): string | null {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    if (headers !== null) {
      const name = headers[v];
      if (name !== undefined) return name;
      problems.add(
        path,
        `is column index ${v}, past the ${headers.length} columns of "headers"; give the column's name`,
      );
      return null;
    }
    // A broken "headers" is reported on its own; do not repeat it here.
    if (!headersGiven)
      problems.add(
        path,
        `is column index ${v}; driftwatch reads columns by name: give the column's name (e.g. "${example}"), or add "headers" listing the columns in order so the index can be resolved`,
      );
    return null;
  }
  problems.add(path, `must be a column name (e.g. "${example}"), got ${shown(v)}`);
  return null;
}

/**
 * LABEL_VALUES: `label_values_or_threshold`, required (bias metrics need a positive outcome).
 * A non-empty list of values (text, numbers, true/false): a label is positive when it is one of
 * them, compared as class keys. A bare number is a threshold: labels above it are positive
 * (Clarify's "list of label values or threshold"). A one-element list is a value, not a
 * threshold: for 0/1 labels `[1]` means the class 1, which is what Clarify does for such columns
 * (its own guess from the data's distinct values could read `[0.5]` on a float label as a
 * threshold; driftwatch does not guess from data, so the file means the same every window).
 */
function readLabelRule(v: unknown, problems: Problems): LabelRule | null {
  const path = 'label_values_or_threshold';
  const fix = 'e.g. [1], ["churn"], or a number such as 0.5 for labels above a threshold';
  if (v === undefined || v === null) {
    problems.add(path, `is missing; say which labels are positive, ${fix}`);
    return null;
  }
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return { threshold: v };
    problems.add(path, `must be a finite number as a threshold (got ${shown(v)})`);
    return null;
  }
  if (!Array.isArray(v) || v.length === 0) {
    problems.add(
      path,
      `must be a non-empty list of label values or one number as a threshold (got ${shown(v)}); ${fix}`,
    );
    return null;
  }
  const values = readScalars(v, path, 'a label value', problems);
  return values === null ? null : { values };
}

/** Each item of a list as a configuration value (text, a number or true/false); `null` when any is not. */
function readScalars(
  v: readonly unknown[],
  path: string,
  what: string,
  problems: Problems,
): ConfigValue[] | null {
  const values: ConfigValue[] = [];
  let ok = true;
  v.forEach((x, i) => {
    const s = scalar(x);
    if (s === undefined) {
      problems.add(`${path}[${i}]`, `must be ${what}: text, a number or true/false (got ${shown(x)})`);
      ok = false;
    } else values.push(s);
  });
  return ok ? values : null;
}

/**
 * FACET_VALUES: a facet's `value_or_threshold`, required. driftwatch requires it (Clarify,
 * without it, reports every distinct value of the column: the data would then decide how many
 * metrics are published). A list holding exactly one number is a threshold: the sensitive group
 * is the values above it, written `(threshold, max]` (FACET_THRESHOLD_KIND: the column must be
 * numeric). Any other non-empty list names the sensitive values, compared as class keys; to name
 * one value of a numeric column, such as 1 in a 0/1 column, write it as text: `["1"]`.
 */
function readFacetRule(name: string, v: unknown, path: string, problems: Problems): FacetRule | null {
  const fix = 'e.g. ["south"] for sensitive values, or [60] for the values above 60';
  if (v === undefined || v === null) {
    problems.add(
      path,
      `is missing; driftwatch needs the sensitive group so the metrics published are fixed by the configuration, ${fix}`,
    );
    return null;
  }
  if (!Array.isArray(v) || v.length === 0) {
    problems.add(
      path,
      `must be a non-empty list of sensitive values, or a list of one number as a threshold (got ${shown(v)}); ${fix}`,
    );
    return null;
  }
  const values = readScalars(v, path, 'a facet value', problems);
  if (values === null) return null;
  if (values.length === 1 && typeof values[0] === 'number') return { name, threshold: values[0] };
  return { name, values };
}

/**
 * FACETS: `facet`, required: a non-empty list of `{name_or_index, value_or_threshold}`.
 * FACET_NAME: `name_or_index` is a column name (or an index resolved through `headers`), and not
 * the label column. FACET_DUPLICATE: a column and configured value listed once (the same column
 * with other values is another facet entry, as in Clarify's report).
 */
function readFacets(
  v: unknown,
  headers: readonly string[] | null,
  headersGiven: boolean,
  label: string | null,
  problems: Problems,
): FacetConfig[] | null {
  if (v === undefined || v === null) {
    problems.add(
      'facet',
      'is missing; name at least one sensitive column, e.g. [{"name_or_index": "region", "value_or_threshold": ["south"]}]',
    );
    return null;
  }
  if (!Array.isArray(v) || v.length === 0) {
    problems.add(
      'facet',
      `must be a non-empty list of {"name_or_index", "value_or_threshold"} (got ${shown(v)})`,
    );
    return null;
  }
  const facets: FacetConfig[] = [];
  const seen = new Set<string>();
  let ok = true;
  v.forEach((item, i) => {
    const path = `facet[${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.add(path, `must be an object {"name_or_index", "value_or_threshold"} (got ${shown(item)})`);
      ok = false;
      return;
    }
    const o = item as JsonObject;
    const nameOrIndex = fieldOf(o, 'name_or_index');
    let name: string | null = null;
    if (nameOrIndex === undefined) {
      problems.add(`${path}.name_or_index`, 'is missing; name the sensitive column, e.g. "region"');
    } else {
      name = readColumn(nameOrIndex, `${path}.name_or_index`, headers, headersGiven, problems, 'region');
      if (name !== null && name === label) {
        problems.add(
          `${path}.name_or_index`,
          `is the label column ${shown(name)}; a facet must be another column`,
        );
        name = null;
      }
    }
    const rule = readFacetRule(
      name ?? '',
      fieldOf(o, 'value_or_threshold'),
      `${path}.value_or_threshold`,
      problems,
    );
    if (name === null || rule === null) {
      ok = false;
      return;
    }
    const value = ruleText(rule);
    const key = JSON.stringify([name, 'threshold' in rule, value]);
    if (seen.has(key)) {
      problems.add(path, `repeats facet ${shown(name)} with ${value}; list each column and value once`);
      ok = false;
      return;
    }
    seen.add(key);
    facets.push({ ...rule, value });
  });
  return ok ? facets : null;
}

/**
 * METHODS: `methods` must hold a `pre_training_bias` or a `post_training_bias` section (an
 * omitted one is not computed, as in Clarify), each `{"methods": "all"}` or a non-empty list of
 * the stage's short names. `"all"` means every metric of BIAS.md for the stage except FT (the
 * flip test needs a nearest-neighbour model of the data; driftwatch does not compute it, so
 * naming it is an error). Names are Clarify's, spelled exactly; an unknown name is an error.
 */
function readMethods(
  o: JsonObject,
  problems: Problems,
): { preTraining: PreTrainingMetricName[]; postTraining: PostTrainingMetricName[] } | null {
  const m = fieldOf(o, 'methods');
  const example = '{"pre_training_bias": {"methods": "all"}, "post_training_bias": {"methods": "all"}}';
  if (m === undefined || m === null) {
    problems.add('methods', `is missing; say which metrics to compute, e.g. ${example}`);
    return null;
  }
  if (typeof m !== 'object' || Array.isArray(m)) {
    problems.add('methods', `must be an object such as ${example} (got ${shown(m)})`);
    return null;
  }
  const sections = [
    {
      key: 'pre_training_bias',
      names: PRE_TRAINING_METRICS,
      other: POST_TRAINING_METRICS,
      otherKey: 'post_training_bias',
    },
    {
      key: 'post_training_bias',
      names: POST_TRAINING_METRICS,
      other: PRE_TRAINING_METRICS,
      otherKey: 'pre_training_bias',
    },
  ] as const;
  const out: BiasMetricName[][] = [[], []];
  let ok = true;
  let present = 0;
  sections.forEach((section, s) => {
    const sec = fieldOf(m as JsonObject, section.key);
    if (sec === undefined || sec === null) return;
    present++;
    const path = `methods.${section.key}`;
    if (typeof sec !== 'object' || Array.isArray(sec)) {
      problems.add(path, `must be an object {"methods": "all"} (got ${shown(sec)})`);
      ok = false;
      return;
    }
    const names = fieldOf(sec as JsonObject, 'methods');
    const namesPath = `${path}.methods`;
    const valid = `${section.names.join(', ')}`;
    if (names === ALL) {
      out[s] = [...section.names];
      return;
    }
    if (!Array.isArray(names) || names.length === 0) {
      problems.add(
        namesPath,
        names === undefined
          ? `is missing; give "all" or a list of metrics (${valid})`
          : `must be "all" or a non-empty list of metrics (${valid}); got ${shown(names)}`,
      );
      ok = false;
      return;
    }
    const chosen = new Set<BiasMetricName>();
    names.forEach((n, i) => {
      const where = `${namesPath}[${i}]`;
      if (n === ALL) {
        for (const x of section.names) chosen.add(x);
      } else if (typeof n !== 'string') {
        problems.add(where, `must be a metric's short name (${valid}); got ${shown(n)}`);
        ok = false;
      } else if ((section.names as readonly string[]).includes(n)) {
        chosen.add(n as BiasMetricName);
      } else if (n === FT) {
        problems.add(
          where,
          'FT (the flip test) needs a nearest-neighbour model of the data and is not computed by driftwatch; remove it',
        );
        ok = false;
      } else if ((section.other as readonly string[]).includes(n)) {
        problems.add(
          where,
          `${n} is a ${section.otherKey.replace(/_bias$/, '').replace('_', '-')} metric; list it under methods.${section.otherKey}.methods`,
        );
        ok = false;
      } else {
        const cased = section.names.find((x) => x.toLowerCase() === n.toLowerCase());
        problems.add(
          where,
          cased !== undefined
            ? `is ${shown(n)}; metric names are spelled exactly: use "${cased}"`
            : `${shown(n)} is not a ${section.key.replace(/_bias$/, '').replace('_', '-')} metric; use "all" or some of ${valid}`,
        );
        ok = false;
      }
    });
    out[s] = [...chosen];
  });
  if (present === 0) {
    problems.add(
      'methods',
      `names neither pre_training_bias nor post_training_bias, so nothing would be computed; e.g. ${example}`,
    );
    return null;
  }
  return ok
    ? { preTraining: out[0] as PreTrainingMetricName[], postTraining: out[1] as PostTrainingMetricName[] }
    : null;
}

/**
 * Checks already-parsed `analysis_config.json` and returns its bias configuration; throws
 * {@link BiasConfigError} listing every problem at once.
 *
 * CONFIG_OBJECT: the file is a JSON object. LABEL: `label` is the label column's name (or an
 * index resolved through `headers`). GROUP_VARIABLE: optional, a column (name or resolved index)
 * other than the label. PROBABILITY_THRESHOLD: optional finite number, 0.5 by default.
 * VERSION: optional text.
 */
export function parseBiasConfig(json: unknown, file = 'analysis_config.json'): BiasConfig {
  const problems = new Problems();
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new BiasConfigError(
      [`(the file): must be a JSON object such as {"label": ..., "facet": [...]} (got ${shown(json)})`],
      file,
    );
  const o = json as JsonObject;

  const versionValue = fieldOf(o, 'version');
  let version: string | null = null;
  if (typeof versionValue === 'string') version = versionValue;
  else if (versionValue !== undefined && versionValue !== null)
    problems.add('version', `must be text such as "1.0" (got ${shown(versionValue)}), or be left out`);

  const headersGiven = fieldOf(o, 'headers') !== undefined && fieldOf(o, 'headers') !== null;
  const headers = readHeaders(o, problems);

  const labelValue = fieldOf(o, 'label');
  let label: string | null = null;
  if (labelValue === undefined || labelValue === null)
    problems.add('label', 'is missing; name the label (ground truth) column, e.g. "label": "approved"');
  else label = readColumn(labelValue, 'label', headers, headersGiven, problems, 'approved');

  const positive = readLabelRule(fieldOf(o, 'label_values_or_threshold'), problems);
  const facets = readFacets(fieldOf(o, 'facet'), headers, headersGiven, label, problems);

  const groupValue = fieldOf(o, 'group_variable');
  let groupVariable: string | null = null;
  if (groupValue !== undefined && groupValue !== null) {
    groupVariable = readColumn(groupValue, 'group_variable', headers, headersGiven, problems, 'group');
    if (groupVariable !== null && groupVariable === label) {
      problems.add(
        'group_variable',
        `is the label column ${shown(label)}; name another column, or leave it out`,
      );
      groupVariable = null;
    }
  }

  const thresholdValue = fieldOf(o, 'probability_threshold');
  let probabilityThreshold = DEFAULT_PROBABILITY_THRESHOLD;
  if (thresholdValue !== undefined && thresholdValue !== null) {
    if (typeof thresholdValue === 'number' && Number.isFinite(thresholdValue))
      probabilityThreshold = thresholdValue;
    else
      problems.add(
        'probability_threshold',
        `must be a finite number such as 0.5 (got ${shown(thresholdValue)}), or be left out for Clarify's 0.5`,
      );
  }

  const methods = readMethods(o, problems);

  if (problems.list.length > 0 || label === null || positive === null || facets === null || methods === null)
    throw new BiasConfigError(problems.list, file);
  return { version, label, positive, facets, groupVariable, probabilityThreshold, methods, headers };
}

/** A column of the data, as the profile knows it. */
export interface DataColumn {
  name: string;
  kind: 'numeric' | 'categorical';
}

function listed(names: readonly string[]): string {
  const shownNames = names.slice(0, 12).map((n) => JSON.stringify(n));
  return `${shownNames.join(', ')}${names.length > 12 ? `, ... (${names.length} in all)` : ''}`;
}

/**
 * The configuration against the data's columns and their kinds; every problem, or none.
 *
 * LABEL_COLUMN: the label column is in the data. LABEL_THRESHOLD_KIND: a threshold on the label
 * needs a numeric label column. FACET_COLUMN: each facet's column is in the data.
 * FACET_THRESHOLD_KIND: a facet with a threshold (one number) needs a numeric column; a
 * categorical column lists its sensitive values. GROUP_COLUMN: the group variable is in the
 * data. HEADERS_MATCH: `headers`, when given, are the data's columns in the data's order.
 */
export function checkBiasConfigAgainstData(config: BiasConfig, columns: readonly DataColumn[]): string[] {
  const problems = new Problems();
  const kinds = new Map(columns.map((c) => [c.name, c.kind]));
  const names = columns.map((c) => c.name);
  const missing = (path: string, name: string, what: string) =>
    problems.add(path, `column ${shown(name)} is not in the data (columns: ${listed(names)}); ${what}`);

  const labelKind = kinds.get(config.label);
  if (labelKind === undefined) missing('label', config.label, 'name the label column as the data spells it');
  else if ('threshold' in config.positive && labelKind !== 'numeric')
    problems.add(
      'label_values_or_threshold',
      `is the threshold ${config.positive.threshold}, but the label column ${shown(config.label)} is categorical; list the positive label values instead, e.g. ["yes"]`,
    );

  config.facets.forEach((f, i) => {
    const kind = kinds.get(f.name);
    if (kind === undefined) missing(`facet[${i}].name_or_index`, f.name, 'name a column of the data');
    else if ('threshold' in f && kind !== 'numeric')
      problems.add(
        `facet[${i}].value_or_threshold`,
        `is [${f.threshold}], a threshold, but column ${shown(f.name)} is categorical; list its sensitive values instead (as text to name the value itself: ["${f.threshold}"])`,
      );
  });

  if (config.groupVariable !== null && !kinds.has(config.groupVariable))
    missing('group_variable', config.groupVariable, 'name a column of the data, or leave group_variable out');

  if (config.headers !== null) {
    const headerSet = new Set(config.headers);
    const absent = config.headers.filter((h) => !kinds.has(h));
    const extra = names.filter((n) => !headerSet.has(n));
    if (absent.length > 0 || extra.length > 0) {
      const parts = [
        absent.length > 0 ? `lists ${listed(absent)}, not in the data` : '',
        extra.length > 0 ? `lacks ${listed(extra)}, in the data` : '',
      ].filter(Boolean);
      problems.add('headers', `${parts.join(' and ')}; make "headers" the data's columns, or leave it out`);
    } else if (config.headers.some((h, i) => h !== names[i]))
      problems.add(
        'headers',
        `names the data's columns in another order (the data: ${listed(names)}); list them in the data's order`,
      );
  }
  return problems.list;
}
