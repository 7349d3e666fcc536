/**
 * What served a window, for its report's `model`: what SageMaker says the endpoint serves now
 * (read once per run), and, when the endpoint was updated inside the window, what the previous
 * window's report recorded, so the report can say the window straddles two models.
 */
import { REPORT_JSON, reportFolder } from '../contracts/report-layout.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { Report, ServingModel } from '../engine/report/report-model.ts';
import { applyWindowModel, type WindowModel, windowModel } from '../engine/report/serving-window.ts';
import type { ServingModelCache } from '../sources/serving-model.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** Sets `report`'s model fields for the endpoint's window; `reports` holds the earlier windows' reports. */
export async function recordServingModel(
  cache: ServingModelCache,
  reports: ObjectStore,
  config: { endpoint: string; scheduleName: string },
  window: { start: Date; end: Date },
  report: Report,
): Promise<void> {
  const previousFolder = reportFolder(
    config.endpoint,
    config.scheduleName,
    new Date(window.start.getTime() - HOUR_MS),
  );
  applyWindowModel(
    report,
    await servedModel(cache, config.endpoint, window, () => previousModel(reports, previousFolder)),
  );
}

/**
 * The model fields of a window. Reading SageMaker is not worth failing a window over: when it
 * fails, the report says so and records no model.
 */
async function servedModel(
  cache: ServingModelCache,
  endpoint: string,
  window: { start: Date; end: Date },
  previous: () => Promise<ServingModel | null | undefined>,
): Promise<WindowModel> {
  let serving: ServingModel;
  try {
    serving = await cache.get(endpoint);
  } catch (e) {
    return {
      model: null,
      note: `the serving model could not be read from SageMaker, so none is recorded: ${(e as Error).message}`,
    };
  }
  const updated = serving.lastModifiedTime === null ? null : Date.parse(serving.lastModifiedTime);
  // The previous window's report is read only when the endpoint changed inside this window.
  const inside = updated !== null && updated > window.start.getTime() && updated < window.end.getTime();
  return windowModel(serving, window, inside ? await previous() : undefined);
}

/** The `model` of the report in `folder`; undefined when there is no such report or it has none. */
async function previousModel(reports: ObjectStore, folder: string): Promise<ServingModel | null | undefined> {
  const key = `${folder}${REPORT_JSON}`;
  // Read only what a listing says exists: the previous window may have no report (its run failed,
  // or this is the first window), and S3 answers a GET of a missing key with 403 AccessDenied,
  // not 404, to a role whose s3:ListBucket holds only for listings under its reports prefix (a
  // GET carries no s3:prefix; S3 API Reference, GetObject, "Permissions":
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). A 403 is never read as
  // "no report": it may be a real denial.
  let listed = false;
  for await (const o of reports.list(key)) if (o.key === key) listed = true;
  if (!listed) return undefined;
  const text = await reports.getText(key);
  if (text === null) return undefined;
  try {
    return (JSON.parse(text) as Partial<Report>).model;
  } catch {
    return undefined;
  }
}
