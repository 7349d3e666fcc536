// `npm run bench`: measures `driftwatch run` on generated capture windows of 100k and 1M records
// (5M with --5m): records/s, MB/s, wall time and peak resident memory, with the peers of the
// shared benchmark (pandas + scipy reference, the JSON.parse floor, and for model quality the
// pandas + scikit-learn peer on the same labels) measured back to back on the same files when
// they are available. The DuckDB peer needs @duckdb/node-api installed somewhere
// outside the project (`mkdir /tmp/duck && cd /tmp/duck && npm install @duckdb/node-api`); pass
// that folder with --duckdb.
//   npm run bench [-- --sizes 100000,1000000] [--5m] [--data DIR] [--peers DIR] [--workers N]
//                 [--duckdb DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    '5m': { type: 'boolean', default: false },
    data: { type: 'string', default: 'bench-data' },
    peers: { type: 'string', default: resolve('../shared/bench') },
    workers: { type: 'string' },
    duckdb: { type: 'string' },
  },
});
const sizes = values.sizes.split(',').map(Number);
if (values['5m']) sizes.push(5_000_000);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS in MB. */
function measure(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = TIME
    ? spawnSync(TIME, ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  const last = TIME ? r.stderr.trim().split('\n').at(-1).split(' ') : null;
  return { wall, rssMb: last ? Number(last[1]) / 1024 : Number.NaN, stdout: r.stdout, stderr: r.stderr };
}

/** The generated window is all valid capture: a run that rejects any of it is wrong, not fast. */
function checkAccounted(out, n) {
  const { records } = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  if (records.profiled !== n || records.rejected !== 0) {
    console.error(
      `driftwatch profiled ${records.profiled} of ${n} records: ${JSON.stringify(records.rejectedByReason)}`,
    );
    process.exit(1);
  }
}

/** driftwatch's quality metrics equal the peer's (printed as JSON on its stderr) to 1e-9. */
function checkQualityAgrees(out, peerStderr) {
  const peer = JSON.parse(
    peerStderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{'))
      .replace(/\}\s.*$/, '}'),
  );
  const { quality } = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  for (const k of ['accuracy', 'precision', 'recall', 'f1', 'auc'])
    if (Math.abs(quality.metrics[k] - peer[k]) > 1e-9) {
      console.error(`quality ${k}: driftwatch ${quality.metrics[k]}, peer ${peer[k]}`);
      process.exit(1);
    }
  if (quality.matched !== peer.matched) {
    console.error(`matched: driftwatch ${quality.matched}, peer ${peer.matched}`);
    process.exit(1);
  }
}

const bytesUnder = (dir) =>
  readdirSync(dir, { recursive: true }).reduce((s, f) => {
    const p = join(dir, String(f));
    return statSync(p).isFile() ? s + statSync(p).size : s;
  }, 0);

const rows = [];
for (const n of sizes) {
  const dir = join(values.data, String(n));
  if (!existsSync(join(dir, 'train.csv')) || !existsSync(join(dir, 'ground-truth'))) {
    console.error(`generating ${n} records in ${dir} ...`);
    const g = spawnSync('node', ['scripts/gen-capture.mjs', dir, '--records', String(n), '--files', '20'], {
      stdio: 'inherit',
    });
    if (g.status !== 0) process.exit(1);
  }
  const capture = join(dir, 'capture');
  const mb = bytesUnder(capture) / 1e6;
  const base = join(dir, 'baseline');
  const baselineArgs = ['bin/driftwatch.mjs', 'baseline', join(dir, 'train.csv'), '--label-column', 'label'];
  if (!existsSync(join(base, 'multivariate.json'))) measure('node', [...baselineArgs, '--out', base]);
  // The same baseline without the multivariate model: what the multivariate score costs.
  const univariate = join(dir, 'baseline-univariate');
  if (!existsSync(join(univariate, 'baseline.json')))
    measure('node', [...baselineArgs, '--no-multivariate', '--out', univariate]);
  const runArgs = [
    'bin/driftwatch.mjs',
    'run',
    '--baseline',
    base,
    '--capture',
    capture,
    '--out',
    join(dir, 'out'),
  ];
  if (values.workers) runArgs.push('--workers', values.workers);
  const dw = measure('node', runArgs);
  checkAccounted(join(dir, 'out'), n);
  const withoutMultivariate = measure(
    'node',
    runArgs.map((a) => (a === base ? univariate : a)),
  );
  checkAccounted(join(dir, 'out'), n);
  rows.push({ tool: 'driftwatch run, no multivariate model', n, mb, ...withoutMultivariate });
  const one = measure('node', [...runArgs, '--workers', '1']);
  checkAccounted(join(dir, 'out'), n);
  rows.push({ tool: 'driftwatch run', n, mb, ...dw });
  rows.push({ tool: 'driftwatch run --workers 1', n, mb, ...one });
  if (existsSync(join(values.peers, 'floor.mjs')))
    rows.push({
      tool: 'floor.mjs (one core)',
      n,
      mb,
      ...measure('node', [join(values.peers, 'floor.mjs'), capture]),
    });
  const duck = values.duckdb && resolve(values.duckdb);
  if (
    duck &&
    existsSync(join(duck, 'node_modules/@duckdb/node-api')) &&
    existsSync(join(values.peers, 'duckdb_peer.mjs'))
  ) {
    // Run from the folder that has the package, so its import resolves.
    copyFileSync(join(values.peers, 'duckdb_peer.mjs'), join(duck, 'duckdb_peer.mjs'));
    rows.push({
      tool: 'duckdb_peer.mjs (KS + L-inf only)',
      n,
      mb,
      ...measure('node', [join(duck, 'duckdb_peer.mjs'), resolve(capture), resolve(join(dir, 'train.csv'))]),
    });
  }
  // Model quality: every record labelled, drift and quality in one run, against the pandas +
  // scikit-learn peer (quality only) on the same files; the metrics must agree to 1e-9.
  const labelled = measure('node', [
    ...runArgs,
    '--ground-truth',
    join(dir, 'ground-truth'),
    '--problem-type',
    'BinaryClassification',
  ]);
  checkAccounted(join(dir, 'out'), n);
  rows.push({ tool: 'driftwatch run --ground-truth (drift + quality)', n, mb, ...labelled });
  const py = '/usr/bin/python3';
  const qualityPeer = join(values.peers, 'quality_peer.py');
  if (
    existsSync(qualityPeer) &&
    spawnSync(py, ['-c', 'import pandas, sklearn']).status === 0 &&
    n <= 1_000_000
  ) {
    const peer = measure(py, [qualityPeer, capture, join(dir, 'ground-truth')]);
    rows.push({ tool: 'quality_peer.py (pandas+sklearn, quality only)', n, mb, ...peer });
    checkQualityAgrees(join(dir, 'out'), peer.stderr);
  }
  const ref = join(values.peers, 'reference_monitor.py');
  if (existsSync(ref) && spawnSync(py, ['-c', 'import pandas, scipy']).status === 0 && n <= 1_000_000)
    rows.push({
      tool: 'reference_monitor.py (pandas+scipy)',
      n,
      mb,
      ...measure(py, [ref, join(dir, 'train.csv'), capture]),
    });
}

console.log('\n| records | tool | wall s | records/s | MB/s | peak RSS MB |');
console.log('|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.n.toLocaleString('en-US')} | ${r.tool} | ${r.wall.toFixed(2)} | ${Math.round(r.n / r.wall).toLocaleString('en-US')} | ${(r.mb / r.wall).toFixed(0)} | ${r.rssMb.toFixed(0)} |`,
  );
for (const n of sizes) {
  const dw = rows.find((r) => r.n === n && r.tool === 'driftwatch run');
  const ref = rows.find((r) => r.n === n && r.tool.startsWith('reference'));
  const floor = rows.find((r) => r.n === n && r.tool.startsWith('floor'));
  const one = rows.find((r) => r.n === n && r.tool === 'driftwatch run --workers 1');
  const duckdb = rows.find((r) => r.n === n && r.tool.startsWith('duckdb'));
  const quality = rows.find((r) => r.n === n && r.tool.startsWith('driftwatch run --ground-truth'));
  const qualityPeer = rows.find((r) => r.n === n && r.tool.startsWith('quality_peer'));
  const univariate = rows.find((r) => r.n === n && r.tool.endsWith('no multivariate model'));
  console.log(
    `${n}: driftwatch run / the same without the multivariate score = ${(dw.wall / univariate.wall).toFixed(2)}x`,
  );
  if (qualityPeer)
    console.log(
      `${n}: quality_peer.py / driftwatch run --ground-truth = ${(qualityPeer.wall / quality.wall).toFixed(1)}x (metrics equal to 1e-9)`,
    );
  if (duckdb) console.log(`${n}: duckdb_peer.mjs / driftwatch = ${(duckdb.wall / dw.wall).toFixed(1)}x`);
  if (ref) console.log(`${n}: reference_monitor.py / driftwatch = ${(ref.wall / dw.wall).toFixed(1)}x`);
  if (floor) console.log(`${n}: driftwatch on one core / floor = ${(one.wall / floor.wall).toFixed(2)}x`);
}
