/**
 * The fan-out profile worker: the Distributed Map hands it a batch of a window's capture objects;
 * it profiles them and writes partial profiles to S3 (functions/pipeline/fan-out.ts). It reads
 * the same `MONITOR_CONFIG` as the monitor function.
 */

import { S3Client } from '@aws-sdk/client-s3';
import { logFailure } from '../pipeline/failure-log.ts';
import { profileBatch, type WorkerDeps } from '../pipeline/fan-out.ts';
import { type MonitorContext, parseMonitorConfig } from './monitor.ts';

/** The handler over `deps`, built on first use (tests pass s3rver's client). */
export function createProfileWorker(deps: () => Omit<WorkerDeps, 'memoryMb'>) {
  return async (event: unknown, context?: MonitorContext): Promise<{ parts: number; objects: number }> => {
    const d = deps();
    try {
      return await profileBatch({ ...d, memoryMb: Number(context?.memoryLimitInMB ?? 1024) }, event);
    } catch (e) {
      logFailure(
        'profile worker failed',
        { endpoint: d.config.endpoint, schedule: d.config.scheduleName },
        (e as Error).message,
      );
      throw e;
    }
  };
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
let container: Omit<WorkerDeps, 'memoryMb'> | undefined;

export const handler = createProfileWorker(() => {
  container ??= {
    config: parseMonitorConfig(process.env.MONITOR_CONFIG),
    s3: new S3Client({ maxAttempts: 5 }),
    now: () => new Date(),
  };
  return container;
});
