/**
 * The profile of one monitoring window: record accounting plus one FeatureProfile per feature.
 * Window profiles merge (files profiled in parallel, fan-out workers), so a window can be
 * profiled in any number of parts and combined in any order.
 */
import type { FeatureSpec } from './capture-schema.ts';
import { FeatureProfile, type FeatureProfileJson, type ProfileLimits } from './feature-profile.ts';

export interface WindowProfileJson {
  format: 'driftwatch-window-profile';
  version: 1;
  window: { start: string | null; end: string | null };
  total: number;
  profiled: number;
  rows: number;
  outsideWindow: number;
  files: number;
  missingObjects?: number;
  rejectedByReason: Record<string, number>;
  limitsHit: Record<string, number>;
  limits: ProfileLimits;
  features: FeatureProfileJson[];
}

export class WindowProfile {
  /** Capture records read in the window (blank lines are not records). */
  total = 0;
  profiled = 0;
  /** Rows profiled: a record may carry several (batched CSV lines, JSON `instances`). */
  rows = 0;
  /** Records skipped because their inferenceTime is outside [start, end); not part of the window. */
  outsideWindow = 0;
  files = 0;
  /** Objects listed for the window but deleted before they could be read (nothing of them was read). */
  missingObjects = 0;
  readonly rejectedByReason = new Map<string, number>();
  /** Values not profiled because a configured limit was reached, by limit name. */
  readonly limitsHit = new Map<string, number>();
  readonly features = new Map<string, FeatureProfile>();

  constructor(
    readonly window: { start: string | null; end: string | null },
    readonly limits: ProfileLimits,
    specs: readonly FeatureSpec[] = [],
  ) {
    for (const s of specs) this.features.set(s.name, new FeatureProfile(s.name, s.role, s.kind, limits));
  }

  get rejected(): number {
    return this.total - this.profiled;
  }

  reject(reason: string): void {
    this.total++;
    this.rejectedByReason.set(reason, (this.rejectedByReason.get(reason) ?? 0) + 1);
  }

  noteLimit(limit: string, n = 1): void {
    this.limitsHit.set(limit, (this.limitsHit.get(limit) ?? 0) + n);
  }

  /** The profile of a feature the baseline does not know, created on first sight. */
  extraFeature(name: string, role: FeatureSpec['role']): FeatureProfile {
    let f = this.features.get(name);
    if (f === undefined) {
      f = new FeatureProfile(name, role, 'infer', this.limits);
      this.features.set(name, f);
    }
    return f;
  }

  merge(other: WindowProfile): void {
    this.total += other.total;
    this.profiled += other.profiled;
    this.rows += other.rows;
    this.outsideWindow += other.outsideWindow;
    this.files += other.files;
    this.missingObjects += other.missingObjects;
    for (const [r, n] of other.rejectedByReason)
      this.rejectedByReason.set(r, (this.rejectedByReason.get(r) ?? 0) + n);
    for (const [l, n] of other.limitsHit) this.noteLimit(l, n);
    for (const [name, f] of other.features) {
      const mine = this.features.get(name);
      if (mine === undefined) {
        const copy = new FeatureProfile(name, f.role, f.kind, this.limits);
        copy.merge(f);
        this.features.set(name, copy);
      } else mine.merge(f);
    }
  }

  toJSON(): WindowProfileJson {
    return {
      format: 'driftwatch-window-profile',
      version: 1,
      window: this.window,
      total: this.total,
      profiled: this.profiled,
      rows: this.rows,
      outsideWindow: this.outsideWindow,
      files: this.files,
      missingObjects: this.missingObjects,
      rejectedByReason: Object.fromEntries([...this.rejectedByReason.entries()].sort()),
      limitsHit: Object.fromEntries([...this.limitsHit.entries()].sort()),
      limits: this.limits,
      features: [...this.features.values()].map((f) => f.toJSON()),
    };
  }

  static fromJSON(j: WindowProfileJson): WindowProfile {
    if (j.format !== 'driftwatch-window-profile') throw new Error('not a driftwatch window profile');
    const w = new WindowProfile(j.window, j.limits);
    w.total = j.total;
    w.profiled = j.profiled;
    w.rows = j.rows;
    w.outsideWindow = j.outsideWindow;
    w.files = j.files;
    w.missingObjects = j.missingObjects ?? 0;
    for (const [r, n] of Object.entries(j.rejectedByReason)) w.rejectedByReason.set(r, n);
    for (const [l, n] of Object.entries(j.limitsHit ?? {})) w.limitsHit.set(l, n);
    for (const f of j.features) w.features.set(f.name, FeatureProfile.fromJSON(f));
    return w;
  }
}
