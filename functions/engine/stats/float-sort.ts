/**
 * Sorting of finite doubles, faster than the native typed-array sort on the sizes the engine
 * sorts (KLL level-0 batches of hundreds, exact-mode windows of up to 100,000 values per feature).
 */

/** Sorts the finite values a[0, a.length) ascending in place. */
export function sortFinite(a: Float64Array): void {
  bucketSort(a, 0, a.length, 0);
}

/** Sort scratch space, shared (sorting is synchronous). */
let fscratch = new Float64Array(0);
let iscratch = new Int32Array(0);
let bcounts = new Int32Array(0);

/** Sorts a[from, to) ascending in place: for a few dozen items, or nearly sorted ones. */
function insertionSort(a: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= from && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

/**
 * Sorts a[from, to) ascending in place, several times faster than the native typed-array sort
 * on the level-0 batches (hundreds to thousands of finite values): one bucket per item, linear
 * in value between min and max, then an insertion sort (items only move within a bucket).
 * Buckets that come out crowded (skewed data) are bucket-sorted again over their own narrower
 * range, and after a few rounds natively sorted.
 */
export function bucketSort(a: Float64Array, from: number, to: number, depth: number): void {
  const n = to - from;
  if (n <= 32) {
    insertionSort(a, from, to);
    return;
  }
  let min = a[from]!;
  let max = min;
  for (let i = from + 1; i < to; i++) {
    const x = a[i]!;
    if (x < min) min = x;
    else if (x > max) max = x;
  }
  if (!(max > min)) return;
  const scale = n / (max - min);
  if (depth > 3 || !Number.isFinite(scale) || scale === 0) {
    a.subarray(from, to).sort();
    return;
  }
  if (fscratch.length < n) {
    fscratch = new Float64Array(Math.max(n, fscratch.length * 2));
    iscratch = new Int32Array(fscratch.length);
    bcounts = new Int32Array(fscratch.length + 1);
  }
  const idx = iscratch;
  const counts = bcounts;
  const tmp = fscratch;
  counts.fill(0, 0, n);
  const last = n - 1;
  for (let i = from; i < to; i++) {
    let b = ((a[i]! - min) * scale) | 0;
    if (b > last) b = last;
    idx[i - from] = b;
    counts[b]!++;
  }
  let sum = 0;
  let widest = 0;
  for (let b = 0; b < n; b++) {
    const c = counts[b]!;
    if (c > widest) widest = c;
    counts[b] = sum;
    sum += c;
  }
  for (let i = from; i < to; i++) tmp[counts[idx[i - from]!]!++] = a[i]!;
  a.set(tmp.subarray(0, n), from);
  if (widest <= 32) {
    insertionSort(a, from, to);
    return;
  }
  // Uneven buckets: sort the wide ones again (narrower range), the rest by insertion.
  const wide: number[] = [];
  let start = 0;
  for (let b = 0; b < n; b++) {
    const end = counts[b]!;
    if (end - start > 32) wide.push(from + start, from + end);
    else if (end - start > 1) insertionSort(a, from + start, from + end);
    start = end;
  }
  for (let w = 0; w < wide.length; w += 2) bucketSort(a, wide[w]!, wide[w + 1]!, depth + 1);
}
