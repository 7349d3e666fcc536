/**
 * The fan-out reducer: merges one window's partial profiles, evaluates the merged profile and
 * publishes it exactly as the monitor function publishes a window it profiled itself (report
 * files, metrics, summary; functions/pipeline/fan-out.ts). Reads the same `MONITOR_CONFIG`.
 */

import { type LambdaContext, memoryMbOf } from '../contracts/lambda-context.ts';
import { logFailures } from '../pipeline/failure-log.ts';
import { reduceWindow } from '../pipeline/fan-out.ts';
import { deployedMonitorDeps } from '../pipeline/monitor-deps.ts';
import type { MonitorDeps, WindowOutcome } from '../pipeline/monitor-run.ts';

/** What the handler runs with, but for what each invocation's context says. */
export type ReduceWindowHandlerDeps = Omit<MonitorDeps, 'memoryMb' | 'remainingMs'>;

/** The handler over the deps `deps` makes on the first invocation (tests pass s3rver's client and mocks). */
export function createReduceWindowHandler(deps: () => ReduceWindowHandlerDeps) {
  let built: ReduceWindowHandlerDeps | undefined;
  return async (event: unknown, context?: LambdaContext): Promise<WindowOutcome> => {
    built ??= deps();
    const d = built;
    // The deadline bounds the window's explanation (feature attribution), as in the monitor.
    const remaining = context?.getRemainingTimeInMillis;
    return logFailures(
      'fan-out reduce failed',
      { endpoint: d.config.endpoint, schedule: d.config.scheduleName },
      async () => {
        return await reduceWindow(
          {
            ...d,
            memoryMb: memoryMbOf(context),
            ...(remaining ? { remainingMs: () => remaining.call(context) } : {}),
          },
          event,
        );
      },
    );
  };
}

// Clients and config live as long as the container.
export const handler = createReduceWindowHandler(() => deployedMonitorDeps(process.env));
