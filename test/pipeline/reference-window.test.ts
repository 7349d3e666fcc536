// A whole window, end to end through the CLI's pipeline, against the pandas + scipy peer
// (shared/bench/reference_monitor.py) run on the same files: fixtures/window-4k/reference.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectDeepClose } from '../support/compare.ts';
import { runWindow4k, WINDOW_4K } from '../support/window-4k.ts';

describe('a generated window against reference_monitor.py', () => {
  it('matches every per-feature number to 1e-9', async () => {
    const reference = JSON.parse(readFileSync(`${WINDOW_4K}reference.json`, 'utf8'));

    const { report } = await runWindow4k();

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
