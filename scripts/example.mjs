// `npm start`: runs driftwatch on the bundled example (examples/churn: a churn model's training
// set and Clarify bias configuration, four hours of SageMaker capture, and ground-truth labels
// that arrive one to two hours late, about 10% never). Hours 03 and 04 are calm; 05 drifted (day
// use up, the model overconfident and biased against FL); 06 looks calm feature by feature but
// evening use no longer follows day use, which only the multivariate check sees. It prints the
// summaries, then builds index.html over the hours and prints where the pages are.
// The arguments are exported so a test runs exactly what `npm start` runs.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const EXAMPLE_HOURS = ['03', '04', '05', '06'];
/** The hours whose whole summary `npm start` prints: the drifted hour and the decorrelated one. */
export const EXAMPLE_NEWS_HOURS = ['05', '06'];

/** The `driftwatch baseline` arguments of the example. */
export function exampleBaselineArgs(out = 'examples/out') {
  return [
    'baseline',
    'examples/churn/train.csv',
    '--label-column',
    'churn',
    '--probability-column',
    'score',
    '--problem-type',
    'BinaryClassification',
    // Clarify's bias configuration: FL against the other states.
    '--bias-config',
    'examples/churn/analysis_config.json',
    // The example's hours hold about 720 labelled predictions each.
    '--quality-window-records',
    '700',
    '--out',
    `${out}/baseline`,
  ];
}

/** The `driftwatch run` arguments of one hour of the example (`hh` is one of {@link EXAMPLE_HOURS}). */
export function exampleRunArgs(hh, out = 'examples/out') {
  const start = `2026-11-26T${hh}:00:00Z`;
  const end = `2026-11-26T${String(Number(hh) + 1).padStart(2, '0')}:00:00Z`;
  return [
    'run',
    '--baseline',
    `${out}/baseline`,
    '--capture',
    'examples/churn/capture',
    '--ground-truth',
    'examples/churn/ground-truth',
    '--problem-type',
    'BinaryClassification',
    '--start',
    start,
    '--end',
    end,
    '--out',
    `${out}/2026-11-26T${hh}`,
  ];
}

/** The `driftwatch report` arguments of the example: index.html over every hour under `out`. */
export function exampleReportArgs(out = 'examples/out') {
  return ['report', '--reports', out, '--out', `${out}/index.html`];
}

async function runExample() {
  const { main } = await import('../dist/cli.mjs');
  const out = 'examples/out';
  const quiet = {
    stdout: () => {},
    stderr: (s) => process.stderr.write(s),
    stderrIsTty: false,
    now: () => new Date(),
  };
  const loud = { ...quiet, stdout: (s) => process.stdout.write(s) };

  const step = async (args, io) => {
    const code = await main(args, io);
    if (code !== 0) process.exit(code);
  };

  const baselineArgs = exampleBaselineArgs(out);
  console.log(`$ driftwatch ${baselineArgs.join(' ')}`);
  await step(baselineArgs, loud);

  for (const hh of EXAMPLE_HOURS) {
    const args = exampleRunArgs(hh, out);
    const news = EXAMPLE_NEWS_HOURS.includes(hh);
    console.log(`\n$ driftwatch ${args.join(' ')}`);
    await step(args, news ? loud : quiet);
    if (!news) {
      const r = JSON.parse(readFileSync(`${out}/2026-11-26T${hh}/report.json`, 'utf8'));
      const q = r.quality;
      const quality =
        q?.metrics == null
          ? 'no labels yet'
          : `accuracy ${q.metrics.accuracy.toFixed(3)} (estimated ${q.estimated?.accuracy.toFixed(3) ?? '-'}), auc ${q.metrics.auc?.toFixed(3) ?? '-'} on ${q.matched} labelled predictions, ${q.unmatchedPredictions} still unlabelled; ${q.violations.length} quality violations`;
      const m = r.multivariate;
      console.log(
        `${r.records.profiled} records profiled; dataset drift ${r.datasetDrift.detected ? 'DETECTED' : 'not detected'}: ${r.datasetDrift.driftedFeatures} of ${r.datasetDrift.monitoredFeatures} features drifted; ${r.violations.length} violations`,
      );
      console.log(`model quality: ${quality}`);
      if (m)
        console.log(
          `multivariate: ${m.value.toFixed(3)} within [${m.lowerThreshold.toFixed(3)}, ${m.upperThreshold.toFixed(3)}]: ${m.drifted ? 'DRIFTED' : 'no drift'}`,
        );
      if (r.bias)
        console.log(
          `bias (Clarify): ${r.bias.violations} significant violations on ${r.bias.matched} labelled predictions`,
        );
    }
  }

  const reportArgs = exampleReportArgs(out);
  console.log(`\n$ driftwatch ${reportArgs.join(' ')}`);
  await step(reportArgs, loud);
  console.log(`\nOpen in a browser (self-contained, no network needed):`);
  console.log(`  the drifted hour:      ${out}/2026-11-26T05/report.html`);
  console.log(`  the decorrelated hour: ${out}/2026-11-26T06/report.html`);
  console.log(`  all four hours:        ${out}/index.html`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runExample();
