/**
 * Worker-thread entry: profiles a share of a window's capture files and sends back the
 * partial WindowProfile as JSON; the parent merges the parts with the same merge the
 * Step Functions fan-out uses. Bundled to dist/profile-worker.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { CaptureSchema } from '../engine/profile/capture-schema.ts';
import { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { partBuffers } from '../engine/quality/prediction-part.ts';
import { WindowRows } from '../engine/report/window-rows.ts';
import { LocalStore } from '../stores/local-store.ts';
import { isS3Uri, type ObjectStore } from '../stores/object-store.ts';
import type { ProfileTask } from './parallel-profile.ts';
import { profileObjects } from './profile-capture.ts';

async function openS3(location: string): Promise<ObjectStore> {
  const [{ S3Client }, { S3Store }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../stores/s3-store.ts'),
  ]);
  return new S3Store(new S3Client({}), location);
}

parentPort?.on('message', async (task: ProfileTask) => {
  try {
    // The AWS SDK is loaded only for S3 locations: most of a worker's start-up time otherwise.
    const store = isS3Uri(task.location) ? await openS3(task.location) : new LocalStore(task.location);
    const { predictions, multivariate, attribution, ...options } = task.options;
    const rows = new WindowRows({ predictions, multivariate, attribution });
    const profiler = new WindowProfiler(new CaptureSchema(task.schema.features, task.schema.layout), {
      ...options,
      rows: rows.sink,
    });
    await profileObjects(
      store,
      task.objects,
      profiler,
      (done, bytes) => parentPort?.postMessage({ progress: { done, bytes } }),
      undefined,
      task.ordinals,
    );
    const part = rows.predictions();
    const score = rows.multivariate()?.toJSON() ?? null;
    const sample = rows.attributionSample()?.toJSON() ?? null;
    // The prediction arrays move to the parent without a copy.
    parentPort?.postMessage(
      {
        result: {
          profile: profiler.profile.toJSON(),
          predictions: part,
          multivariate: score,
          attribution: sample,
        },
      },
      part === null ? [] : partBuffers(part),
    );
  } catch (e) {
    parentPort?.postMessage({ error: (e as Error).stack ?? String(e) });
  }
});
