/**
 * HyperLogLog distinct-count estimate (Flajolet et al. 2007, with the small-range correction),
 * for `distinct_count` / `approximate_num_distinct_values` in statistics.json without keeping
 * every value. 2^12 registers: about 1.6% standard error in 4 KB. Mergeable.
 */
import { fmix32 } from '../stats/mix-hash.ts';

const P = 12;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);

export class HyperLogLog {
  readonly registers = new Uint8Array(M);

  add(value: string): void {
    this.addHash(hashText(value));
  }

  /** Adds a value by its hash (hashText, or hashAscii of the same text: the two agree). */
  addHash(h: number): void {
    const idx = h >>> (32 - P);
    const rest = (h << P) | (1 << (P - 1));
    const rank = Math.clz32(rest) + 1;
    if (rank > this.registers[idx]!) this.registers[idx] = rank;
  }

  merge(other: HyperLogLog): void {
    for (let i = 0; i < M; i++)
      if (other.registers[i]! > this.registers[i]!) this.registers[i] = other.registers[i]!;
  }

  estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i++) {
      const r = this.registers[i]!;
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const raw = (ALPHA * M * M) / sum;
    if (raw <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(raw);
  }

  /** Registers as a compact string (base-36 digits fit: ranks are at most 21). */
  toJSON(): string {
    let s = '';
    for (let i = 0; i < M; i++) s += this.registers[i]!.toString(36);
    return s;
  }

  static fromJSON(s: string): HyperLogLog {
    const h = new HyperLogLog();
    for (let i = 0; i < M && i < s.length; i++) h.registers[i] = Number.parseInt(s[i]!, 36);
    return h;
  }
}

/** FNV-1a over UTF-16 code units, finished with a murmur3 mix for better high bits. */
export function hashText(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** hashText of the ASCII text in bytes[start, end), without making the string. */
export function hashAscii(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}
