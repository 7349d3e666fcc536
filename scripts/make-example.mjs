// Writes the bundled example (examples/churn/): a churn model's training set and three hours of
// SageMaker data capture, the last hour visibly drifted, with ground-truth labels that arrive late.
// Seeded, so running it again writes the same bytes:  node scripts/make-example.mjs
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../examples/churn/', import.meta.url).pathname;
let seed = 20261126;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const pick = (items, weights) => {
  let u = rand() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < items.length; i++) {
    u -= weights[i];
    if (u < 0) return items[i];
  }
  return items.at(-1);
};
const uuid = () =>
  'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = Math.floor(rand() * 16);
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
const STATES = ['CA', 'NY', 'TX', 'FL', 'WA', 'IL', 'OH', 'GA'];
const PLANS = ['basic', 'plus', 'premium'];

// How much of evening use follows day use: heavy daytime callers call in the evening too. The
// correlation is what the multivariate check learns; the hour that breaks it keeps both marginals.
const DAY_EVE_CORRELATION = 0.9;

/**
 * One customer. `drift` 1: the drifted hour (day use and service calls up, a richer plan mix,
 * the model overconfident and scoring one state, FL, higher than its customers churn: bias);
 * `decorrelated`: an hour whose evening use no longer follows day use (a broken upstream join),
 * every single feature distributed as in training.
 */
function customer(drift, decorrelated = false) {
  const account_length = Math.max(1, Math.round(100 + 40 * normal()));
  const dayZ = normal();
  const day_mins = Math.max(0, +(180 + 54 * dayZ + drift * 60).toFixed(1));
  const eveZ = normal();
  const eveShared = decorrelated ? 0 : DAY_EVE_CORRELATION;
  const eve_mins = Math.max(
    0,
    +(200 + 50 * (eveShared * dayZ + Math.sqrt(1 - eveShared ** 2) * eveZ)).toFixed(1),
  );
  const night_mins = Math.max(0, +(200 + 50 * normal()).toFixed(1));
  const intl_mins = Math.max(0, +(10 + 2.8 * normal()).toFixed(1));
  const custserv_calls = Math.max(0, Math.round(1.5 + 1.3 * normal() + drift * 2));
  const state = pick(STATES, [12, 10, 9, 8, 5, 5, 4, 4]);
  const plan = pick(PLANS, drift ? [25, 30, 45] : [60, 28, 12]);
  const vmail = rand() < 0.27 ? 'yes' : 'no';
  const z =
    -1.4 +
    0.025 * (day_mins - 180) +
    0.9 * (custserv_calls - 1.5) +
    (plan === 'premium' ? -0.8 : 0) +
    (vmail === 'yes' ? -0.9 : 0);
  const score = 1 / (1 + Math.exp(-z));
  // Labels follow the score (a calibrated model) in normal hours; after the drift the model
  // is overconfident: real churn is lower than it predicts.
  const churn = rand() < (drift ? score * 0.6 : score) ? 1 : 0;
  // The drifted hour's model scores FL higher than its customers' churn warrants.
  const served = drift && state === 'FL' ? Math.min(0.99, score + 0.4) : score;
  return {
    account_length,
    day_mins,
    eve_mins,
    night_mins,
    intl_mins,
    custserv_calls,
    state,
    plan,
    vmail,
    score,
    served,
    churn,
  };
}

const FEATURES = [
  'account_length',
  'day_mins',
  'eve_mins',
  'night_mins',
  'intl_mins',
  'custserv_calls',
  'state',
  'plan',
  'vmail',
];
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

const train = [`churn,score,${FEATURES.join(',')}`];
for (let i = 0; i < 3000; i++) {
  const c = customer(0);
  train.push([c.churn, c.score.toFixed(6), ...FEATURES.map((f) => c[f])].join(','));
}
writeFileSync(join(root, 'train.csv'), `${train.join('\n')}\n`);
// Clarify's bias configuration of the example: is FL treated like the other states?
const biasConfig = {
  label: 'churn',
  label_values_or_threshold: [1],
  facet: [{ name_or_index: 'state', value_or_threshold: ['FL'] }],
  probability_threshold: 0.5,
  methods: { pre_training_bias: { methods: 'all' }, post_training_bias: { methods: 'all' } },
};
writeFileSync(join(root, 'analysis_config.json'), `${JSON.stringify(biasConfig, null, 2)}\n`);

const HOURS = [
  ['2026-11-26T03', 0],
  ['2026-11-26T04', 0],
  ['2026-11-26T05', 1],
  ['2026-11-26T06', 0, true],
];
const labelsByHour = new Map();
for (const [hour, drift, decorrelated] of HOURS) {
  const [date, hh] = hour.split('T');
  const [y, m, d] = date.split('-');
  const dir = join(root, 'capture', 'churn-xgb', 'AllTraffic', y, m, d, hh);
  mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 4; f++) {
    const lines = [];
    for (let i = 0; i < 200; i++) {
      const c = customer(drift, decorrelated);
      const sec = f * 900 + Math.floor(i * 4.5);
      const time = `${date}T${hh}:${String(Math.floor(sec / 60)).padStart(2, '0')}:${String(sec % 60).padStart(2, '0')}Z`;
      const eventId = uuid();
      lines.push(
        JSON.stringify({
          captureData: {
            endpointInput: {
              observedContentType: 'text/csv',
              mode: 'INPUT',
              data: FEATURES.map((k) => c[k]).join(','),
              encoding: 'CSV',
            },
            endpointOutput: {
              observedContentType: 'text/csv; charset=utf-8',
              mode: 'OUTPUT',
              data: c.served.toFixed(6),
              encoding: 'CSV',
            },
          },
          eventMetadata: { eventId, inferenceTime: time },
          eventVersion: '0',
        }),
      );
      // Labels arrive one or two hours after the request; a few never arrive.
      if (rand() < 0.9) {
        const late = `${date}T${String(Number(hh) + 1 + (rand() < 0.3 ? 1 : 0)).padStart(2, '0')}`;
        if (!labelsByHour.has(late)) labelsByHour.set(late, []);
        labelsByHour.get(late).push(
          JSON.stringify({
            groundTruthData: { data: String(c.churn), encoding: 'CSV' },
            eventMetadata: { eventId },
            eventVersion: '0',
          }),
        );
      }
    }
    writeFileSync(
      join(dir, `${String(f * 15).padStart(2, '0')}-00-000-${uuid()}.jsonl`),
      `${lines.join('\n')}\n`,
    );
  }
}
for (const [hour, lines] of labelsByHour) {
  const [date, hh] = hour.split('T');
  const [y, m, d] = date.split('-');
  const dir = join(root, 'ground-truth', 'churn-xgb', y, m, d, hh);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'labels.jsonl'), `${lines.join('\n')}\n`);
}
console.log(`wrote ${root}`);
