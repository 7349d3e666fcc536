/**
 * What every section parser of the config shares: the problem collector with its field checks
 * (names, URIs, emails, fractions, alarm settings), and the error that carries the problems.
 */
import type { AlarmSetting, AlarmSettings, S3Location } from './types.ts';

/** A configuration that does not validate; `problems` holds one line per problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const SETTING_KEYS = ['threshold', 'periodMinutes', 'evaluationPeriods', 'datapointsToAlarm'] as const;
/** SageMaker's pattern for endpoint, variant and monitoring schedule names. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
/** An S3 bucket name (no `s3://`). */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** A KMS key ARN (not an alias: IAM policies name keys by key ARN). */
export const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** A JSON object: not `null`, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems as `FILE: PATH WHAT IS WRONG AND THE FIX; got VALUE`. */
export class Checker {
  readonly problems: string[] = [];
  constructor(private readonly fileName: string) {}

  fail(path: string, message: string, got: unknown): void {
    const where = path === '' ? '' : `${path} `;
    const value = got === undefined ? 'nothing' : JSON.stringify(got);
    this.problems.push(`${this.fileName}: ${where}${message}; got ${value}`);
  }

  /** Like `fail`, for a value that must not be repeated (a credential put where a reference belongs). */
  failConcealed(path: string, message: string, what: string): void {
    this.problems.push(`${this.fileName}: ${path} ${message}; got ${what} (not shown)`);
  }

  object(value: unknown, path: string, message: string): Record<string, unknown> | undefined {
    if (isObject(value)) return value;
    this.fail(path, message, value);
    return undefined;
  }

  knownKeys(obj: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const close = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
      const fix = close ? `did you mean "${close}"?` : `known fields are ${known.join(', ')}`;
      this.problems.push(
        `${this.fileName}: ${path === '' ? '' : `${path}.`}${key} is not a known field; ${fix}`,
      );
    }
  }

  namespace(value: unknown, path: string, fallback: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.length === 0 || value.length > 255 || value.startsWith('AWS/')) {
      this.fail(
        path,
        'must be a CloudWatch namespace of 1 to 255 characters not starting with "AWS/"',
        value,
      );
      return fallback;
    }
    return value;
  }

  sageMakerName(value: unknown, path: string, what: string): string | undefined {
    if (value === undefined) {
      this.fail(path, `is required: set it to ${what}`, value);
      return undefined;
    }
    if (typeof value !== 'string' || !SAGEMAKER_NAME.test(value)) {
      this.fail(path, `must be ${what}: letters, digits and hyphens, at most 63 characters`, value);
      return undefined;
    }
    return value;
  }

  s3Uri(value: unknown, path: string, example: string, required: boolean): S3Location | undefined {
    if (value === undefined) {
      if (required) this.fail(path, `is required: set it to an s3:// URI like ${example}`, value);
      return undefined;
    }
    const match = typeof value === 'string' ? /^s3:\/\/([^/]+)\/*(.*)$/.exec(value) : null;
    const bucket = match?.[1];
    if (!match || bucket === undefined || !BUCKET_NAME.test(bucket)) {
      this.fail(path, `must be an s3:// URI like ${example}`, value);
      return undefined;
    }
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    return { uri: prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`, bucket, prefix };
  }

  /** A KMS key ARN, `undefined` when absent (or wrong, with the problem recorded). */
  kmsKeyArn(value: unknown, path: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && KMS_KEY_ARN.test(value)) return value;
    this.fail(path, 'must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID', value);
    return undefined;
  }

  prefix(value: unknown, path: string): string {
    if (value === undefined) return '';
    if (typeof value !== 'string' || value.includes('*')) {
      this.fail(path, 'must be a key prefix like "driftwatch" (no wildcards)', value);
      return '';
    }
    return value.replace(/^\/+|\/+$/g, '');
  }

  emails(value: unknown, path: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'must be a list of email addresses like ["ml-oncall@example.com"]', value);
      return [];
    }
    const emails: string[] = [];
    value.forEach((email, i) => {
      if (typeof email === 'string' && EMAIL.test(email)) emails.push(email);
      else this.fail(`${path}[${i}]`, 'must be an email address like ml-oncall@example.com', email);
    });
    return emails;
  }

  fraction(value: unknown, path: string, fallback: number, excludeZero = false): number {
    const ok = typeof value === 'number' && value >= 0 && value <= 1 && !(excludeZero && value === 0);
    if (ok) return value;
    this.fail(path, `must be a number ${excludeZero ? 'above 0 and at most 1' : 'from 0 to 1'}`, value);
    return fallback;
  }

  /** `true` or absent: the defaults; `false`: off; a number: the threshold; an object: any of the settings. */
  alarmSetting(
    value: unknown,
    path: string,
    defaults: AlarmSettings,
    range?: 'fraction' | 'percent',
  ): AlarmSetting {
    if (value === undefined || value === true) return defaults;
    if (value === false) return false;
    const fix = `must be false (off), true (defaults), a threshold number, or {${SETTING_KEYS.join(', ')}}`;
    const input = typeof value === 'number' ? { threshold: value } : isObject(value) ? value : undefined;
    if (!input) {
      this.fail(path, fix, value);
      return defaults;
    }
    this.knownKeys(input, path, SETTING_KEYS);
    const settings: { -readonly [K in keyof AlarmSettings]: number } = { ...defaults };
    const threshold = input.threshold ?? defaults.threshold;
    const max = range === 'fraction' ? 1 : range === 'percent' ? 100 : Number.POSITIVE_INFINITY;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > max) {
      const bounds =
        range === 'fraction' ? 'from 0 to 1' : range === 'percent' ? 'from 0 to 100' : 'of 0 or more';
      this.fail(
        typeof value === 'number' ? path : `${path}.threshold`,
        `must be a number ${bounds}`,
        threshold,
      );
    } else {
      settings.threshold = threshold;
    }
    for (const key of ['periodMinutes', 'evaluationPeriods', 'datapointsToAlarm'] as const) {
      const n = input[key];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        this.fail(`${path}.${key}`, 'must be a whole number of 1 or more', n);
      } else {
        settings[key] = n;
      }
    }
    if (settings.datapointsToAlarm > settings.evaluationPeriods) {
      this.fail(
        `${path}.datapointsToAlarm`,
        `must be at most evaluationPeriods (${settings.evaluationPeriods})`,
        settings.datapointsToAlarm,
      );
    }
    if (settings.periodMinutes * settings.evaluationPeriods > 24 * 60) {
      this.fail(
        path,
        'looks back more than a day: keep periodMinutes × evaluationPeriods at most 1440, as CloudWatch alarms require',
        value,
      );
    }
    return settings;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
