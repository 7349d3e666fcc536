/**
 * Which records are explained when not all of them can be: those whose seeded key hash is
 * smallest. The choice depends on the keys and the seed only, never on the order the records
 * arrive in, so a window read in another order or split among workers explains the same records.
 */
import { hashKey64, type KeyHasher } from '../quality/key-hash.ts';
import { fmix32 } from '../stats/mix-hash.ts';

/** The seed of the selection and of Kernel SHAP's sampling, unless the configuration names one. */
export const DEFAULT_ATTRIBUTION_SEED = 20261206;

/** The 64-bit seeded hash of `key` as [high, low]. */
export function seededKeyHash(
  key: string,
  seed: number,
  hasher: KeyHasher = hashKey64,
): readonly [number, number] {
  const out = new Uint32Array(2);
  hasher(key, out);
  const s = fmix32(seed >>> 0);
  return [fmix32(out[0]! ^ s), fmix32((out[1]! + Math.imul(s | 1, 0x9e3779b9)) >>> 0)];
}

/**
 * The order records are explained in: all `keys`' positions, smallest seeded hash first (ties,
 * from equal keys, by position). A run that stops early has explained a prefix of it: a seeded
 * sample in its own right.
 */
export function explanationOrder(keys: readonly string[], seed: number): number[] {
  const hashes = keys.map((k) => seededKeyHash(k, seed));
  return keys
    .map((_, i) => i)
    .sort((a, b) => {
      const ha = hashes[a]!;
      const hb = hashes[b]!;
      return ha[0] - hb[0] || ha[1] - hb[1] || a - b;
    });
}

/**
 * The positions of the records to explain, ascending: all of them when `n` is at least their
 * number, else the `n` first of {@link explanationOrder}.
 */
export function selectRecords(keys: readonly string[], n: number, seed: number): number[] {
  if (n >= keys.length) return keys.map((_, i) => i);
  return explanationOrder(keys, seed)
    .slice(0, Math.max(0, n))
    .sort((a, b) => a - b);
}
