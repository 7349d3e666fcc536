/**
 * The one shape of a structured log line: a JSON object with `level` and `message` first, then
 * the caller's fields in the order given, so CloudWatch Logs Insights reads every line the same
 * way. Building the line is pure; writing it is the caller's (functions/pipeline/log.ts).
 */

/** How serious a line is; `error` lines are written to stderr. */
export type LogLevel = 'info' | 'warn' | 'error';

/** What a line says besides its level and message: counts, names and locations, never captured values. */
export type LogFields = Readonly<Record<string, unknown>>;

/** One structured log line: `{"level", "message", ...fields}` as JSON. */
export function logLine(level: LogLevel, message: string, fields: LogFields = {}): string {
  return JSON.stringify({ level, message, ...fields });
}
