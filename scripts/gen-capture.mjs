// Writes a synthetic window of SageMaker data capture for benchmarks, in the layout of the
// shared workload generator: OUT/train.csv (label + 20 numeric + 5 categorical columns, N/2 rows)
// and OUT/capture/ENDPOINT/AllTraffic/yyyy/mm/dd/hh/*.jsonl (N records over F files, CSV input,
// one score output), and OUT/ground-truth/ENDPOINT/yyyy/mm/dd/hh/labels.jsonl (every record
// labelled, collected the hour after). Seeded and streamed, so 5M records need no more memory
// than 100k.
//   node scripts/gen-capture.mjs OUT --records N [--files F] [--drift D] [--seed S]
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: 'string', default: '100000' },
    files: { type: 'string', default: '10' },
    drift: { type: 'string', default: '0.2' },
    seed: { type: 'string', default: '5' },
  },
});
const out = positionals[0];
if (!out) throw new Error('usage: gen-capture.mjs OUT --records N [--files F] [--drift D] [--seed S]');
const N = Number(values.records);
const F = Number(values.files);
const DRIFT = Number(values.drift);
let state = Number(values.seed) >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const CATS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const hex = (n) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');

function row(drift) {
  const num = [];
  for (let j = 0; j < 20; j++) {
    const scale = 1 + (j % 4);
    num.push(Math.round((10 * j + drift * scale + scale * normal()) * 1e4) / 1e4);
  }
  const p = [0.4, 0.25, 0.15, 0.12, 0.08];
  if (drift > 0) {
    const move = Math.min(drift, p[0]);
    p[0] -= move;
    p[4] += move;
  }
  const cat = [];
  for (let j = 0; j < 5; j++) {
    let u = rand() - p[0];
    let k = 0;
    while (k < 4 && u >= 0) {
      k++;
      u -= p[k];
    }
    cat.push(CATS[k]);
  }
  const z = num[0] + (cat[0] === 'alpha' ? 0.8 : 0);
  const prob = 1 / (1 + Math.exp(-z));
  return { num, cat, prob, label: rand() < prob ? 1 : 0 };
}

async function write(stream, text) {
  if (!stream.write(text)) await new Promise((r) => stream.once('drain', r));
}

mkdirSync(out, { recursive: true });
const train = createWriteStream(join(out, 'train.csv'));
await write(
  train,
  `label,${[...Array(20).keys()].map((j) => `num_${j}`).join(',')},${[...Array(5).keys()].map((j) => `cat_${j}`).join(',')}\n`,
);
for (let i = 0; i < Math.max(1, N / 2); i++) {
  const r = row(0);
  await write(train, `${r.label},${r.num.join(',')},${r.cat.join(',')}\n`);
}
await new Promise((r) => train.end(r));

const dir = join(out, 'capture', 'churn-xgb', 'AllTraffic', '2026', '11', '26', '05');
mkdirSync(dir, { recursive: true });
const labelDir = join(out, 'ground-truth', 'churn-xgb', '2026', '11', '26', '06');
mkdirSync(labelDir, { recursive: true });
const labels = createWriteStream(join(labelDir, 'labels.jsonl'));
const perFile = Math.ceil(N / F);
for (let f = 0; f < F; f++) {
  const s = createWriteStream(join(dir, `11-${String(f).padStart(3, '0')}-${hex(8)}.jsonl`));
  for (let i = f * perFile; i < Math.min(N, (f + 1) * perFile); i++) {
    const r = row(DRIFT);
    const sec = Math.floor((i * 3600) / N);
    const time = `2026-11-26T05:${String(Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}Z`;
    const rec = {
      captureData: {
        endpointInput: {
          observedContentType: 'text/csv',
          mode: 'INPUT',
          data: `${r.num.join(',')},${r.cat.join(',')}`,
          encoding: 'CSV',
        },
        endpointOutput: {
          observedContentType: 'text/csv; charset=utf-8',
          mode: 'OUTPUT',
          data: String(Math.round(r.prob * 1e6) / 1e6),
          encoding: 'CSV',
        },
      },
      eventMetadata: { eventId: `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`, inferenceTime: time },
      eventVersion: '0',
    };
    await write(s, `${JSON.stringify(rec)}\n`);
    const label = {
      groundTruthData: { data: String(r.label), encoding: 'CSV' },
      eventMetadata: { eventId: rec.eventMetadata.eventId },
      eventVersion: '0',
    };
    await write(labels, `${JSON.stringify(label)}\n`);
  }
  await new Promise((r) => s.end(r));
}
await new Promise((r) => labels.end(r));
console.log(`wrote ${N} records in ${F} files under ${out}`);
