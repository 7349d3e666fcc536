/**
 * The one line a Lambda logs when its invocation fails, before rethrowing (so Lambda counts the
 * error and the alarm on it fires): JSON with what failed, for which endpoint and schedule, and
 * the error's text. Never the event, which may carry report URIs or captured values.
 */
export function logFailure(
  message: string,
  where: { endpoint: string; schedule?: string },
  error: string,
): void {
  console.error(
    JSON.stringify({
      level: 'error',
      message,
      endpoint: where.endpoint,
      ...(where.schedule !== undefined ? { schedule: where.schedule } : {}),
      error,
    }),
  );
}
