/**
 * What SageMaker Clarify's bias metrics need of a window (BIAS.md): counts of rows by facet
 * (sensitive or not), label (positive or not) and predicted label, overall and per value of the
 * group variable. Counts merge across files, threads and fan-out workers.
 */

/** Index of a cell: sensitive facet (4), positive label (2), positive prediction (1). */
export function cellOf(sensitive: boolean, label: boolean, predicted: boolean): number {
  return (sensitive ? 4 : 0) + (label ? 2 : 0) + (predicted ? 1 : 0);
}

/** Rows counted into the eight facet x label x prediction cells. */
export class BiasCounts {
  readonly cells = new Float64Array(8);
  /** The same cells per value of the group variable (for CDDL and CDDPL). */
  readonly groups = new Map<string, Float64Array>();

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

  merge(other: BiasCounts): void {
    for (let c = 0; c < 8; c++) this.cells[c]! += other.cells[c]!;
    for (const [name, g] of other.groups) {
      const mine = this.groups.get(name);
      if (mine === undefined) this.groups.set(name, Float64Array.from(g));
      else for (let c = 0; c < 8; c++) mine[c]! += g[c]!;
    }
  }
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
