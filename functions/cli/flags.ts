/**
 * The values of the command line's flags, checked: each takes the flag's text (undefined when
 * the flag is not given) and the flag's name, and a bad value is a UsageError naming the flag,
 * what it takes and what it got.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { isS3Uri, parseS3Uri } from '../contracts/s3-uri.ts';
import { DEFAULT_EXPLAIN_RECORDS, DEFAULT_MAX_MODEL_ROWS } from '../engine/attribution/explain-records.ts';
import { parseIsoTime } from '../engine/capture/capture-record.ts';
import { UsageError } from './usage.ts';

/**
 * A flag's text as a number: decimal digits with an optional sign, point and exponent, spaces
 * around allowed. Blank, hex (`0x10`), `Infinity` and the like are NaN (Number() reads '' as 0).
 */
function numberOf(v: string): number {
  const t = v.trim();
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

/** A comma-separated list, blanks dropped. */
export function list(v: string | undefined): string[] {
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** A whole number above 0. */
export function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive whole number; got "${v}"`);
  return n;
}

/** A number of 0 or more. */
export function nonNegative(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number of 0 or more; got "${v}"`);
  return n;
}

/** A size in megabytes (0 or more, fractions allowed) as bytes. */
export function nonNegativeMb(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} must be a number of megabytes, 0 or more; got "${v}"`);
  return Math.round(n * 1024 * 1024);
}

/** A number from 0 to 1. */
export function fraction(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} must be a number from 0 to 1; got "${v}"`);
  return n;
}

/**
 * An ISO-8601 time, as the ISO string of the instant; null when not given. A day or time that
 * does not exist is refused; a time without a zone is UTC, as capture times are read.
 */
export function isoTime(v: string | undefined, flag: string): string | null {
  if (v === undefined) return null;
  const t = parseIsoTime(v.trim());
  if (Number.isNaN(t) || t < -8.64e15 || t > 8.64e15)
    throw new UsageError(
      `${flag} must be an ISO-8601 time that exists, such as 2026-11-26T05:00:00Z (UTC when no zone is given); got "${v}"`,
    );
  return new Date(t).toISOString();
}

/** A problem type, in any letter case. */
export function problemTypeOf(v: string | undefined, flag: string): ProblemType | undefined {
  if (v === undefined) return undefined;
  const found = PROBLEM_TYPES.find((p) => p.toLowerCase() === v.trim().toLowerCase());
  if (found === undefined)
    throw new UsageError(`${flag} must be one of ${PROBLEM_TYPES.join(', ')}; got "${v}"`);
  return found;
}

/** A probability threshold: a number from 0 to 1, never blank. */
export function threshold(v: string | undefined, flag: string): number | undefined {
  if (v !== undefined && v.trim() === '')
    throw new UsageError(`${flag} must be a number from 0 to 1; got ""`);
  return fraction(v, flag);
}

