// A whole window, end to end through the CLI's pipeline, against the pandas + scipy peer
// (shared/bench/reference_monitor.py) run on the same files: fixtures/window-4k/reference.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runWindow } from '../../functions/pipeline/run-window.ts';
import { LocalStore } from '../../functions/sources/local-store.ts';
import { readTrainingData } from '../../functions/sources/training-data.ts';
import { expectDeepClose } from '../support/compare.ts';

const dir = new URL('../fixtures/window-4k/', import.meta.url).pathname;

describe('a generated window against reference_monitor.py', () => {
  it('matches every per-feature number to 1e-9', async () => {
    const reference = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8'));
    const baseline = await readTrainingData(new LocalStore(dir), 'train.csv', { labelColumn: 'label' });

    const { report } = await runWindow({
      baseline,
      baselinePath: dir,
      capture: new LocalStore(`${dir}capture`),
      start: null,
      end: null,
      now: new Date('2026-11-26T06:00:00Z'),
    });

    expect(report.records).toMatchObject({
      total: reference.records,
      profiled: reference.records,
      rejected: 0,
    });
    let compared = 0;
    for (const [name, expected] of Object.entries(reference.features)) {
      const feature = report.features.find((f) => f.name === name);
      compared += expectDeepClose(feature?.metrics, expected, name);
    }
    expect(compared).toBe(20 * 5 + 5 * 3); // numeric: ks (2), psi, js, wasserstein; categorical: linf, chi2 (2)
  });
});
