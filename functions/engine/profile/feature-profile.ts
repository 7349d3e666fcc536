/**
 * Everything the monitor keeps about one feature in one window (or in the baseline): missing
 * and mistyped counts, the value classes SageMaker's type inference needs, and the numeric or
 * categorical distribution. A feature whose type is not known yet (`infer`, when building a
 * baseline or meeting a column the baseline lacks) keeps both distributions.
 */
import {
  at,
  fieldOf,
  readCount,
  readObject,
  readOneOf,
  readOptional,
  readString,
} from '../../contracts/json-fields.ts';
import { asciiText, FieldStatus } from '../capture/capture-bytes.ts';
import type { FeatureRole } from '../capture/capture-record.ts';
import {
  decimalValue,
  isIntegralText,
  parseDecimalSpan,
  SpanStatus,
  spanIntegral,
  spanStatus,
} from '../capture/value-parse.ts';
import {
  CategoricalProfile,
  type CategoricalProfileJson,
  DEFAULT_MAX_CATEGORIES,
  readCategoricalProfileJson,
} from './categorical-profile.ts';
import {
  DEFAULT_EXACT_CAP,
  NumericProfile,
  type NumericProfileJson,
  readNumericProfileJson,
} from './numeric-profile.ts';

export type FeatureKind = 'numeric' | 'categorical';

export type ProfileKind = FeatureKind | 'infer';

/** SageMaker's inferred types. */
export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

/** Limits a profile honours; all configurable, all reported when hit. */
export interface ProfileLimits {
  /** Numeric values kept exactly per feature before switching to a sketch. */
  exactCap: number;
  /** Distinct categorical values counted exactly per feature. */
  maxCategories: number;
}

export const DEFAULT_LIMITS: ProfileLimits = {
  exactCap: DEFAULT_EXACT_CAP,
  maxCategories: DEFAULT_MAX_CATEGORIES,
};

export interface FeatureProfileJson {
  name: string;
  role: FeatureRole;
  kind: ProfileKind;
  missing: number;
  integral: number;
  fractional: number;
  text: number;
  numeric?: NumericProfileJson;
  categorical?: CategoricalProfileJson;
}

const ROLES: readonly FeatureRole[] = ['input', 'output'];
const PROFILE_KINDS: readonly ProfileKind[] = ['numeric', 'categorical', 'infer'];

/** Checks a parsed {@link FeatureProfileJson} (from a baseline file or a worker); errors name the field. */
export function readFeatureProfileJson(v: unknown, path: string): FeatureProfileJson {
  const o = readObject(v, path);
  const j: FeatureProfileJson = {
    name: readString(fieldOf(o, 'name'), at(path, 'name')),
    role: readOneOf(fieldOf(o, 'role'), at(path, 'role'), ROLES),
    kind: readOneOf(fieldOf(o, 'kind'), at(path, 'kind'), PROFILE_KINDS),
    missing: readCount(fieldOf(o, 'missing'), at(path, 'missing')),
    integral: readCount(fieldOf(o, 'integral'), at(path, 'integral')),
    fractional: readCount(fieldOf(o, 'fractional'), at(path, 'fractional')),
    text: readCount(fieldOf(o, 'text'), at(path, 'text')),
  };
  const numeric = readOptional(o, 'numeric', path, readNumericProfileJson);
  if (numeric !== undefined) j.numeric = numeric;
  const categorical = readOptional(o, 'categorical', path, readCategoricalProfileJson);
  if (categorical !== undefined) j.categorical = categorical;
  return j;
}

export class FeatureProfile {
  missing = 0;
  /** Present values by class. `text` counts values that are not finite decimal numbers. */
  integral = 0;
  fractional = 0;
  text = 0;
  numeric: NumericProfile | null;
  categorical: CategoricalProfile | null;

  constructor(
    public name: string,
    /** `output` once the feature has been seen in a response payload. */
    public role: FeatureRole,
    readonly kind: ProfileKind,
    limits: ProfileLimits = DEFAULT_LIMITS,
  ) {
    this.numeric = kind === 'categorical' ? null : new NumericProfile(limits.exactCap);
    this.categorical = kind === 'numeric' ? null : new CategoricalProfile(limits.maxCategories);
  }

  /** Values present (not missing), whatever their type. */
  get present(): number {
    return this.integral + this.fractional + this.text;
  }

  /** Present values a numeric feature could not use. Categorical features take any value. */
  get typeMismatch(): number {
    return this.kind === 'numeric' ? this.text : 0;
  }

  /** Adds a value given as text (a CSV field, or a JSON string). */
  addText(s: string): void {
    if (this.kind === 'categorical') {
      if (s.length === 0) {
        this.missing++;
        return;
      }
      this.text++;
      this.categorical!.add(s);
      return;
    }
    if (s.length === 0) {
      this.missing++;
      return;
    }
    const x = decimalValue(s);
    if (!Number.isNaN(x)) {
      if (isIntegralText(s)) this.integral++;
      else this.fractional++;
      this.numeric!.add(x);
      this.categorical?.add(s);
      return;
    }
    // Not a finite number: a type mismatch for numeric features, a category otherwise.
    this.text++;
    this.categorical?.add(s);
  }

