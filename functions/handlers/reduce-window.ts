/**
 * The fan-out reducer: merges one window's partial profiles, evaluates the merged profile and
 * publishes it exactly as the monitor function publishes a window it profiled itself (report
 * files, metrics, summary; functions/pipeline/fan-out.ts). Reads the same `MONITOR_CONFIG`.
 */

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { logFailure } from '../pipeline/failure-log.ts';
import { reduceWindow } from '../pipeline/fan-out.ts';
import type { MonitorDeps, WindowOutcome } from '../pipeline/monitor-run.ts';
import { type MonitorContext, parseMonitorConfig } from './monitor.ts';

/** The handler over `deps`, built on first use (tests pass s3rver's client and mocks). */
export function createReduceWindow(deps: () => Omit<MonitorDeps, 'memoryMb'>) {
  return async (event: unknown, context?: MonitorContext): Promise<WindowOutcome> => {
    const d = deps();
    try {
      return await reduceWindow({ ...d, memoryMb: Number(context?.memoryLimitInMB ?? 1024) }, event);
    } catch (e) {
      logFailure(
        'fan-out reduce failed',
        { endpoint: d.config.endpoint, schedule: d.config.scheduleName },
        (e as Error).message,
      );
      throw e;
    }
  };
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
let container: Omit<MonitorDeps, 'memoryMb'> | undefined;

export const handler = createReduceWindow(() => {
  container ??= {
    config: parseMonitorConfig(process.env.MONITOR_CONFIG),
    s3: new S3Client({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    sns: new SNSClient({ maxAttempts: 5 }),
    sagemaker: new SageMakerClient({ maxAttempts: 5 }),
    now: () => new Date(),
  };
  return container;
});
