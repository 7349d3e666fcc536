/**
 * Which rows of a window get explained, chosen while the profiler reads them: a row sink
 * (engine/profile/row-sink.ts) that taps the model's input features of every profiled row and
 * keeps, in memory bounded by twice the records wanted, the rows whose seeded key hash is
 * smallest. That is the order record-selection.ts defines (hash, then position in the window),
 * so the rows kept are those `selectRecords` would pick from the whole window, whatever the
 * split: parts (worker threads, fan-out workers) each keep their own smallest and merge.
 *
 * A row's position is (capture object's ordinal in the window, row's place in that object);
 * its key is the record's inferenceId, else its eventId. Rows of one multi-row request share
 * the key, and so the hash: they sit together in the order and are explained together. A row
 * with no key at all (a capture line without eventMetadata) is keyed by its position,
 * `#OBJECT:ROW`: still drawn by a seeded hash, and the same in any split of the window.
 */
import { decimalValue } from '../capture/value-parse.ts';
import type { FeatureKind } from '../profile/feature-profile.ts';
import { ByteSpan, type RowSink, type RowTap } from '../profile/row-sink.ts';
import { hashAsciiKey64, hashKey64, type KeyHasher } from '../quality/key-hash.ts';
import type { ModelValue } from './batch-model.ts';
import type { KeyedRow } from './explain-records.ts';
import { seededKeyHash } from './record-selection.ts';

/** One of the model's input features: its name and how its values are read. */
export interface AttributionFeature {
  name: string;
  kind: FeatureKind;
}

/** What a sampler keeps: which features, how many rows, with which seed. */
export interface RecordSamplerSpec {
  features: readonly AttributionFeature[];
  /** Rows kept at most (`--explain-records`). */
  capacity: number;
  seed: number;
}

/** A kept row. */
interface Kept {
  hi: number;
  lo: number;
  ordinal: number;
  seq: number;
  key: string;
  values: ModelValue[];
}

/** A sampler's state as JSON (a worker thread's answer). */
export interface RecordSampleJson {
  seen: number;
  rows: { hi: number; lo: number; ordinal: number; seq: number; key: string; values: ModelValue[] }[];
}

/**
 * A value as the model is sent it: numbers as numbers, text as text, missing (or a JSON value
 * that is neither) as `null`. A numeric feature's decimal text is its number; a categorical
 * feature's value stays text (`01` is not `1`).
 */
export function modelValue(v: unknown, kind: FeatureKind): ModelValue {
  if (typeof v === 'number') return Number.isFinite(v) ? (kind === 'categorical' ? String(v) : v) : null;
  const text = v instanceof ByteSpan ? v.text() : typeof v === 'boolean' ? String(v) : v;
  if (typeof text !== 'string' || text === '') return null;
  if (kind === 'categorical') return text;
  const x = decimalValue(text);
  return Number.isNaN(x) ? text : x;
}

function before(a: Kept, b: Kept): number {
  return a.hi - b.hi || a.lo - b.lo || a.ordinal - b.ordinal || a.seq - b.seq;
}

/** The row sink that keeps the window's rows to explain (see the module's comment). */
export class RecordSampler implements RowSink {
  readonly taps: readonly RowTap[];
  /** Rows offered, kept or not. */
  seen = 0;
  private kept: Kept[] = [];
  /** The last row kept after the latest pruning: a row after it can never be kept. */
  private bound: Kept | null = null;
  private ordinal = 0;
  private seq = 0;
  private span: ByteSpan | null = null;
  /** Hashes the current span's bytes (no string made for a key read in place). */
  private readonly spanHasher: KeyHasher = (_key, out) => {
    const s = this.span!;
    hashAsciiKey64(s.bytes, s.start, s.end, out);
  };

  constructor(readonly spec: RecordSamplerSpec) {
    if (!Number.isInteger(spec.capacity) || spec.capacity < 0)
      throw new RangeError(`records to keep must be a whole number, 0 or more (got ${spec.capacity})`);
    // Categories are compared as text; numbers arrive parsed where they can.
    this.taps = spec.features.map((f) => ({ name: f.name, role: 'input', text: f.kind === 'categorical' }));
  }

  beginObject(ordinal: number): void {
    this.ordinal = ordinal;
    this.seq = 0;
  }

  row(key: string | ByteSpan | undefined, values: readonly unknown[]): void {
    const seq = this.seq++;
    let hash: readonly [number, number];
    if (key instanceof ByteSpan) {
      this.span = key;
      hash = seededKeyHash('', this.spec.seed, this.spanHasher);
    } else {
      key ??= `#${this.ordinal}:${seq}`;
      hash = seededKeyHash(key, this.spec.seed, hashKey64);
    }
    this.offer(hash, this.ordinal, seq, () => (key instanceof ByteSpan ? key.text() : key!), values);
  }

  /**
   * Offers a row given by its key and position directly (training rows: the key is the row's
   * ordinal as text, the position the ordinal).
   */
  add(key: string, values: readonly unknown[], ordinal: number, seq = 0): void {
    this.offer(seededKeyHash(key, this.spec.seed), ordinal, seq, () => key, values);
  }

  private offer(
    hash: readonly [number, number],
    ordinal: number,
    seq: number,
    keyText: () => string,
    values: readonly unknown[],
  ): void {
    this.seen++;
    const cap = this.spec.capacity;
    if (cap === 0) return;
    const probe: Kept = { hi: hash[0], lo: hash[1], ordinal, seq, key: '', values: [] };
    if (this.bound !== null && before(probe, this.bound) > 0) return;
    probe.key = keyText();
    const features = this.spec.features;
    for (let i = 0; i < features.length; i++) probe.values.push(modelValue(values[i], features[i]!.kind));
    this.kept.push(probe);
    if (this.kept.length >= 2 * cap) this.prune();
  }

  private prune(): void {
    this.kept.sort(before);
    if (this.kept.length > this.spec.capacity) this.kept.length = this.spec.capacity;
    if (this.kept.length === this.spec.capacity) this.bound = this.kept[this.kept.length - 1]!;
  }

  /** Adds another part's rows (same features, capacity and seed). */
  merge(other: RecordSampler): void {
    this.seen += other.seen;
    for (const k of other.kept) this.kept.push(k);
    this.prune();
  }

  /** The rows to explain, in window order (object, then row), each with its key. */
  rows(): KeyedRow[] {
    this.prune();
    return [...this.kept]
      .sort((a, b) => a.ordinal - b.ordinal || a.seq - b.seq)
      .map((k) => ({ key: k.key, values: k.values }));
  }

  toJSON(): RecordSampleJson {
    this.prune();
    return {
      seen: this.seen,
      rows: this.kept.map(({ hi, lo, ordinal, seq, key, values }) => ({ hi, lo, ordinal, seq, key, values })),
    };
  }

  static fromJSON(spec: RecordSamplerSpec, json: RecordSampleJson): RecordSampler {
    const s = new RecordSampler(spec);
    s.seen = json.seen;
    s.kept = json.rows.map((r) => ({ ...r }));
    s.prune();
    return s;
  }
}
