/**
 * Profile limits that fit a function's memory (issue 17, "memory bounded by configuration, not
 * by the client"). Each limit bounds what a client can make one window cost: the longest line
 * read, how many client-chosen columns are profiled, and how much each of the baseline's
 * features keeps. Their worst cases, measured with the bundled command (`test/cli/memory-worst-case.test.ts`
 * runs them under a heap of the derived size):
 *
 * - a line of L bytes of tiny CSV records peaks at about 19 L (8 MB: 204 MB, 16 MB: 347 MB,
 *   32 MB: 646 MB of resident memory, of which about 60 MB is the process itself);
 * - a column the baseline does not know costs at most about 150 KB (2,000 such keys with long
 *   distinct texts and numbers in every record: 391 MB);
 * - a numeric feature of the baseline keeps up to `exactCap` exact values (16 bytes each while
 *   its array grows), a categorical one up to `maxCategories` texts of up to 256 characters
 *   (about 600 bytes each with its map entry).
 *
 * The budget is 80% of the memory less the runtime; the line and the unknown columns get 40%
 * each, the baseline's features the rest. The defaults (32 MB lines, 2,000 columns, 100,000
 * exact values, 10,000 categories) are the most any memory size gets.
 */
import { DEFAULT_MAX_CATEGORIES } from './categorical-profile.ts';
import type { ProfileLimits } from './feature-profile.ts';
import { DEFAULT_EXACT_CAP } from './numeric-profile.ts';

const MB = 1024 * 1024;
/** What the process needs besides the window's profile: Node, the AWS SDK, the code. */
export const RUNTIME_MB = 150;
/** Peak memory per byte of the longest line (measured: about 19). */
export const LINE_COST = 20;
/** Peak memory per column the baseline does not know (measured: about 150 KB). */
export const UNKNOWN_COLUMN_BYTES = 160 * 1024;
/** Peak memory per exact value of a baseline feature. */
export const EXACT_VALUE_BYTES = 16;
/** Peak memory per category of a baseline feature (a text of up to 256 characters and its entry). */
export const CATEGORY_BYTES = 640;

/** The largest line, column count and per-feature limits any memory size gets (the CLI's defaults). */
export const MAX_LINE_BYTES = 32 * MB;
export const MAX_COLUMNS = 2_000;

/** Limits for a window profiled in `memoryMb`, and the worst case they allow. */
export interface MemoryLimits {
  maxLineBytes: number;
  maxColumns: number;
  limits: ProfileLimits;
  /** The worst-case memory (MB) of a window at these limits, runtime included. */
  worstCaseMb: number;
}

/**
 * The limits of a window profiled within `memoryMb`, for a baseline with `numeric` and
 * `categorical` features. Below about 250 MB the limits reach their floors (1 MB lines, 100
 * columns, 1,000 exact values, 200 categories) and the worst case may not fit: the caller
 * should say so.
 */
export function limitsForMemory(
  memoryMb: number,
  baseline: { numeric: number; categorical: number },
): MemoryLimits {
  if (!(memoryMb > 0)) throw new RangeError(`memory must be a positive number of MB (got ${memoryMb})`);
  const budget = Math.max(0, memoryMb * 0.8 - RUNTIME_MB) * MB;
  const maxLineBytes = clamp(Math.floor((0.4 * budget) / LINE_COST), MB, MAX_LINE_BYTES);
  const maxColumns = clamp(Math.floor((0.4 * budget) / UNKNOWN_COLUMN_BYTES), 100, MAX_COLUMNS);
  // The baseline's features share the rest: numeric by exact values, categorical by categories.
  const featureBudget = 0.2 * budget;
  const features = baseline.numeric + baseline.categorical;
  const share = features === 0 ? featureBudget : featureBudget / features;
  const exactCap = clamp(Math.floor(share / EXACT_VALUE_BYTES), 1_000, DEFAULT_EXACT_CAP);
  const maxCategories = clamp(Math.floor(share / CATEGORY_BYTES), 200, DEFAULT_MAX_CATEGORIES);
  const worstCaseMb =
    RUNTIME_MB +
    (maxLineBytes * LINE_COST +
      maxColumns * UNKNOWN_COLUMN_BYTES +
      baseline.numeric * exactCap * EXACT_VALUE_BYTES +
      baseline.categorical * maxCategories * CATEGORY_BYTES) /
      MB;
  return {
    maxLineBytes,
    maxColumns,
    limits: { exactCap, maxCategories },
    worstCaseMb: Math.ceil(worstCaseMb),
  };
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}
