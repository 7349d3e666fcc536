/**
 * The monitor Lambda: runs the invocation's windows of its endpoint (functions/pipeline/monitor-run.ts),
 * or, asked by the fan-out state machine, plans them (functions/pipeline/fan-out.ts). Reads
 * `MONITOR_CONFIG`.
 */

import { type LambdaContext, memoryMbOf } from '../contracts/lambda-context.ts';
import { logFailures } from '../pipeline/failure-log.ts';
import { isFanOutRequest, type PlanResult, planMonitor } from '../pipeline/fan-out.ts';
import { deployedMonitorDeps } from '../pipeline/monitor-deps.ts';
import { type MonitorDeps, type MonitorResult, runMonitor } from '../pipeline/monitor-run.ts';

/** What the handler runs with, but for what each invocation's context says. */
export type MonitorHandlerDeps = Omit<MonitorDeps, 'memoryMb' | 'remainingMs'>;

/** The handler over the deps `deps` makes on the first invocation (tests pass s3rver's client and mocks). */
export function createMonitorHandler(deps: () => MonitorHandlerDeps) {
  let built: MonitorHandlerDeps | undefined;
  return async (event: unknown, context?: LambdaContext): Promise<MonitorResult | PlanResult> => {
    built ??= deps();
    const d = built;
    const remaining = context?.getRemainingTimeInMillis;
    const run: MonitorDeps = {
      ...d,
      memoryMb: memoryMbOf(context),
      ...(remaining ? { remainingMs: () => remaining.call(context) } : {}),
    };
    return logFailures(
      'monitor run failed',
      { endpoint: d.config.endpoint, schedule: d.config.scheduleName },
      async () => {
        // The fan-out state machine's Plan step; anything else is a schedule or a hand invocation.
        if (isFanOutRequest(event)) return await planMonitor(run, event);
        return await runMonitor(run, event);
      },
    );
  };
}

// Clients and config live as long as the container.
export const handler = createMonitorHandler(() => deployedMonitorDeps(process.env));
