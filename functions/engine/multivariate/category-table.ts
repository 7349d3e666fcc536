/**
 * A categorical feature's frequency encoding, looked up from the bytes of a capture field: the
 * fast path hands categories as spans of printable ASCII, and a window of a million rows should
 * not make a million strings to find a handful of frequencies.
 */
import { hashAscii } from '../profile/hyperloglog.ts';

/** Up to this many categories are scanned rather than hashed. */
const FEW = 12;

/** The categories of one feature by the hash of their bytes (ASCII categories only). */
export class CategoryTable {
  private readonly byHash = new Map<number, { text: string; value: number }[]>();
  /** Every category, when there are few enough to scan. */
  private readonly few: { text: string; value: number }[] | null;

  /** @param frequencies the model's shares by category */
  constructor(frequencies: ReadonlyMap<string, number>) {
    const bytes = new Uint8Array(256);
    for (const [text, value] of frequencies) {
      // A span is printable ASCII, so no other category can equal one.
      if (text.length > bytes.length || !/^[\x20-\x7e]*$/.test(text)) continue;
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      const h = hashAscii(bytes, 0, text.length);
      const list = this.byHash.get(h);
      if (list === undefined) this.byHash.set(h, [{ text, value }]);
      else list.push({ text, value });
    }
    const all = [...this.byHash.values()].flat();
    this.few = all.length <= FEW ? all : null;
  }

  /** The share of the category bytes[start, end), 0 for one the baseline never saw. */
  get(bytes: Uint8Array, start: number, end: number): number {
    // A few categories (the usual case): compare bytes, no hash.
    const few = this.few;
    if (few !== null) {
      const len = end - start;
      for (let c = 0; c < few.length; c++) {
        const { text, value } = few[c]!;
        if (text.length !== len) continue;
        let i = 0;
        while (i < len && text.charCodeAt(i) === bytes[start + i]) i++;
        if (i === len) return value;
      }
      return 0;
    }
    const list = this.byHash.get(hashAscii(bytes, start, end));
    if (list === undefined) return 0;
    const len = end - start;
    for (const { text, value } of list) {
      if (text.length !== len) continue;
      let i = 0;
      while (i < len && text.charCodeAt(i) === bytes[start + i]) i++;
      if (i === len) return value;
    }
    return 0;
  }
}
