/**
 * Join keys as 64-bit hashes: a prediction costs 8 bytes of key instead of a string, and a
 * label's key is matched by the same hash. The hash is two independent 32-bit lanes over the
 * key's UTF-16 code units, each finished with MurmurHash3's fmix32.
 *
 * **Collisions.** Two different keys with one hash are taken for one key: the later row
 * replaces the earlier one (counted in `join.repeatedPredictionKeys`), and a label of either
 * key joins the row kept. For n distinct keys a window (predictions and labels together) the
 * chance of any collision is about n² / 2^65: 3·10^-7 for 1M keys, 3·10^-6 for 10M. The
 * tests force collisions with a 4-bit hasher to show they stay counted, never lost or thrown.
 * The hash is not a defence against a client choosing keys: a client that controls its
 * inferenceIds can already repeat one outright.
 */
import { fmix32 } from '../stats/mix-hash.ts';

/** Writes the 64-bit hash of `key` into `out[0]` (high) and `out[1]` (low). */
export type KeyHasher = (key: string, out: Uint32Array) => void;

/** The default {@link KeyHasher}. */
export const hashKey64: KeyHasher = (key, out) => {
  let a = 0x9747b28c ^ key.length;
  let b = 0x3c6ef372 ^ Math.imul(key.length, 0x27d4eb2f);
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, 5) + 0xe6546b64;
  }
  out[0] = fmix32(a ^ Math.imul(b, 0x85ebca77));
  out[1] = fmix32(b ^ a);
};

/**
 * {@link hashKey64} of ASCII bytes[start, end): the same hash as the string they spell (an
 * ASCII byte is its UTF-16 code unit), with no string made for the key.
 */
export function hashAsciiKey64(bytes: Uint8Array, start: number, end: number, out: Uint32Array): void {
  const length = end - start;
  let a = 0x9747b28c ^ length;
  let b = 0x3c6ef372 ^ Math.imul(length, 0x27d4eb2f);
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
    b = Math.imul(b, 5) + 0xe6546b64;
  }
  out[0] = fmix32(a ^ Math.imul(b, 0x85ebca77));
  out[1] = fmix32(b ^ a);
}

/** Bootstrap samples of SageMaker's deviation rule (5 samples of about 80%). */
export const SAMPLES = 5;
/** A record is in sample s when this 32-bit hash of (key, s) is below 0.8 · 2^32. */
const SAMPLE_LIMIT = Math.floor(0.8 * 4294967296);

/**
 * Which bootstrap samples a record belongs to, as bits 0..4: sample s holds the record when
 * fmix32(hi ^ fmix32(lo + golden·(s + 1))) < 0.8 · 2^32. The choice depends on the record's
 * key only, not on its position, so any split of a window (threads, fan-out workers) draws the
 * same samples, and each sample holds about 80% of the records.
 */
export function sampleMask(hi: number, lo: number): number {
  let mask = 0;
  for (let s = 0; s < SAMPLES; s++) {
    const h = fmix32(hi ^ fmix32((lo + Math.imul(s + 1, 0x9e3779b9)) >>> 0));
    if (h < SAMPLE_LIMIT) mask |= 1 << s;
  }
  return mask;
}
