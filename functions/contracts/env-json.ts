/**
 * What the runtime configs' parsers share. The CDK stack writes each config as JSON into one
 * environment variable; the handler passes that variable's value in (contracts read no
 * environment), and every error names the variable, or `VARIABLE.field`, and the fix.
 */

import type { JsonObject } from './json-fields.ts';

/** The class a config's errors are thrown as (`MonitorConfigError`, ...). */
export type ConfigErrorClass = new (message: string) => Error;

/**
 * The JSON held by the environment variable `variable`, whose value is `text`. Unset, blank or
 * not JSON throws `error` telling to redeploy: the stack writes the variable from `setFrom`.
 */
export function parseEnvJson(
  variable: string,
  text: string | undefined,
  setFrom: string,
  error: ConfigErrorClass,
): unknown {
  if (text === undefined || text.trim() === '')
    throw new error(`${variable} is not set; the stack sets it from ${setFrom}: redeploy`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new error(`${variable} is not valid JSON (${(e as Error).message}); redeploy the stack`);
  }
}

/** Checks of a config's fields; each error reads `VARIABLE.path must be WANTS; got VALUE`. */
export interface ConfigFields {
  /** Throws for the field at `path`, quoting what it holds (`nothing` when absent). */
  fail(path: string, wants: string, got: unknown): never;
  /** `o[field]` when it is a string, non-empty unless `allowEmpty`; `path` names it in errors. */
  string(o: JsonObject, field: string, path?: string, allowEmpty?: boolean): string;
  /** `value` when it is a JSON object (not null, not a list). */
  object(value: unknown, path: string): JsonObject;
}

/** The field checks of the config in `variable`, throwing `error`. */
export function configFields(variable: string, error: ConfigErrorClass): ConfigFields {
  const fail = (path: string, wants: string, got: unknown): never => {
    throw new error(`${variable}.${path} must be ${wants}; got ${JSON.stringify(got) ?? 'nothing'}`);
  };
  return {
    fail,
    string: (o, field, path = field, allowEmpty = false) => {
      const v = o[field];
      return typeof v === 'string' && (allowEmpty || v !== '')
        ? v
        : fail(path, allowEmpty ? 'a string' : 'a non-empty string', v);
    },
    object: (value, path) =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as JsonObject)
        : fail(path, 'an object', value),
  };
}
