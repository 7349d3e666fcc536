/**
 * Join-key hashes (key-hash.ts): a key read in place from a capture line's bytes hashes as the
 * same key read as a string (so predictions read by the fast path meet labels read as text),
 * and the bootstrap sample each key falls in depends on the key alone, about 80% per sample.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hashAsciiKey64,
  hashKey64,
  SAMPLES,
  sampleMask,
} from '../../../functions/engine/quality/key-hash.ts';

describe('hashAsciiKey64', () => {
  it('equals hashKey64 of the ASCII text the bytes spell, wherever they sit in a line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), fc.nat(20), (key, pad) => {
        const line = new Uint8Array(pad + key.length + 3);
        for (let i = 0; i < key.length; i++) line[pad + i] = key.charCodeAt(i);
        const fromBytes = new Uint32Array(2);
        const fromText = new Uint32Array(2);
        hashAsciiKey64(line, pad, pad + key.length, fromBytes);
        hashKey64(key, fromText);
        expect([...fromBytes]).toEqual([...fromText]);
      }),
    );
  });

  it('tells apart keys that differ in one character', () => {
    const seen = new Set<string>();
    const out = new Uint32Array(2);
    for (let i = 0; i < 100_000; i++) {
      hashKey64(`74b0dd56-e7c8-368e-94b1-${String(i).padStart(12, '0')}`, out);
      seen.add(`${out[0]}:${out[1]}`);
    }
    expect(seen.size).toBe(100_000);
  });
});

describe('sampleMask', () => {
  it('puts about 80% of keys in each of the 5 samples, independently of each other', () => {
    const out = new Uint32Array(2);
    const inSample = new Array<number>(SAMPLES).fill(0);
    let inAll = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      hashKey64(`key-${i}`, out);
      const mask = sampleMask(out[0]!, out[1]!);
      for (let s = 0; s < SAMPLES; s++) if (mask & (1 << s)) inSample[s]!++;
      if (mask === 31) inAll++;
    }
    // Binomial(50,000, 0.8): sd 89, so 5 sd is ±0.9%.
    for (const k of inSample) expect(Math.abs(k / n - 0.8)).toBeLessThan(0.009);
    // Independent samples: all five hold a key 0.8^5 = 32.8% of the time.
    expect(Math.abs(inAll / n - 0.8 ** 5)).toBeLessThan(0.01);
  });
});