/** A whole number, 0 or more. */
export function nonNegativeInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = numberOf(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number, 0 or more; got "${v}"`);
  return n;
}

/** Checks that `location` is an S3 URI or an existing local folder (S3 is checked on first read). */
export function existingFolder(location: string, flag: string): void {
  if (isS3Uri(location)) s3Location(location, flag);
  else if (!(existsSync(location) && statSync(location).isDirectory()))
    throw new UsageError(`${flag} ${location}: no such folder`);
}

/** The bucket and prefix of an s3:// flag value; a malformed URI is a UsageError naming the flag. */
export function s3Location(uri: string, flag: string): { bucket: string; prefix: string } {
  try {
    return parseS3Uri(uri);
  } catch (e) {
    throw new UsageError(`${flag} ${(e as Error).message}`);
  }
}

/**
 * A local path with symlinks resolved: the real path of its nearest existing ancestor, then the
 * rest of it as given (the part that does not exist yet).
 */
export function realLocation(path: string): string {
  let p = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(p), ...rest);
    } catch {
      const parent = dirname(p);
      if (parent === p) return resolve(path);
      rest.unshift(basename(p));
      p = parent;
    }
  }
}

/**
 * Checks that `location` can be a folder to write into, before anything is written: an S3 URI,
 * a folder, or a path whose nearest existing part is a folder (never a file).
 */
export function outputFolder(location: string, flag: string): void {
  if (isS3Uri(location)) {
    s3Location(location, flag);
    return;
  }
  let p = resolve(location);
  while (!existsSync(p)) {
    const parent = dirname(p);
    if (parent === p) return;
    p = parent;
  }
  if (!statSync(p).isDirectory())
    throw new UsageError(
      p === resolve(location)
        ? `${flag} ${location}: is a file; name a folder to write into`
        : `${flag} ${location}: ${p} is a file, so no folder can be made under it`,
    );
}

/**
 * True when `inner` is `outer` or inside it: real paths (symlinks resolved) for local paths,
 * bucket and prefix for s3:// URIs; a local path and an S3 URI never overlap.
 */
export function isWithin(inner: string, outer: string): boolean {
  if (isS3Uri(inner) !== isS3Uri(outer)) return false;
  if (isS3Uri(inner)) {
    const i = parseS3Uri(inner);
    const o = parseS3Uri(outer);
    return i.bucket === o.bucket && i.prefix.startsWith(o.prefix);
  }
  const i = realLocation(inner);
  const o = realLocation(outer);
  return i === o || i.startsWith(o.endsWith(sep) ? o : `${o}${sep}`);
}

/**
 * Refuses an output folder that is an input folder or inside one, so that a run never writes
 * over what it reads (nor into a tree it, or a later run, reads as capture or labels).
 */
export function refuseOutputInside(
  out: string,
  outFlag: string,
  inputs: ReadonlyArray<readonly [flag: string, location: string | undefined]>,
): void {
  for (const [flag, location] of inputs) {
    if (location === undefined || !isWithin(out, location)) continue;
    throw new UsageError(
      `${outFlag} ${out}: is ${isWithin(location, out) ? 'the same folder as' : 'inside'} ${flag} ${location}; outputs never go into an input's folder, choose another ${outFlag}`,
    );
  }
}

/**
 * The arguments with a negative number after a long option joined to it (`--quality-margin -1`
 * as `--quality-margin=-1`), so the value reaches the flag's check and its message instead of
 * parseArgs' "argument is ambiguous".
 */
export function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (
      a.startsWith('--') &&
      a.length > 2 &&
      !a.includes('=') &&
      next !== undefined &&
      /^-\.?\d/.test(next)
    ) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** The feature attribution flags of `baseline` and `run`, as parseArgs options. */
export const EXPLAIN_OPTIONS = {
  'explain-endpoint': { type: 'string' },
  'explain-records': { type: 'string' },
  'explain-max-rows': { type: 'string' },
  'explain-config': { type: 'string' },
  'explain-rate': { type: 'string' },
  region: { type: 'string' },
} as const;

/** The feature attribution flags, checked. */
export interface ExplainFlags {
  endpoint: string;
  records: number;
  maxRows: number;
  /** Requests per second at most; undefined: the endpoint adapter's default (10). */
  rate: number | undefined;
  region: string | undefined;
  configFile: string | undefined;
}

/**
 * The feature attribution flags, checked; `null` without --explain-endpoint (then giving any
 * other of them is a usage error: they would do nothing).
 */
export function explainFlags(
  values: Partial<Record<keyof typeof EXPLAIN_OPTIONS, string>>,
): ExplainFlags | null {
  const endpoint = values['explain-endpoint'];
  if (endpoint === undefined) {
    const given = (
      ['explain-records', 'explain-max-rows', 'explain-config', 'explain-rate', 'region'] as const
    ).find((f) => values[f] !== undefined);
    if (given !== undefined)
      throw new UsageError(
        `--${given} needs --explain-endpoint NAME (the SageMaker endpoint whose predictions are explained)`,
      );
    return null;
  }
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(endpoint) || endpoint.length > 63)
    throw new UsageError(
      `--explain-endpoint must be a SageMaker endpoint name (letters, digits and hyphens, at most 63); got "${endpoint}"`,
    );
  const rate = nonNegative(values['explain-rate'], '--explain-rate');
  if (rate === 0) throw new UsageError('--explain-rate must be above 0 requests per second; got "0"');
  const region = values.region;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UsageError(`--region must be an AWS region such as us-east-1; got "${region}"`);
  return {
    endpoint,
    records: positiveInt(values['explain-records'], '--explain-records') ?? DEFAULT_EXPLAIN_RECORDS,
    maxRows: positiveInt(values['explain-max-rows'], '--explain-max-rows') ?? DEFAULT_MAX_MODEL_ROWS,
    rate,
    region,
    configFile: values['explain-config'],
  };
}
