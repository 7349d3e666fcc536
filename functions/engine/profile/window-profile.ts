/**
 * The profile of one monitoring window: record accounting plus one FeatureProfile per feature.
 * Window profiles merge (files profiled in parallel, fan-out workers), so a window can be
 * profiled in any number of parts and combined in any order.
 */
import type { FeatureSpec } from './capture-schema.ts';
import { FeatureProfile, type FeatureProfileJson, type ProfileLimits } from './feature-profile.ts';

/** What an output is called when an input has its name (README: "One input, one feature"). */
export const OUTPUT_SUFFIX = '_output';
/** What an input is called when the baseline knows its name as an output. */
export const INPUT_SUFFIX = '_input';

/** `NAME_output`: an output's name beside an input of the same name. */
export function outputName(name: string): string {
  return `${name}${OUTPUT_SUFFIX}`;
}

/**
 * Limits of a feature the baseline does not know. Its name and values come from the client and
 * it is never compared, only counted and described: enough categories to know whether
 * statistics.json lists them (CATEGORICAL_BUCKET_LIMIT) and a thousand exact values, so a
 * client sending thousands of keys with many values costs about 100 KB a key, not megabytes.
 */
export function extraLimits(limits: ProfileLimits): ProfileLimits {
  return {
    exactCap: Math.min(limits.exactCap, EXTRA_EXACT_CAP),
    maxCategories: Math.min(limits.maxCategories, EXTRA_MAX_CATEGORIES),
  };
}

/** Exact values kept for a feature the baseline does not know. */
export const EXTRA_EXACT_CAP = 1_000;
/** Categories counted for a feature the baseline does not know: statistics.json lists at most 120. */
export const EXTRA_MAX_CATEGORIES = 121;

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
  /** Present (true) for SageMaker's merged layout, where the capture decides each column's side. */
  sidesFromCapture?: true;
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
  /** The baseline's feature names: they keep their side whatever the capture does. */
  private readonly specNames = new Set<string>();

  /**
   * @param sidesFromCapture SageMaker's merged layout: the baseline lists columns without saying
   *   which are outputs, so the capture decides (a column used as an output is the output).
   */
  constructor(
    readonly window: { start: string | null; end: string | null },
    readonly limits: ProfileLimits,
    specs: readonly FeatureSpec[] = [],
    readonly sidesFromCapture = false,
  ) {
    for (const s of specs) {
      this.features.set(s.name, new FeatureProfile(s.name, s.role, s.kind, limits));
      this.specNames.add(s.name);
    }
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
      f = new FeatureProfile(name, role, 'infer', extraLimits(this.limits));
      this.features.set(name, f);
    }
    return f;
  }

  /**
   * The profile an input named `name` goes to. One name, one feature: an output that took the
   * name first (an extra the baseline does not know) moves to `NAME_output`, the name outputs
   * get when an input has theirs, so the outcome does not depend on which side came first. An
   * input named as one of the baseline's outputs is profiled as `NAME_input`.
   */
  inputFeature(name: string): FeatureProfile {
    const f = this.features.get(name);
    if (f === undefined || f.role === 'input') return f ?? this.extraFeature(name, 'input');
    if (this.sidesFromCapture && this.specNames.has(name)) return f;
    if (this.specNames.has(name)) return this.sideFeature(`${name}${INPUT_SUFFIX}`, 'input');
    // The same object is renamed: slots cached for CSV columns keep pointing at it.
    this.features.delete(name);
    const moved = outputName(name);
    const there = this.features.get(moved);
    f.name = moved;
    if (there === undefined) this.features.set(moved, f);
    else there.merge(f);
    return this.extraFeature(name, 'input');
  }

  /** The profile an output named `name` goes to: `NAME_output` when an input has the name. */
  outputFeature(name: string): FeatureProfile {
    const f = this.features.get(name);
    if (f === undefined || f.role === 'output') return f ?? this.extraFeature(name, 'output');
    if (this.sidesFromCapture && this.specNames.has(name)) {
      f.role = 'output';
      return f;
    }
    return this.sideFeature(outputName(name), 'output');
  }

  /** The profile of `role` for `name`, whichever side the name belongs to. */
  featureFor(name: string, role: FeatureSpec['role']): FeatureProfile {
    return role === 'input' ? this.inputFeature(name) : this.outputFeature(name);
  }

  private sideFeature(name: string, role: FeatureSpec['role']): FeatureProfile {
    const f = this.features.get(name);
    return f !== undefined && f.role === role ? f : this.extraFeature(name, role);
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
        // The copy keeps the part's own limits (a feature the baseline does not know has smaller ones).
        const limits = {
          exactCap: f.numeric?.cap ?? this.limits.exactCap,
          maxCategories: f.categorical?.maxCategories ?? this.limits.maxCategories,
        };
        const copy = new FeatureProfile(name, f.role, f.kind, limits);
        copy.merge(f);
        this.features.set(name, copy);
      } else if (mine.role === f.role) mine.merge(f);
      else if (this.sidesFromCapture || other.sidesFromCapture) {
        // Merged layout: a column some part saw used as an output is the output.
        mine.role = 'output';
        mine.merge(f);
      }
      // The parts saw the name on different sides: the same rule as within one part.
      else this.featureFor(name, f.role).merge(f);
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
      ...(this.sidesFromCapture ? { sidesFromCapture: true as const } : {}),
      features: [...this.features.values()].map((f) => f.toJSON()),
    };
  }

  static fromJSON(j: WindowProfileJson): WindowProfile {
    if (j.format !== 'driftwatch-window-profile') throw new Error('not a driftwatch window profile');
    const w = new WindowProfile(j.window, j.limits, [], j.sidesFromCapture === true);
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
