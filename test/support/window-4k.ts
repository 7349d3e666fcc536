// The generated 4,000-record window in fixtures/window-4k (20 numeric and 5 categorical
// features in 20 capture files, with its training set), run through the CLI's pipeline.
import {
  type RunWindowOptions,
  type RunWindowOutput,
  runWindow,
} from '../../functions/pipeline/run-window.ts';
import { readTrainingData } from '../../functions/sources/training-data.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';

export const WINDOW_4K = new URL('../fixtures/window-4k/', import.meta.url).pathname;

/** Runs the whole window against a baseline of its training set; `options` override the defaults. */
export async function runWindow4k(options: Partial<RunWindowOptions> = {}): Promise<RunWindowOutput> {
  const baseline = await readTrainingData(new LocalStore(WINDOW_4K), 'train.csv', { labelColumn: 'label' });
  return runWindow({
    baseline,
    baselinePath: WINDOW_4K,
    capture: new LocalStore(`${WINDOW_4K}capture`),
    start: null,
    end: null,
    now: new Date('2026-11-26T06:00:00Z'),
    ...options,
  });
}
