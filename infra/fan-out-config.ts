/**
 * The `fanOut` setting of an endpoint: when an hour holds more capture than one function should
 * profile, the fan-out state machine profiles it in parts (infra/constructs/fan-out.ts).
 */

/** When and how wide an endpoint's windows fan out. */
export interface FanOutConfig {
  /** Windows with more capture objects than this are profiled in parts. @default 2000 */
  readonly maxObjects: number;
  /** Windows with more capture bytes than this are profiled in parts. @default 536870912 (512 MiB) */
  readonly maxBytes: number;
  /** Capture objects per profile worker invocation (the Distributed Map's batch). @default 100 */
  readonly batchSize: number;
  /** Profile workers running at once. @default 50 */
  readonly maxConcurrency: number;
}

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
 * overrides some of them. Problems go to `fail(path, message, got)`, as the config checker reports them.
 */
export function parseFanOutConfig(
  value: unknown,
  path: string,
  fail: (path: string, message: string, got: unknown) => void,
): FanOutConfig | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return FAN_OUT_DEFAULTS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, `must be true (the defaults), false, or an object of ${FAN_OUT_KEYS.join(', ')}`, value);
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  const out: { -readonly [K in keyof FanOutConfig]: number } = { ...FAN_OUT_DEFAULTS };
  for (const [key, v] of Object.entries(obj)) {
    if (!(FAN_OUT_KEYS as string[]).includes(key)) {
      fail(`${path}.${key}`, `is not a known field; known fields are ${FAN_OUT_KEYS.join(', ')}`, v);
      continue;
    }
    const max = key === 'maxConcurrency' ? MAX_CONCURRENCY : Number.MAX_SAFE_INTEGER;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max)
      fail(`${path}.${key}`, `must be a whole number from 1 to ${max}`, v);
    else out[key as keyof FanOutConfig] = v;
  }
  return out;
}
