/**
 * Bias for one window, on top of its model-quality join: the facet and group columns collected
 * with the predictions (raw, as extra columns of the prediction parts), each joined record
 * counted with its label read by the configuration's rule and its prediction from the score at
 * `probability_threshold`, then compared with the baseline's analysis (engine/bias/window-bias.ts).
 */
import type { BiasConfig } from '../engine/bias/analysis-config.ts';
import type { AnalysisJson, BiasAnalysis } from '../engine/bias/analysis-json.ts';
import type { BiasViolationsJson } from '../engine/bias/bias-violations.ts';
import { BiasTally, labelPositive } from '../engine/bias/facet-rows.ts';
import { type WindowBias, windowBias } from '../engine/bias/window-bias.ts';
import type { BinaryLabelRule } from '../engine/quality/label-codes.ts';
import type { ExtraColumn, PredictionPart } from '../engine/quality/prediction-part.ts';
import type { JoinedRecordVisitor } from '../engine/quality/quality-join.ts';
import type { WindowResult } from '../engine/report/window-result.ts';

/** The score column's name in a window's counts: a window always has the model's scores. */
export const BIAS_SCORE = 'score';

/** A run's bias: the baseline folder's configuration and analysis. */
export interface BiasPlan {
  config: BiasConfig;
  analysis: BiasAnalysis;
}

/** The columns every part keeps raw for bias: each facet's (numeric for a threshold) and the group's. */
export function biasColumns(config: BiasConfig): ExtraColumn[] {
  const columns = new Map<string, ExtraColumn['kind']>();
  for (const f of config.facets)
    if (!columns.has(f.name)) columns.set(f.name, 'threshold' in f ? 'numeric' : 'categorical');
  if (config.groupVariable !== null && !columns.has(config.groupVariable))
    columns.set(config.groupVariable, 'categorical');
  return [...columns].map(([name, kind]) => ({ name, kind }));
}

/** Model quality's binary labels by the configuration's rule (the one rule for both). */
export function biasLabelRule(config: BiasConfig): BinaryLabelRule {
  return (label) => {
    const positive = labelPositive(config.positive, label);
    return positive === null ? null : positive ? 1 : 0;
  };
}

/** The window's bias, counted record by record as the join visits them. */
export interface WindowBiasRun {
  /** The counts so far (a fan-out join step writes them; the reducer merges them). */
  tally: BiasTally;
  visit: JoinedRecordVisitor;
  /** The results, once the join has visited every record. */
  result(): { section: WindowBias; analysis: AnalysisJson; violations: BiasViolationsJson };
}

/** Starts a window's bias under `plan`; `columns` must be the spec's extra columns ({@link biasColumns}). */
export function startWindowBias(plan: BiasPlan, columns: readonly ExtraColumn[]): WindowBiasRun {
  const tally = new BiasTally(plan.config, BIAS_SCORE);
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const threshold = plan.config.probabilityThreshold;
  // The record being counted: one reader for every record, not a closure each.
  let part: PredictionPart;
  let row = 0;
  const get = (name: string): unknown => {
    const c = index.get(name);
    if (c === undefined) return undefined;
    const column = part.extra[c]!;
    const v = column[row]!;
    if (column instanceof Float64Array) return Number.isNaN(v) ? undefined : v;
    return v === 0 ? undefined : part.extraClasses[c]![v - 1];
  };
  return {
    tally,
    visit: (p: PredictionPart, i: number, label: number) => {
      part = p;
      row = i;
      tally.addJoined(label === 1, p.output[i]! >= threshold, get);
    },
    result: () => windowBias(tally, plan.analysis),
  };
}

/**
 * Puts a window's bias into its report and results: the section and files when records were
 * counted; else `bias: null` and a warning saying why. The CLI's `run` and the monitor share it.
 */
export function applyWindowBias(
  result: WindowResult,
  bias: ReturnType<WindowBiasRun['result']> | undefined,
): void {
  if (bias && bias.section.matched > 0) {
    result.report.bias = bias.section;
    result.bias = { analysis: bias.analysis, violations: bias.violations };
    return;
  }
  result.report.bias = null;
  result.report.warnings.push(
    'Bias is not measured for this window: no labelled prediction of it could be counted yet (labels arrive late; a later run over the window may count them).',
  );
}
