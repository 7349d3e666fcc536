/**
 * The shape of `report.json` (spec: INTERFACE.md). Scripts depend on these names: add freely,
 * never rename.
 */

import type { AggMethod } from '../attribution/global-attribution.ts';
import type { WindowBias } from '../bias/window-bias.ts';
import type { Violation } from '../drift/checks.ts';
import type { DatasetDrift, FeatureDrift } from '../drift/compare.ts';
import type { MultivariateResult } from '../multivariate/multivariate-score.ts';
import type { WindowQuality } from '../quality/window-quality.ts';

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
  /**
   * The data-quality violations (those of the window's constraint_violations.json), then
   * driftwatch's own window-level checks (`multivariate_drift_check`,
   * `feature_attribution_drift_check`), which SageMaker's file does not hold.
   */
  violations: ReportViolation[];
  /** Model quality from ground truth; `null` when no ground truth was asked for. */
  quality: WindowQuality | null;
  /**
   * Bias against the baseline's (Clarify's metrics), present when the baseline has a bias
   * configuration: `null` then when nothing could be measured (the warnings say why).
   */
  bias?: WindowBias | null;
  /**
   * Multivariate drift (PCA reconstruction error against the baseline's multivariate.json);
   * `null` when the baseline has no multivariate model (the warnings say why). Absent from
   * reports written before the monitor existed.
   */
  multivariate?: MultivariateResult | null;
  /**
   * Feature attribution drift (SHAP values of the window's records against the baseline's,
   * ATTRIBUTION.md), present when the run was asked to explain (`--explain-endpoint`): `null`
   * then when nothing could be compared (the warnings say why). A failed explanation is not
   * `null`: it is reported here with `error` set.
   */
  attribution?: AttributionReport | null;
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

/**
 * A window's feature attributions against the baseline's. `baseline` and `window` are keyed by
 * feature name, in the model's column order, every name an own field (`__proto__` included).
 */
export interface AttributionReport {
  /** The endpoint called; `null` when the attributions were read from captured outputs. */
  endpoint: string | null;
  /** `exact`: every coalition (up to 12 features); `kernel`: Kernel SHAP. */
  method: 'exact' | 'kernel';
  /** The output label of the explainability files (`label0` unless configured). */
  label: string;
  aggMethod: AggMethod;
  /** Seed of the record selection and of Kernel SHAP's coalitions. */
  seed: number;
  /** Kernel SHAP's sampled coalitions per record; `null` for exact values. */
  numSamples: number | null;
  /** The baseline's global attribution of each feature. */
  baseline: Record<string, number>;
  /** The window's; `null` when no record was explained (or the explanation failed). */
  window: Record<string, number> | null;
  /** v(∅): the model's mean output over the background, for the baseline and the window run. */
  expectedValue: { baseline: number; window: number | null };
  /** nDCG of the window's feature ranking against the baseline's; `null` without a window ranking. */
  ndcg: number | null;
  threshold: number;
  /** `ndcg < threshold`; `false` when there is no nDCG. */
  drifted: boolean;
  /** Profiled rows of the window (the candidates). */
  windowRows: number;
  /** Records the run set out to explain, after `--explain-records` and `--explain-max-rows`. */
  recordsPlanned: number;
  recordsExplained: number;
  /** Rows sent to the model, and the requests (HTTP calls) they took. */
  modelRows: number;
  requests: number;
  /** What kept the records explained below the window's rows, when something did. */
  limitedBy: 'records' | 'maxRows' | null;
  /** The same, in words. */
  reason: string | null;
  /** Why the explanation stopped before its plan was done (a deadline), or `null`. */
  stoppedEarly: string | null;
  /** What failed (the endpoint refused, throttled, timed out), or `null`. */
  error: string | null;
}

/** driftwatch's own window-level check types, in `report.json`'s violations only. */
export type WindowCheckType = 'multivariate_drift_check' | 'feature_attribution_drift_check';

/** A violation of a window-level check: about the window as a whole, not one feature. */
export interface WindowCheckViolation {
  /** `*`: the dataset as a whole (as SageMaker names dataset-level violations). */
  feature_name: string;
  constraint_check_type: WindowCheckType;
  description: string;
}

/** One entry of `report.json`'s violations. */
export type ReportViolation = Violation | WindowCheckViolation;

/** How far the reading of an incomplete window got. */
export interface IncompleteWindow {
  /** Capture objects read before the run stopped. */
  objectsRead: number;
  /** Capture objects the window has. */
  objectsTotal: number;
  /** Why the run stopped, e.g. the function's remaining time fell below its safety margin. */
  reason: string;
}
