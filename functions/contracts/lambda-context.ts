/**
 * The part of Lambda's invocation context the driftwatch functions read: a structural type, so
 * neither the handlers nor their tests need the `aws-lambda` types.
 */
export interface LambdaContext {
  /** The function's memory in MB, as Lambda passes it (a string). */
  memoryLimitInMB?: string;
  /** Milliseconds before Lambda stops the invocation: the monitor's run stops cleanly short of it. */
  getRemainingTimeInMillis?: () => number;
}

/** The memory a run's cost is reckoned with when the context does not say. */
export const DEFAULT_MEMORY_MB = 1024;

/** The function's memory in MB, for the run-cost metric. */
export function memoryMbOf(context: LambdaContext | undefined): number {
  return Number(context?.memoryLimitInMB ?? DEFAULT_MEMORY_MB);
}
