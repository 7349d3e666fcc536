/**
 * Which model served a window, from what SageMaker says is serving now. The monitor reads the
 * endpoint after the window is over, so the answer depends on when the endpoint last changed:
 * before the window (it served the whole window), inside it (a change inside the window, unless
 * the previous window was served by the very same endpoint config and models: then the update
 * changed weights or capacity only), or after it (what served the window is not known).
 */
import type { Report, ServingModel } from './report-model.ts';

/** The model fields of one window's report, and a note for the reader when there is one. */
export interface WindowModel {
  model: ServingModel | null;
  /** Absent when not known (the endpoint changed after the window). */
  changedDuringWindow?: boolean;
  note: string | null;
}

/** Same endpoint config and the same model and package in every variant. */
export function sameModel(a: ServingModel, b: ServingModel): boolean {
  const variants = (m: ServingModel) =>
    JSON.stringify(
      m.variants
        .map((v) => [v.variantName, v.modelName, v.modelPackageArn ?? null, v.shadow ?? false])
        .sort(),
    );
  return (
    a.endpointName === b.endpointName &&
    a.endpointConfigName === b.endpointConfigName &&
    variants(a) === variants(b)
  );
}

/** `config NAME: VARIANT MODEL (package GROUP/VERSION), ...` for messages and the CLI. */
export function modelLabel(m: ServingModel): string {
  const variants = m.variants.map((v) => {
    const pkg = v.modelPackageArn === undefined ? '' : ` (package ${packageName(v.modelPackageArn)})`;
    return `${v.variantName}${v.shadow ? ' [shadow]' : ''} ${v.modelName ?? '(inference components)'}${pkg}`;
  });
  return `endpoint config ${m.endpointConfigName}${variants.length ? `: ${variants.join(', ')}` : ''}`;
}

/** `GROUP/VERSION` of a model package ARN, or the name itself when it is not an ARN. */
export function packageName(arnOrName: string): string {
  const m = /:model-package\/(.+)$/.exec(arnOrName);
  return m ? m[1]! : arnOrName;
}

/**
 * The model fields of the window [start, end) given what serves now and, when known, what
 * served the previous window (`undefined`: no previous report; `null`: not known there either).
 */
export function windowModel(
  serving: ServingModel,
  window: { start: Date; end: Date },
  previous: ServingModel | null | undefined,
): WindowModel {
  const changed = serving.lastModifiedTime === null ? null : Date.parse(serving.lastModifiedTime);
  if (changed === null || changed <= window.start.getTime())
    return { model: serving, changedDuringWindow: false, note: null };
  if (changed >= window.end.getTime())
    return {
      model: null,
      note: `the endpoint was updated at ${serving.lastModifiedTime}, after this window; what served the window is not known, so no model is recorded (${modelLabel(serving)} serves now)`,
    };
  if (previous && sameModel(previous, serving))
    return { model: serving, changedDuringWindow: false, note: null };
  return {
    model: serving,
    changedDuringWindow: true,
    note: `the endpoint was updated at ${serving.lastModifiedTime}, inside this window: records before that may come from the model served before (now serving ${modelLabel(serving)})`,
  };
}

/** Sets the report's model fields and adds the note to its warnings. */
export function applyWindowModel(report: Report, m: WindowModel): void {
  report.model = m.model;
  if (m.changedDuringWindow !== undefined) report.modelChangedDuringWindow = m.changedDuringWindow;
  if (m.note !== null) report.warnings.push(m.note);
}
