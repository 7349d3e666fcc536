/**
 * Worker-thread entry: profiles a share of a window's capture files and sends back the
 * partial WindowProfile as JSON; the parent merges the parts with the same merge the
 * Step Functions fan-out uses. Bundled to dist/profile-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { S3Client } from '@aws-sdk/client-s3';
import { CaptureSchema } from '../engine/capture-schema.ts';
import { WindowProfiler } from '../engine/window-profiler.ts';
import { LocalStore } from './local-store.ts';
import { isS3Uri } from './object-store.ts';
import type { ProfileTask } from './parallel-profile.ts';
import { profileObjects } from './profile-capture.ts';
import { S3Store } from './s3-store.ts';

parentPort?.on('message', async (task: ProfileTask) => {
  try {
    const store = isS3Uri(task.location)
      ? new S3Store(new S3Client({}), task.location)
      : new LocalStore(task.location);
    const profiler = new WindowProfiler(
      new CaptureSchema(task.schema.features, task.schema.layout),
      task.options,
    );
    await profileObjects(store, task.objects, profiler, (done, bytes) =>
      parentPort?.postMessage({ progress: { done, bytes } }),
    );
    parentPort?.postMessage({ profile: profiler.profile.toJSON() });
  } catch (e) {
    parentPort?.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
