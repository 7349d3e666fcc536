import { expect } from 'vitest';

/** |a - b| <= tol, absolute, or relative when |expected| > 1 (METRICS.md's rule). */
export function expectClose(actual: unknown, expected: number, path: string, tol = 1e-9): void {
  expect(typeof actual, `${path} is a number`).toBe('number');
  const a = actual as number;
  const err = Math.abs(a - expected) / Math.max(1, Math.abs(expected));
  expect(err, `${path}: ${a} vs ${expected}`).toBeLessThanOrEqual(tol);
}

/** Compares every field of `expected` (numbers to tolerance, the rest exactly), naming the path. */
export function expectDeepClose(actual: unknown, expected: unknown, path = '$', tol = 1e-9): number {
  if (typeof expected === 'number') {
    expectClose(actual, expected, path, tol);
    return 1;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(actual, path).toEqual(expected);
    return 1;
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path}.length`).toBe(expected.length);
    return expected.reduce(
      (n: number, e, i) => n + expectDeepClose((actual as unknown[])[i], e, `${path}[${i}]`, tol),
      0,
    );
  }
  let n = 0;
  for (const [k, v] of Object.entries(expected)) {
    expect(actual, `${path} is an object`).toBeTypeOf('object');
    n += expectDeepClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`, tol);
  }
  return n;
}
