/**
 * The one line a Lambda logs when its invocation fails, before rethrowing (so Lambda counts the
 * error and the alarm on it fires): JSON with what failed, for which endpoint and schedule, and
 * the error's text. Never the event, which may carry report URIs or captured values.
 */
import { logger } from './log.ts';

/** Logs an invocation's failure as one error line on stderr. */
export function logFailure(
  message: string,
  where: { endpoint: string; schedule?: string },
  error: string,
): void {
  logger().error(message, {
    endpoint: where.endpoint,
    ...(where.schedule !== undefined ? { schedule: where.schedule } : {}),
    error,
  });
}

/**
 * Runs one invocation's work; when it throws, logs the one failure line and rethrows (so Lambda
 * counts the error). `describe` says how the error reads in the line (its message by default).
 */
export async function logFailures<T>(
  message: string,
  where: { endpoint: string; schedule?: string },
  run: () => Promise<T>,
  describe: (e: Error) => string = (e) => e.message,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    logFailure(message, where, describe(e as Error));
    throw e;
  }
}
