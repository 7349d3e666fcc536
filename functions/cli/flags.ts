/**
 * The values of the command line's flags, checked: each takes the flag's text (undefined when
 * the flag is not given) and the flag's name, and a bad value is a UsageError naming the flag,
 * what it takes and what it got.
 */
import { existsSync, statSync } from 'node:fs';
import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { isS3Uri } from '../contracts/s3-uri.ts';
import { UsageError } from './usage.ts';

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
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive whole number; got "${v}"`);
  return n;
}

/** A number of 0 or more. */
export function nonNegative(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number of 0 or more; got "${v}"`);
  return n;
}

/** A size in megabytes (0 or more, fractions allowed) as bytes. */
export function nonNegativeMb(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} must be a number of megabytes, 0 or more; got "${v}"`);
  return Math.round(n * 1024 * 1024);
}

/** A number from 0 to 1. */
export function fraction(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} must be a number from 0 to 1; got "${v}"`);
  return n;
}

/** An ISO-8601 time, as the ISO string of the instant; null when not given. */
export function isoTime(v: string | undefined, flag: string): string | null {
  if (v === undefined) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new UsageError(`${flag} must be an ISO-8601 time such as 2026-11-26T05:00:00Z; got "${v}"`);
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
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number, 0 or more; got "${v}"`);
  return n;
}

/** Checks that `location` is an S3 URI or an existing local folder (S3 is checked on first read). */
export function existingFolder(location: string, flag: string): void {
  if (!isS3Uri(location) && !(existsSync(location) && statSync(location).isDirectory()))
    throw new UsageError(`${flag} ${location}: no such folder`);
}
