/**
 * MurmurHash3's 32-bit finaliser (fmix32): spreads every input bit over the output, so hashes
 * built from a few multiply-xor rounds (of bytes, of key text) take uniform 32-bit values.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
