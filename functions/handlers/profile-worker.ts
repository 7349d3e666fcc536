/**
 * The fan-out profile worker: the Distributed Map hands it a batch of a window's capture objects
 * (and label files); it profiles them and writes partial profiles to S3. The Join step hands it
 * one key partition of a window's model quality to join (functions/pipeline/fan-out.ts). Reads
 * the same `MONITOR_CONFIG` as the monitor function.
 */

import { S3Client } from '@aws-sdk/client-s3';
import { type LambdaContext, memoryMbOf } from '../contracts/lambda-context.ts';
import { parseMonitorConfig } from '../contracts/monitor-config.ts';
import { logFailures } from '../pipeline/failure-log.ts';
import { isJoinEvent, joinBatch, profileBatch, type WorkerDeps } from '../pipeline/fan-out.ts';

/** What the handler runs with, but for what each invocation's context says. */
export type ProfileWorkerHandlerDeps = Omit<WorkerDeps, 'memoryMb'>;

/** The handler over the deps `deps` makes on the first invocation (tests pass s3rver's client). */
export function createProfileWorkerHandler(deps: () => ProfileWorkerHandlerDeps) {
  let built: ProfileWorkerHandlerDeps | undefined;
  return async (
    event: unknown,
    context?: LambdaContext,
  ): Promise<{ parts: number; objects: number } | { predictions: number; labels: number }> => {
    built ??= deps();
    const d = built;
    return logFailures(
      'profile worker failed',
      { endpoint: d.config.endpoint, schedule: d.config.scheduleName },
      async () => {
        const deps = { ...d, memoryMb: memoryMbOf(context) };
        return isJoinEvent(event) ? await joinBatch(deps, event) : await profileBatch(deps, event);
      },
    );
  };
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
export const handler = createProfileWorkerHandler(() => ({
  config: parseMonitorConfig(process.env.MONITOR_CONFIG),
  s3: new S3Client({ maxAttempts: 5 }),
  now: () => new Date(),
}));
