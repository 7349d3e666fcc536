/**
 * The shape of `report.json` (spec: INTERFACE.md). Scripts depend on these names: add freely,
 * never rename.
 */

import type { QualityReport } from './quality/quality-report.ts';

/** Baseline and current side of one statistic, as in the oracle files. */
export interface Sides<T> {
  baseline: T;
  current: T;
}

/** Kolmogorov-Smirnov two-sample test result. */
export interface KsResult {
  statistic: number;
  pValue: number;
}

/** Pearson chi-squared test of homogeneity result. */
export interface ChiSquareResult {
  statistic: number;
  pValue: number;
}

/** Metrics of a numeric feature (METRICS.md, "Numeric features"). */
export interface NumericMetrics {
  count: Sides<number>;
  ks: KsResult;
  linfRobust: number;
  binEdges: number[];
  binProportions: Sides<number[]>;
  psi: number;
  jensenShannon: number;
  wasserstein: number;
  /** `null` when the baseline's standard deviation is 0. */
  wassersteinNorm: number | null;
  mean: Sides<number>;
  stdDev: Sides<number>;
  min: Sides<number>;
  max: Sides<number>;
  sum: Sides<number>;
}

/** Metrics of a categorical feature (METRICS.md, "Categorical features"). */
export interface CategoricalMetrics {
  count: Sides<number>;
  /** Sorted union of the categories of both sides. */
  categories: string[];
  proportions: Sides<number[]>;
  linf: number;
  linfRobust: number;
  chiSquare: ChiSquareResult;
  psi: number;
  jensenShannon: number;
}

export type FeatureRole = 'input' | 'output';
export type FeatureKind = 'numeric' | 'categorical';
/** `exact` when both sides were kept value by value, `sketch` when either side is a quantile sketch. */
export type DistributionMethod = 'exact' | 'sketch';

/** One feature's row of the report. */
export interface FeatureDrift {
  name: string;
  role: FeatureRole;
  type: FeatureKind;
  /** Present (non-missing, well-typed) values in the window. */
  count: number;
  missing: number;
  typeMismatch: number;
  method: DistributionMethod;
  /** `null` when the window has no values of the feature or the baseline has no distribution for it. */
  metrics: NumericMetrics | CategoricalMetrics | null;
  /** The distance the drift decision uses (METRICS.md "Drift decision"); `null` when not compared. */
  distance: number | null;
  threshold: number | null;
  /** Which distance `distance` is: `linfRobust`, `ks`, `linf` or `chiSquarePValue`. */
  distanceMetric: string | null;
  drifted: boolean;
  /** Whether the feature counts toward dataset drift (compared, comparison enabled). */
  monitored: boolean;
  /** Why the feature was not compared, when it was not. */
  note?: string;
}

/** A SageMaker `constraint_violations.json` entry. */
export interface Violation {
  feature_name: string;
  constraint_check_type:
    | 'data_type_check'
    | 'completeness_check'
    | 'baseline_drift_check'
    | 'missing_column_check'
    | 'extra_column_check'
    | 'categorical_values_check';
  description: string;
}

/** Record accounting: `total = profiled + rejected`, always. */
export interface RecordCounts {
  total: number;
  profiled: number;
  rejected: number;
  rejectedByReason: Record<string, number>;
  /**
   * Records read from the window's folders whose inferenceTime falls outside [start, end)
   * (the late-hour folder holds the next hour's requests). Not part of the window, not in total.
   */
  outsideWindow: number;
}

export interface DatasetDrift {
  monitoredFeatures: number;
  driftedFeatures: number;
  share: number;
  /** The share at and above which the dataset counts as drifted. */
  threshold: number;
  detected: boolean;
}

/**
 * How a window's predictions were joined to ground truth (`functions/pipeline/quality-window.ts`
 * states the rules): what was read on each side and what could not be used.
 */
export interface QualityJoin {
  /** The capture field the join key comes from. */
  key: 'inferenceId, else eventId';
  /** The label-collection hours read, [start, end); `null` ends: every hour. */
  labelHours: { start: string | null; end: string | null };
  /** Hours of labels read after the window's end (late labels); `null` without a window. */
  lookbackHours: number | null;
  /** Ground-truth files read. */
  labelFiles: number;
  /** Distinct ids labelled in those files. */
  labels: number;
  /** Ground-truth lines that could not be used, by reason (never thrown). */
  labelsRejected: number;
  labelsRejectedByReason: Record<string, number>;
  /** Profiled rows of the window (each a prediction when it has an output). */
  rows: number;
  /** Rows with no output value to evaluate (input-only capture): not predictions. */
  rowsWithoutOutput: number;
  /** Rows without inferenceId or eventId: they can never match a label. */
  predictionsWithoutKey: number;
  /** Rows whose key an earlier row of the window already had (a batch record, a reused id): the last row is joined. */
  repeatedPredictionKeys: number;
}

/** `report.json`'s `quality`: the engine's quality report, and how the join went. */
export interface WindowQuality extends QualityReport {
  /** Fewest records a listed slice has. */
  minSliceSupport: number;
  join: QualityJoin;
  /** Plain-language notes on what the numbers cover (late labels, unmatched labels, estimates). */
  notes: string[];
}

/** One variant of what served the endpoint (SageMaker's endpoint config and model). */
export interface ServingVariant {
  variantName: string;
  /** The SageMaker model; `null` for variants built on inference components. */
  modelName: string | null;
  /** The Model Registry package the model was created from, when it was. */
  modelPackageArn?: string;
  /** The package's version in its model package group, when the package is versioned. */
  modelPackageVersion?: number;
  /** A shadow variant (receives a copy of the traffic; its responses are not returned). */
  shadow?: true;
}

/** What served the endpoint: DescribeEndpoint, DescribeEndpointConfig and DescribeModel. */
export interface ServingModel {
  endpointName: string;
  endpointConfigName: string;
  /** When the endpoint was last updated (a deployment, or new weights or capacity), ISO-8601. */
  lastModifiedTime: string | null;
  variants: ServingVariant[];
}

/** The whole `report.json`. */
export interface Report {
  version: 1;
  window: { start: string | null; end: string | null };
  generatedAt: string;
  records: RecordCounts;
  features: FeatureDrift[];
  datasetDrift: DatasetDrift;
  violations: Violation[];
  /** Model quality from ground truth; `null` when no ground truth was asked for. */
  quality: WindowQuality | null;
  /** Where the baseline came from and how it was compared. */
  baseline: { source: 'driftwatch' | 'sagemaker'; path: string };
  /** Notes for the reader: limits hit, files skipped. */
  warnings: string[];
  /**
   * What served the window, read from SageMaker by the monitor Lambda; absent when not read
   * (the CLI's `run`), `null` when not known (the endpoint was updated after the window, or
   * SageMaker could not be read: `warnings` says which).
   */
  model?: ServingModel | null;
  /** The serving model changed inside the window: records on either side come from different models. */
  modelChangedDuringWindow?: boolean;
  /**
   * `false` when the window was not read whole (`incomplete` says how far it got): its numbers
   * cover part of the window only. Absent for a complete window.
   */
  complete?: false;
  /** How far an incomplete window got, and why it stopped; absent for a complete window. */
  incomplete?: IncompleteWindow;
}

/** How far the reading of an incomplete window got. */
export interface IncompleteWindow {
  /** Capture objects read before the run stopped. */
  objectsRead: number;
  /** Capture objects the window has. */
  objectsTotal: number;
  /** Why the run stopped, e.g. the function's remaining time fell below its safety margin. */
  reason: string;
}