  /**
   * Adds the CSV field text[start, end) of an unquoted record. A numeric feature parses it in
   * place (no string is cut out for it); anything the fast parser leaves undecided, and every
   * other kind of feature, goes through addText.
   */
  addCsvSpan(text: string, start: number, end: number): void {
    if (this.kind !== 'numeric') {
      this.addText(text.slice(start, end));
      return;
    }
    const x = parseDecimalSpan(text, start, end);
    if (spanStatus === SpanStatus.Decimal) {
      if (spanIntegral) this.integral++;
      else this.fractional++;
      this.numeric!.add(x);
      return;
    }
    if (spanStatus === SpanStatus.Empty) {
      this.missing++;
      return;
    }
    this.addText(text.slice(start, end));
  }

  /**
   * Adds the CSV field bytes[start, end) of a capture line read by the fast path (printable
   * ASCII, unquoted), which has already parsed it (`status`, and `x` for a decimal): what
   * addText would do with its text, with no string made for numbers or for categories already
   * counted.
   */
  addField(status: FieldStatus, x: number, bytes: Uint8Array, start: number, end: number): void {
    if (status === FieldStatus.Empty) {
      this.missing++;
      return;
    }
    if (this.kind === 'categorical') {
      this.text++;
      this.categorical!.addBytes(bytes, start, end);
      return;
    }
    if (status === FieldStatus.Other) {
      this.addText(asciiText(bytes, start, end));
      return;
    }
    if (status === FieldStatus.Integral) this.integral++;
    else this.fractional++;
    this.numeric!.add(x);
    this.categorical?.addBytes(bytes, start, end);
  }

  /** Adds a value from a JSON payload. */
  addJson(v: unknown): void {
    if (v === null || v === undefined) {
      this.missing++;
      return;
    }
    if (typeof v === 'string') {
      this.addText(v);
      return;
    }
    if (typeof v === 'number') {
      if (this.kind === 'categorical') {
        this.text++;
        this.categorical!.add(String(v));
        return;
      }
      if (Number.isFinite(v)) {
        if (Number.isInteger(v)) this.integral++;
        else this.fractional++;
        this.numeric!.add(v);
      } else this.text++;
      this.categorical?.add(String(v));
      return;
    }
    this.text++;
    this.categorical?.add(typeof v === 'boolean' ? String(v) : jsonText(v));
  }

  /** Records a value known to be missing (a JSON key absent from a row). */
  addMissing(): void {
    this.missing++;
  }

  /** Row stamp of the last value added; the profiler uses it to find absent JSON keys. */
  stamp = 0;

  /**
   * The profiler's row-sink column of this feature: -2 not looked up yet, -1 none (see
   * row-sink.ts). Resolved once per feature, so a row pays one comparison per column.
   */
  tap = -2;

  merge(other: FeatureProfile): void {
    this.missing += other.missing;
    this.integral += other.integral;
    this.fractional += other.fractional;
    this.text += other.text;
    if (this.numeric && other.numeric) this.numeric.merge(other.numeric);
    if (this.categorical && other.categorical) this.categorical.merge(other.categorical);
  }

  /**
   * SageMaker's type inference: a column with any non-numeric value is String; else Fractional
   * if any value has a fraction or exponent; else Integral; Unknown when nothing is present.
   */
  inferredType(): InferredType {
    if (this.present === 0) return 'Unknown';
    if (this.text > 0) return 'String';
    return this.fractional > 0 ? 'Fractional' : 'Integral';
  }

  /** The same profile narrowed to one kind (drops the distribution the kind does not use). */
  narrowTo(kind: FeatureKind): FeatureProfile {
    const p = new FeatureProfile(this.name, this.role, kind);
    p.missing = this.missing;
    p.integral = this.integral;
    p.fractional = this.fractional;
    p.text = this.text;
    p.numeric = kind === 'numeric' ? this.numeric : null;
    p.categorical = kind === 'categorical' ? this.categorical : null;
    return p;
  }

  toJSON(): FeatureProfileJson {
    const j: FeatureProfileJson = {
      name: this.name,
      role: this.role,
      kind: this.kind,
      missing: this.missing,
      integral: this.integral,
      fractional: this.fractional,
      text: this.text,
    };
    if (this.numeric) j.numeric = this.numeric.toJSON();
    if (this.categorical) j.categorical = this.categorical.toJSON();
    return j;
  }

  static fromJSON(j: FeatureProfileJson): FeatureProfile {
    const p = new FeatureProfile(j.name, j.role, j.kind);
    p.missing = j.missing;
    p.integral = j.integral;
    p.fractional = j.fractional;
    p.text = j.text;
    p.numeric = j.numeric ? NumericProfile.fromJSON(j.numeric) : null;
    p.categorical = j.categorical ? CategoricalProfile.fromJSON(j.categorical) : null;
    return p;
  }
}

/**
 * A nested JSON value as category text. JSON.stringify recurses, so a hostile value nested
 * deeper than the stack allows (it parsed fine: JSON.parse does not recurse) gets a fixed text.
 */
function jsonText(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return Array.isArray(v) ? '[nested too deep]' : '{nested too deep}';
  }
}
