/**
 * Reading fields of parsed JSON that came from outside (baseline files, partial profiles): each
 * reader checks one value's shape and says where it is and what it must be, so a damaged file
 * gives a message naming the field instead of a TypeError three calls later. Keys are looked up
 * with `Object.hasOwn`, so a name such as `constructor` or `__proto__` is a field like any other.
 */

/** A value of the wrong shape: `path` names it (`features[2].numerical_statistics.mean`). */
export class JsonShapeError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'JsonShapeError';
  }
}

/** A JSON object's own fields. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** A value for messages: short, and JSON so that strings show their quotes. */
export function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(v) ?? String(v);
  } catch {
    text = String(v);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(path: string, what: string, v: unknown): never {
  throw new JsonShapeError(path, `must be ${what} (got ${shown(v)})`);
}

/** `o[key]` when `o` has it as its own field, else `undefined`. */
export function fieldOf(o: JsonObject, key: string): unknown {
  return Object.hasOwn(o, key) ? o[key] : undefined;
}

/** `path.key`, as messages name nested fields. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export function readObject(v: unknown, path: string): JsonObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'an object', v);
  return v as JsonObject;
}

export function readList(v: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(v)) fail(path, 'a list', v);
  return v as unknown[];
}

export function readString(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, 'a string', v);
  return v as string;
}

export function readBoolean(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v as boolean;
}

/** A finite number, within `[min, max]` when given, a whole number when `integer`. */
export function readNumber(
  v: unknown,
  path: string,
  limits: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const { min, max, integer } = limits;
  const what = [
    integer ? 'a whole number' : 'a finite number',
    min !== undefined && max !== undefined ? `from ${min} to ${max}` : '',
    min !== undefined && max === undefined ? (min === 0 ? 'not below 0' : `not below ${min}`) : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, what, v);
  const n = v as number;
  if ((min !== undefined && n < min) || (max !== undefined && n > max) || (integer && !Number.isInteger(n)))
    fail(path, what, v);
  return n;
}

/** A count: a whole number not below 0. */
export function readCount(v: unknown, path: string): number {
  return readNumber(v, path, { min: 0, integer: true });
}

/**
 * A number that may have overflowed when it was written: JSON has no Infinity, so writers put
 * `null` for a value beyond the double range (a sum of values near 1e308). Read as NaN: known
 * to be unrepresentable, never mistaken for 0.
 */
export function readNumberOrOverflow(v: unknown, path: string): number {
  if (v === null) return Number.NaN;
  return readNumber(v, path);
}

/** One of `values`, spelled exactly. */
export function readOneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v))
    fail(path, `one of ${values.map((x) => `"${x}"`).join(', ')}`, v);
  return v as T;
}

/** `read(o[key])` when `o` has the field (and it is not `null` when `nullIsAbsent`), else `undefined`. */
export function readOptional<T>(
  o: JsonObject,
  key: string,
  path: string,
  read: (v: unknown, path: string) => T,
): T | undefined {
  const v = fieldOf(o, key);
  return v === undefined ? undefined : read(v, at(path, key));
}

/** A list of finite numbers. */
export function readNumbers(v: unknown, path: string): number[] {
  const list = readList(v, path);
  const out = new Array<number>(list.length);
  for (let i = 0; i < list.length; i++) {
    const x = list[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(at(path, i), 'a finite number', x);
    out[i] = x as number;
  }
  return out;
}

/**
 * `list` read item by item with `read`, refusing a name that comes twice (which of two entries
 * for one feature would count?). Errors name it as `feature "NAME"`.
 */
export function readNamedList<T extends { name: string }>(
  list: readonly unknown[],
  read: (v: unknown, i: number) => T,
): T[] {
  const seen = new Set<string>();
  return list.map((v, i) => {
    const item = read(v, i);
    if (seen.has(item.name))
      throw new JsonShapeError(`feature ${shown(item.name)}`, 'is listed twice; keep one entry per feature');
    seen.add(item.name);
    return item;
  });
}
