// `npm start`: runs driftwatch on the bundled example (examples/churn: a churn model's training
// set and three hours of SageMaker capture, the last hour drifted) and prints the drift summary.
import { main } from '../dist/cli.mjs';

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

console.log(
  '$ driftwatch baseline examples/churn/train.csv --label-column churn --probability-column score --out examples/out/baseline',
);
await step(
  [
    'baseline',
    'examples/churn/train.csv',
    '--label-column',
    'churn',
    '--probability-column',
    'score',
    '--out',
    `${out}/baseline`,
  ],
  loud,
);

const hours = ['03', '04', '05'];
for (const hh of hours) {
  const start = `2026-11-26T${hh}:00:00Z`;
  const end = `2026-11-26T${String(Number(hh) + 1).padStart(2, '0')}:00:00Z`;
  const args = [
    'run',
    '--baseline',
    `${out}/baseline`,
    '--capture',
    'examples/churn/capture',
    '--start',
    start,
    '--end',
    end,
    '--out',
    `${out}/2026-11-26T${hh}`,
  ];
  console.log(`\n$ driftwatch ${args.join(' ')}`);
  await step(args, hh === hours.at(-1) ? loud : quiet);
  if (hh !== hours.at(-1)) {
    const { readFileSync } = await import('node:fs');
    const r = JSON.parse(readFileSync(`${out}/2026-11-26T${hh}/report.json`, 'utf8'));
    console.log(
      `${r.records.profiled} records profiled; dataset drift ${r.datasetDrift.detected ? 'DETECTED' : 'not detected'}: ${r.datasetDrift.driftedFeatures} of ${r.datasetDrift.monitoredFeatures} features drifted; ${r.violations.length} violations`,
    );
  }
}
