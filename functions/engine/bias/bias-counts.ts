/**
 * What SageMaker Clarify's bias metrics need of a window (BIAS.md): counts of rows by facet
 * (sensitive or not), label (positive or not) and predicted label, overall and per value of the
 * group variable. Counts merge across files, threads and fan-out workers; so does everything
 * else kept here (a numeric facet's largest value, the values that could not be counted).
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readList,
  readNumberOrOverflow,
  readObject,
  readString,
} from '../../contracts/json-fields.ts';

/** Index of a cell: sensitive facet (4), positive label (2), positive prediction (1). */
export function cellOf(sensitive: boolean, label: boolean, predicted: boolean): number {
  return (sensitive ? 4 : 0) + (label ? 2 : 0) + (predicted ? 1 : 0);
}

/** Why a row's facet value was not counted for one facet (the row still counts for the others). */
export type FacetRejectReason = 'facet_missing' | 'facet_not_numeric';

/** A reader-facing explanation of each {@link FacetRejectReason}. */
export const FACET_REJECT_REASON_TEXT: Readonly<Record<FacetRejectReason, string>> = {
  facet_missing: 'the facet column is empty or absent',
  facet_not_numeric: 'the facet has a threshold but its value is not a number',
};

const FACET_REJECT_REASONS = Object.keys(FACET_REJECT_REASON_TEXT) as FacetRejectReason[];

/** {@link BiasCounts} as JSON, for fan-out workers: groups as `[name, cells]` pairs (names are data). */
export interface BiasCountsJson {
  cells: number[];
  groups: [string, number[]][];
  /** `null` when no numeric facet value was counted. */
  max: number | null;
  rejected: Partial<Record<FacetRejectReason, number>>;
}

/** Rows counted into the eight facet x label x prediction cells. */
export class BiasCounts {
  readonly cells = new Float64Array(8);
  /** The same cells per value of the group variable (for CDDL and CDDPL). */
  readonly groups = new Map<string, Float64Array>();
  /**
   * The largest facet value counted, for a facet with a threshold: Clarify writes the sensitive
   * group as the interval `(threshold, max]`. `-Infinity` before any.
   */
  max = Number.NEGATIVE_INFINITY;
  /** Rows whose facet value could not be counted, by reason. */
  readonly rejected = new Map<FacetRejectReason, number>();

  /** Counts one row; `group` is its group variable's value, `null` without one. */
  add(sensitive: boolean, label: boolean, predicted: boolean, group: string | null): void {
    const c = cellOf(sensitive, label, predicted);
    this.cells[c]! += 1;
    if (group === null) return;
    let g = this.groups.get(group);
    if (g === undefined) {
      g = new Float64Array(8);
      this.groups.set(group, g);
    }
    g[c]! += 1;
  }

  /** Notes a numeric facet value of a counted row (for {@link max}). */
  noteValue(x: number): void {
    if (x > this.max) this.max = x;
  }

  /** Counts a row whose facet value could not be used. */
  reject(reason: FacetRejectReason): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  /** Rows counted in the cells. */
  get total(): number {
    let n = 0;
    for (let c = 0; c < 8; c++) n += this.cells[c]!;
    return n;
  }

  merge(other: BiasCounts): void {
    for (let c = 0; c < 8; c++) this.cells[c]! += other.cells[c]!;
    for (const [name, g] of other.groups) {
      const mine = this.groups.get(name);
      if (mine === undefined) this.groups.set(name, Float64Array.from(g));
      else for (let c = 0; c < 8; c++) mine[c]! += g[c]!;
    }
    if (other.max > this.max) this.max = other.max;
    for (const [reason, n] of other.rejected) this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + n);
  }

  toJSON(): BiasCountsJson {
    const rejected: Partial<Record<FacetRejectReason, number>> = {};
    for (const reason of FACET_REJECT_REASONS) {
      const n = this.rejected.get(reason);
      if (n !== undefined) rejected[reason] = n;
    }
    return {
      cells: Array.from(this.cells),
      // Sorted, so that parts merged in any order write the same JSON.
      groups: [...this.groups]
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([name, g]) => [name, Array.from(g)]),
      max: Number.isFinite(this.max) ? this.max : null,
      rejected,
    };
  }
}

function readCells(v: unknown, path: string, into: Float64Array): void {
  const list = readList(v, path);
  if (list.length !== 8) throw new JsonShapeError(path, `must hold 8 counts (got ${list.length})`);
  list.forEach((x, i) => {
    into[i] = readCount(x, at(path, i));
  });
}

/** Reads {@link BiasCountsJson} back (from a worker); errors name the field. */
export function readBiasCountsJson(v: unknown, path: string): BiasCounts {
  const o = readObject(v, path);
  const counts = new BiasCounts();
  readCells(fieldOf(o, 'cells'), at(path, 'cells'), counts.cells);
  const groups = readList(fieldOf(o, 'groups'), at(path, 'groups'));
  groups.forEach((pair, i) => {
    const where = at(at(path, 'groups'), i);
    const p = readList(pair, where);
    if (p.length !== 2) throw new JsonShapeError(where, 'must be a [name, cells] pair');
    const name = readString(p[0], at(where, 0));
    if (counts.groups.has(name)) throw new JsonShapeError(where, `repeats the group ${JSON.stringify(name)}`);
    const g = new Float64Array(8);
    readCells(p[1], at(where, 1), g);
    counts.groups.set(name, g);
  });
  const max = readNumberOrOverflow(fieldOf(o, 'max'), at(path, 'max'));
  counts.max = Number.isNaN(max) ? Number.NEGATIVE_INFINITY : max;
  const rejected = readObject(fieldOf(o, 'rejected'), at(path, 'rejected'));
  for (const reason of FACET_REJECT_REASONS) {
    const n = fieldOf(rejected, reason);
    if (n !== undefined) counts.rejected.set(reason, readCount(n, at(at(path, 'rejected'), reason)));
  }
  return counts;
}

/** Rows of `cells` whose facet, label and prediction pass the filters (`undefined`: any). */
export function count(
  cells: Float64Array,
  where: { sensitive?: boolean; label?: boolean; predicted?: boolean },
): number {
  let n = 0;
  for (let c = 0; c < 8; c++) {
    if (where.sensitive !== undefined && c >= 4 !== where.sensitive) continue;
    if (where.label !== undefined && ((c & 2) !== 0) !== where.label) continue;
    if (where.predicted !== undefined && ((c & 1) !== 0) !== where.predicted) continue;
    n += cells[c]!;
  }
  return n;
}
