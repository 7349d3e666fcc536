/** Help text and the usage error, kept apart from the command code. */

export const VERSION = '0.1.0';

export const HELP = `driftwatch ${VERSION}: a model monitor for Amazon SageMaker endpoints.

Usage:
  driftwatch baseline DATA --out DIR [--label-column NAME] [--categorical COL,...] [--numeric COL,...]
                         [--no-header] [--problem-type TYPE --prediction-column NAME --probability-column NAME
                          --probability-threshold X]
                         [--explain-endpoint NAME [--explain-records N] [--explain-max-rows M]
                          [--explain-config FILE] [--explain-rate R] [--region REGION]]
  driftwatch run --baseline DIR|s3://... --capture DIR|s3://... --out DIR
                 [--ground-truth DIR|s3://...] [--start ISO --end ISO]
                 [--problem-type BinaryClassification|MulticlassClassification|Regression]
                 [--probability-threshold X] [--label-lookback-hours N] [--quality-constraints FILE]
                 [--min-slice-support N] [--fail-on-violation] [--json]
                 [--explain-endpoint NAME [--explain-records N] [--explain-max-rows M]
                  [--explain-config FILE] [--explain-rate R] [--region REGION]]
                 [--endpoint NAME --schedule NAME [--history DIR|s3://... [--model-version V]]
                  [--prometheus FILE] [--pushgateway URL]]
  driftwatch report --reports DIR|s3://... [--out FILE]
  driftwatch endpoint history NAME --reports DIR|s3://... [--json]
  driftwatch endpoint rollback NAME --to CONFIG [--yes] [--region REGION]
  driftwatch grafana [--config driftwatch.config.json] [--out FILE] [--region REGION]

Commands:
  baseline   Profile a training set (CSV with a header, or JSON Lines) and write SageMaker-format
             statistics.json and constraints.json, plus baseline.json for exact comparisons.
  run        Compare one window of captured requests with a baseline folder (driftwatch's, or
             SageMaker's own statistics.json + constraints.json). Writes report.json,
             statistics.json, constraint_violations.json and report.html to --out and prints a
             summary (or report.json with --json).
  report     Build index.html over every report.json under --reports (any depth): drift per
             feature over time against its threshold, dataset drift share, model quality and
             records per window, each point linking to its window's report.html
             (default --out DIR/index.html).
  endpoint history   The versions (endpoint config, models, model package versions) an endpoint
             served, from the report.json files under --reports, each with its first and last
             window, windows, mean dataset drift share and mean accuracy or RMSE, and the windows
             that span a deployment.
  endpoint rollback  Shows what the endpoint serves and what endpoint config CONFIG would serve,
             asks for confirmation (unless --yes), then updates the endpoint to CONFIG
             (SageMaker UpdateEndpoint; AWS credentials and region from the usual places).
  grafana    Write a Grafana dashboard (JSON, to import) for Grafana's CloudWatch data source from
             the stack's configuration (default --config driftwatch.config.json): the CloudWatch
             dashboard's panels, one row per endpoint, variables endpoint and feature
             (default: standard output; --region sets the data source's region).

Model quality:
  baseline --problem-type TYPE --label-column L (--probability-column P | --prediction-column P)
             also writes model-quality/statistics.json and constraints.json (SageMaker's format);
             thresholds sit --quality-margin (default 0.05, relative) or 3 standard deviations of
             the metric on a window of --quality-window-records labelled records (default 1000,
             from the bootstrap deviation) beyond the baseline value, whichever is larger
             (--quality-margin 0: SageMaker's own rule, the baseline value itself).
  run --ground-truth DIR|s3://...  joins SageMaker ground-truth labels (eventId = the capture's
             inferenceId, else eventId) to the window's predictions: labels collected from the
             window's start to --label-lookback-hours after its end (default 24) are read. Writes
             report.json's quality (metrics, worst slices, the estimate from scores),
             model_quality_statistics.json and model_quality_constraint_violations.json. The
             constraints are the baseline's model-quality/constraints.json or --quality-constraints
             FILE (SageMaker's files as they are). Predictions are held in memory for the join.

Feature attribution drift (SHAP, as SageMaker Clarify's explainability monitor):
  baseline --explain-endpoint NAME  explains --explain-records N training rows (default 100,
             drawn by a seeded hash of their ordinal) by calling the SageMaker endpoint NAME
             (InvokeEndpoint; the monitored endpoint or a copy of its model) and writes
             explainability/analysis.json (Clarify's format) and explain-settings.json (the
             features, background row and configuration a run repeats). Exact Shapley values up to
             12 features (2^d - 1 model rows a record), Kernel SHAP above. The background row is the
             baseline's means (numeric) and most frequent values (categorical), or the rows of
             --explain-config's methods.shap.baseline (Clarify's analysis_config.json: num_samples,
             agg_method, use_logit, seed; predictor content_type text/csv or application/json).
  run --explain-endpoint NAME  explains N of the window's rows (the smallest seeded hash of their
             inferenceId, else eventId) and ranks the features against the baseline's: report.json's
             attribution (nDCG, drifted below 0.9, records, model rows and requests), a
             feature_attribution_drift_check violation when drifted (counted by --fail-on-violation),
             explainability/analysis.json and constraint_violations.json. --explain-max-rows M
             (default 200000) caps the model rows a window sends: fewer records are explained, and
             the report says why. --explain-rate R caps requests per second (default 10). An
             endpoint that fails does not fail the run: attribution.error says what failed.

History, Prometheus (run; each needs --endpoint NAME --schedule NAME, the names the deployed
monitor takes from its configuration, as partition values and labels):
  --history DIR|s3://...  also writes the window's history, one line per feature and one per
             window, to history/features|windows/endpoint=E/schedule=S/dt=YYYY-MM-DD/HH.jsonl
             (JSON Lines; the tables the stack's Athena workgroup queries, or DuckDB's read_json
             with hive_partitioning). Needs --start and --end; re-running a window replaces its
             lines. --model-version V fills the model_version column.
  --prometheus FILE  writes the window's metrics in Prometheus' text format 0.0.4 to FILE (a
             .prom file in node_exporter's --collector.textfile.directory), replaced atomically.
  --pushgateway URL  PUTs the same metrics to URL/metrics/job/driftwatch/endpoint/E/schedule/S,
             replacing the group's previous push (scrape it with honor_labels: true). A failed
             push exits 3 after the report files are written.

Limits (run): --exact-cap N (numeric values kept exactly per feature, default 100000),
  --max-categories N (distinct values counted per feature, default 10000),
  --max-line-bytes N (default 33554432), --max-columns N (default 2000),
  --memory-mb N (derive the four limits above from N MB of memory, as the deployed monitor does
  from its function's: 512 MB gives 5.2 MiB lines and 664 columns; flags given explicitly win;
  N bounds one thread, so --workers then defaults to 1),
  --dataset-drift-share X (default 0.5), --workers N (threads profiling files of a window of
  --parallel-min-mb M or more, default 128; default one per core).

Exit status: 0 completed; 1 completed with violations and --fail-on-violation, or a rollback not
confirmed; 2 bad usage or unreadable input (nothing written); 3 any other failure (an AWS call
that failed, say). Malformed capture lines are counted, not failures.
`;

/** Bad usage: the message says what to change. Exit status 2. */
export class UsageError extends Error {}
