/**
 * A window's (or a baseline's) SHAP attributions, start to end: choose the records, plan each
 * record's coalitions, score the coalition rows with the model in bounded batches (several
 * records' rows packed together), solve each record's Shapley values as its last row comes back,
 * and aggregate them per feature.
 *
 * Nothing the model does is thrown out of {@link explainRecords}: a failed batch (endpoint
 * refused, throttled, timed out) ends the run with `error` set to the failure's message, and the
 * records finished before it are kept, as they are when the deadline passes. Mistakes of the
 * caller (rows of the wrong width, no background) are thrown as `RangeError`s.
 */
import type { BatchModel, ModelRow, ModelValue } from './batch-model.ts';
import {
  type CoalitionPlan,
  EXACT_FORCED_MAX_FEATURES,
  EXACT_MAX_FEATURES,
  exactPlan,
  type ShapMethod,
} from './coalition-plan.ts';
import { type AggMethod, DEFAULT_AGG_METHOD, globalAttributions } from './global-attribution.ts';
import { defaultKernelSamples, kernelPlan } from './kernel-shap.ts';
import { DEFAULT_ATTRIBUTION_SEED, explanationOrder, seededKeyHash } from './record-selection.ts';

/** Records explained unless told otherwise (`--explain-records`). */
export const DEFAULT_EXPLAIN_RECORDS = 100;
/** Model rows a run may score unless told otherwise. */
export const DEFAULT_MAX_MODEL_ROWS = 200_000;
/** Rows per `predict` call: bounds the memory of a batch; the model may split it further. */
export const DEFAULT_BATCH_ROWS = 4096;

/** A record to explain: its key (for the seeded selection) and its values in feature order. */
export interface KeyedRow {
  key: string;
  values: ModelRow;
}

export interface ExplainInput {
  /** The model's input features, in column order. */
  features: readonly string[];
  /** The candidate records. */
  rows: readonly KeyedRow[];
  /** One or more background rows (several: a coalition's value is the mean over them). */
  background: readonly ModelRow[];
  model: BatchModel;
  /** How many records to explain at most. @default 100 */
  records?: number;
  /** Model rows the run may score at most, v(∅)'s included. @default 200_000 */
  maxRows?: number;
  /** Rows per `predict` call at most. @default 4096 */
  batchRows?: number;
  /** Asked before every `predict` call; `true` stops the run there. @default never */
  deadline?: () => boolean;
  /** `auto`: exact up to 12 features, Kernel SHAP above. @default 'auto' */
  method?: 'auto' | ShapMethod;
  /** Kernel SHAP's coalitions per record. @default 2d + 2048 */
  numSamples?: number;
  /** Seed of the record selection and of Kernel SHAP's sampling. @default 20261206 */
  seed?: number;
  /** @default 'mean_abs' */
  aggMethod?: AggMethod;
}

/** One record's attributions. */
export interface ExplainedRecord {
  /** Its position in `rows`. */
  index: number;
  key: string;
  /** phi_i in feature order; they add up to `prediction - expectedValue`. */
  attributions: Float64Array;
  /** The model's output for the record (v of the full coalition). */
  prediction: number;
}

export interface ExplainResult {
  method: ShapMethod;
  seed: number;
  /** Kernel SHAP's coalitions per record (before the full one); `null` for exact values. */
  numSamples: number | null;
  aggMethod: AggMethod;
  /**
   * Model rows per explained record, as budgeted: coalitions (the empty one aside) × background
   * rows. Kernel SHAP may use fewer when its draws repeat coalitions; `modelRows` is what was sent.
   */
  rowsPerRecord: number;
  /** The explained records, in `rows` order. */
  records: ExplainedRecord[];
  /** Global attribution per feature (`aggMethod`), `null` when no record was explained. */
  global: number[] | null;
  /** v(∅): the model's mean over the background rows; `null` when it could not be scored. */
  expectedValue: number | null;
  /** How many records the run set out to explain, after `records` and `maxRows`. */
  recordsPlanned: number;
  recordsExplained: number;
  /** What kept `recordsPlanned` below the number of rows, when something did. */
  limitedBy: 'records' | 'maxRows' | null;
  /** Why fewer records than rows were planned, in words; `null` when all were. */
  reason: string | null;
  /** Rows given to the model. */
  modelRows: number;
  /** `predict` calls made. */
  predictCalls: number;
  /** Requests the model made (its `usage()`), or `predictCalls` when it does not say. */
  requests: number;
  /** Why the run stopped before its plan was done (the deadline), or `null`. */
  stoppedEarly: string | null;
  /** What failed (the model's message, never row values), or `null`. */
  error: string | null;
}

