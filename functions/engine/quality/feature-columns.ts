/**
 * The slice features of a window's predictions, kept column by column until the labels are
 * joined: for a feature sliced by numeric bins the number slicing reads (8 bytes a record), for
 * one sliced by category a code into the feature's categories (4 bytes). Kept as they came, a
 * record's features cost a string per value and an object (about 1 KB for 25 features), which
 * is what bounded the labelled records a run could hold. Records read their values back through
 * a view that behaves as a `FeatureValues` object, so slicing reads them as it reads any other.
 */
import { parseFiniteNumber } from './labelled-records.ts';
import { categoryOf, type SliceBaseline } from './slices.ts';
import type { FeatureValue, FeatureValues } from './types.ts';

const ROW = Symbol('row');

export class FeatureColumns {
  /** The features kept, in column order. */
  readonly names: readonly string[];
  private readonly kinds: ReadonlyArray<SliceBaseline['kind']>;
  private readonly numbers: Float64Array[];
  private readonly codes: Int32Array[];
  private readonly categories: Array<{ code: Map<string, number>; text: string[] }>;
  private capacity = 1024;
  private rows = 0;
  private readonly View: new (
    row: number,
  ) => FeatureValues;

  constructor(baselines: Readonly<Record<string, SliceBaseline>>) {
    this.names = Object.keys(baselines);
    this.kinds = this.names.map((n) => baselines[n]!.kind);
    this.numbers = this.kinds.map((k) => new Float64Array(k === 'numeric' ? this.capacity : 0));
    this.codes = this.kinds.map((k) => new Int32Array(k === 'categorical' ? this.capacity : 0));
    this.categories = this.kinds.map(() => ({ code: new Map(), text: [] }));
    // A view's properties are getters on a prototype made for these columns: one small object
    // per record read (its row), each feature read from its column when asked for.
    const columns = this;
    class View {
      readonly [ROW]: number;
      constructor(row: number) {
        this[ROW] = row;
      }
    }
    this.names.forEach((name, f) => {
      Object.defineProperty(View.prototype, name, {
        enumerable: true,
        get(this: View) {
          return columns.value(f, this[ROW]);
        },
      });
    });
    this.View = View as unknown as new (row: number) => FeatureValues;
  }

  /** How `name` is kept (and must be sliced), or undefined when it is not kept. */
  kindOf(name: string): SliceBaseline['kind'] | undefined {
    const f = this.names.indexOf(name);
    return f < 0 ? undefined : this.kinds[f];
  }

  /** A new record, every feature missing until set; returns its row. */
  addRow(): number {
    if (this.rows === this.capacity) this.grow();
    const row = this.rows++;
    for (let f = 0; f < this.kinds.length; f++) {
      if (this.kinds[f] === 'numeric') this.numbers[f]![row] = Number.NaN;
      else this.codes[f]![row] = -1;
    }
    return row;
  }

  /** Sets feature `f` (an index into `names`) of `row` to what slicing would make of `value`. */
  set(f: number, row: number, value: FeatureValue): void {
    if (this.kinds[f] === 'numeric') {
      this.numbers[f]![row] = parseFiniteNumber(value) ?? Number.NaN;
      return;
    }
    const text = categoryOf(value);
    if (text === null) return;
    const categories = this.categories[f]!;
    let code = categories.code.get(text);
    if (code === undefined) {
      code = categories.text.length;
      categories.code.set(text, code);
      categories.text.push(text);
    }
    this.codes[f]![row] = code;
  }

  /** Feature `f` of `row`: a number or a category, null when missing. */
  value(f: number, row: number): FeatureValue {
    if (this.kinds[f] === 'numeric') {
      const x = this.numbers[f]![row]!;
      return Number.isNaN(x) ? null : x;
    }
    const code = this.codes[f]![row]!;
    return code < 0 ? null : this.categories[f]!.text[code]!;
  }

  /** The features of `row`, read as a `FeatureValues` object. */
  view(row: number): FeatureValues {
    return new this.View(row);
  }

  private grow(): void {
    this.capacity *= 2;
    for (let f = 0; f < this.kinds.length; f++) {
      if (this.kinds[f] === 'numeric') {
        const bigger = new Float64Array(this.capacity);
        bigger.set(this.numbers[f]!);
        this.numbers[f] = bigger;
      } else {
        const bigger = new Int32Array(this.capacity);
        bigger.set(this.codes[f]!);
        this.codes[f] = bigger;
      }
    }
  }
}
