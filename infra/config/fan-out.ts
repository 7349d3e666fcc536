/**
 * The `fanOut` setting of an endpoint: when an hour holds more capture than one function should
 * profile, the fan-out state machine profiles it in parts (infra/constructs/fan-out.ts).
 */
import { type Checker, isObject } from './checker.ts';
import type { FanOutConfig } from './types.ts';

/** The fan-out settings `fanOut: true` stands for, and what an object's missing fields take. */
export const FAN_OUT_DEFAULTS: FanOutConfig = {
  maxObjects: 2000,
  maxBytes: 512 * 1024 * 1024,
  batchSize: 100,
  maxConcurrency: 50,
};

const FAN_OUT_KEYS = Object.keys(FAN_OUT_DEFAULTS) as (keyof FanOutConfig)[];
/** Step Functions runs at most 10,000 child executions of a Distributed Map at once. */
const MAX_CONCURRENCY = 10_000;

/**
 * Parses an endpoint's `fanOut`: absent or `false` is off, `true` the defaults, an object
 * overrides some of them.
 */
export function parseFanOutConfig(check: Checker, value: unknown, path: string): FanOutConfig | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return FAN_OUT_DEFAULTS;
  if (!isObject(value)) {
    check.fail(path, `must be true (the defaults), false, or an object of ${FAN_OUT_KEYS.join(', ')}`, value);
    return undefined;
  }
  const out: { -readonly [K in keyof FanOutConfig]: number } = { ...FAN_OUT_DEFAULTS };
  for (const [key, v] of Object.entries(value)) {
    if (!(FAN_OUT_KEYS as string[]).includes(key)) {
      // Not `check.knownKeys`: this message has always shown the value too.
      check.fail(`${path}.${key}`, `is not a known field; known fields are ${FAN_OUT_KEYS.join(', ')}`, v);
      continue;
    }
    const max = key === 'maxConcurrency' ? MAX_CONCURRENCY : Number.MAX_SAFE_INTEGER;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
      check.fail(`${path}.${key}`, `must be a whole number from 1 to ${max}`, v);
    else out[key as keyof FanOutConfig] = v;
  }
  return out;
}