interface InFlight {
  index: number;
  plan: CoalitionPlan;
  values: Float64Array;
  rowsLeft: number;
}

function resolveMethod(method: ExplainInput['method'], d: number): ShapMethod {
  if (method === 'exact' && d > EXACT_FORCED_MAX_FEATURES)
    throw new RangeError(
      `exact Shapley values of ${d} features would need 2^${d} coalitions per record; use Kernel SHAP (at most ${EXACT_FORCED_MAX_FEATURES} features for exact)`,
    );
  if (method === 'exact' || method === 'kernel') return method;
  return d <= EXACT_MAX_FEATURES ? 'exact' : 'kernel';
}

function checkWidth(rows: readonly ModelRow[], d: number, what: string): void {
  rows.forEach((r, i) => {
    if (r.length !== d) throw new RangeError(`${what} ${i} has ${r.length} values for ${d} features`);
  });
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`${name} must be a whole number of 1 or more (got ${n})`);
  return n;
}

/** The counts, as a run's report states them: 4095 → "4,095". */
const count = (n: number) => n.toLocaleString('en-US');

/** Explains up to `records` of `rows` (see the module's comment). */
export async function explainRecords(input: ExplainInput): Promise<ExplainResult> {
  const d = input.features.length;
  if (d === 0) throw new RangeError('no features to attribute');
  const background = input.background;
  if (background.length === 0) throw new RangeError('no background row: give the baseline means or rows');
  checkWidth(background, d, 'background row');
  checkWidth(
    input.rows.map((r) => r.values),
    d,
    'row',
  );
  const wanted = Math.max(0, Math.floor(input.records ?? DEFAULT_EXPLAIN_RECORDS));
  const maxRows = positive(input.maxRows ?? DEFAULT_MAX_MODEL_ROWS, 'maxRows');
  const batchRows = positive(input.batchRows ?? DEFAULT_BATCH_ROWS, 'batchRows');
  const seed = (input.seed ?? DEFAULT_ATTRIBUTION_SEED) >>> 0;
  const aggMethod = input.aggMethod ?? DEFAULT_AGG_METHOD;
  const method = resolveMethod(input.method, d);
  const numSamples =
    method === 'kernel' ? positive(input.numSamples ?? defaultKernelSamples(d), 'numSamples') : null;
  const bgRows = background.length;
  const coalitions =
    method === 'exact'
      ? 2 ** d - 1
      : Math.min(numSamples!, d <= 30 ? 2 ** d - 2 : Number.POSITIVE_INFINITY) + 1;
  const rowsPerRecord = coalitions * bgRows;
  const planFor =
    method === 'exact'
      ? (() => {
          const plan = exactPlan(d);
          return (_key: string) => plan;
        })()
      : (key: string) => kernelPlan(d, numSamples!, seededKeyHash(key, seed)[1]);

  // The budget: records wanted, then what maxRows allows after v(∅)'s rows.
  const available = input.rows.length;
  const byRows = Math.max(0, Math.floor((maxRows - bgRows) / rowsPerRecord));
  const planned = Math.min(available, wanted, byRows);
  let limitedBy: ExplainResult['limitedBy'] = null;
  let reason: string | null = null;
  const shape =
    method === 'exact'
      ? `${count(coalitions)} coalitions (2^${d} - 1)`
      : `${count(coalitions)} coalitions (${count(coalitions - 1)} sampled + the full one)`;
  if (planned < available) {
    if (byRows < Math.min(available, wanted)) {
      limitedBy = 'maxRows';
      reason = `explaining ${count(planned)} of ${count(available)} records: ${shape} × ${count(bgRows)} background row${bgRows === 1 ? '' : 's'} = ${count(rowsPerRecord)} model rows per record, and maxRows ${count(maxRows)} allows ${count(byRows)}; raise maxRows, use fewer background rows${method === 'kernel' ? ' or a smaller num_samples' : ''}`;
    } else {
      limitedBy = 'records';
      reason = `explaining ${count(planned)} of ${count(available)} records, as the records setting (--explain-records) asks`;
    }
  }

  const order = explanationOrder(
    input.rows.map((r) => r.key),
    seed,
  ).slice(0, planned);
  const usageBefore = input.model.usage?.().requests ?? 0;
  const result: ExplainResult = {
    method,
    seed,
    numSamples,
    aggMethod,
    rowsPerRecord,
    records: [],
    global: null,
    expectedValue: null,
    recordsPlanned: planned,
    recordsExplained: 0,
    limitedBy,
    reason,
    modelRows: 0,
    predictCalls: 0,
    requests: 0,
    stoppedEarly: null,
    error: null,
  };
  const deadline = input.deadline ?? (() => false);

  /** Scores `rows`; `null` (with the result's stop or error set) when the run must end. */
  const score = async (rows: ModelRow[], doneSoFar: number): Promise<number[] | null> => {
    if (deadline()) {
      result.stoppedEarly = `deadline passed after ${count(doneSoFar)} of ${count(planned)} records`;
      return null;
    }
    result.predictCalls++;
    result.modelRows += rows.length;
    let scores: number[];
    try {
      scores = await input.model.predict(rows);
    } catch (e) {
      result.error = `model call ${result.predictCalls} failed: ${e instanceof Error ? e.message : String(e)}`;
      return null;
    }
    if (!Array.isArray(scores) || scores.length !== rows.length) {
      result.error = `model call ${result.predictCalls} returned ${Array.isArray(scores) ? scores.length : 'no list of'} scores for ${rows.length} rows`;
      return null;
    }
    const bad = scores.findIndex((s) => typeof s !== 'number' || !Number.isFinite(s));
    if (bad >= 0) {
      result.error = `model call ${result.predictCalls} returned a score that is not a finite number for row ${bad} of ${rows.length}`;
      return null;
    }
    return scores;
  };

  try {
    if (bgRows <= maxRows) {
      const base = await score([...background], 0);
      if (base !== null) result.expectedValue = base.reduce((a, b) => a + b, 0) / bgRows;
    }
    const empty = result.expectedValue;
    if (empty !== null && planned > 0) await run(empty);
  } finally {
    const after = input.model.usage?.().requests;
    result.requests = after === undefined ? result.predictCalls : after - usageBefore;
  }
  result.records.sort((a, b) => a.index - b.index);
  result.recordsExplained = result.records.length;
  if (result.records.length > 0)
    result.global = globalAttributions(
      result.records.map((r) => r.attributions),
      d,
      aggMethod,
    );
  return result;

  async function run(empty: number): Promise<void> {
    const inFlight: InFlight[] = [];
    let batch: ModelRow[] = [];
    let tagRecord: InFlight[] = [];
    let tagCoalition: number[] = [];
    const flush = async (): Promise<boolean> => {
      const scores = await score(batch, result.records.length);
      if (scores === null) return false;
      for (let j = 0; j < scores.length; j++) {
        const rec = tagRecord[j]!;
        rec.values[tagCoalition[j]!]! += scores[j]! / bgRows;
        rec.rowsLeft--;
      }
      batch = [];
      tagRecord = [];
      tagCoalition = [];
      while (inFlight.length > 0 && inFlight[0]!.rowsLeft === 0) {
        const rec = inFlight.shift()!;
        const row = input.rows[rec.index]!;
        try {
          result.records.push({
            index: rec.index,
            key: row.key,
            attributions: rec.plan.solve(rec.values, empty),
            prediction: rec.values[rec.plan.count - 1]!,
          });
        } catch (e) {
          result.error = e instanceof Error ? e.message : String(e);
          return false;
        }
      }
      return true;
    };
    for (const index of order) {
      const { key, values: x } = input.rows[index]!;
      const plan = planFor(key);
      const rec: InFlight = {
        index,
        plan,
        values: new Float64Array(plan.count),
        rowsLeft: plan.count * bgRows,
      };
      inFlight.push(rec);
      const { members } = plan;
      for (let k = 0; k < plan.count; k++) {
        for (const bg of background) {
          const row = new Array<ModelValue>(d);
          for (let i = 0; i < d; i++) row[i] = members[k * d + i] === 1 ? x[i]! : bg[i]!;
          batch.push(row);
          tagRecord.push(rec);
          tagCoalition.push(k);
          if (batch.length >= batchRows && !(await flush())) return;
        }
      }
    }
    if (batch.length > 0) await flush();
  }
}
