/**
 * The retraining Lambda, subscribed to one endpoint's topic: starts a SageMaker pipeline
 * execution or training job when a window summary shows dataset drift or a model-quality
 * violation, or a named alarm goes to ALARM; keeps a durable cooldown; publishes a notice of
 * every start or skip to the topic (functions/pipeline/retraining-run.ts). Reads
 * `RETRAINING_CONFIG`.
 */

import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseRetrainingConfig } from '../contracts/retraining-config.ts';
import { logFailures } from '../pipeline/failure-log.ts';
import { type RetrainingDeps, type RetrainingOutcome, runRetraining } from '../pipeline/retraining-run.ts';

/** The handler over the deps `deps` makes on the first invocation (tests pass s3rver's client and mocks). */
export function createRetrainingHandler(deps: () => RetrainingDeps) {
  let built: RetrainingDeps | undefined;
  return async (event: unknown): Promise<RetrainingOutcome[]> => {
    built ??= deps();
    const d = built;
    return logFailures(
      'retraining failed',
      { endpoint: d.config.endpoint },
      () => runRetraining(d, event),
      (e) => `${e.name}: ${e.message}`,
    );
  };
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
export const handler = createRetrainingHandler(() => ({
  config: parseRetrainingConfig(process.env.RETRAINING_CONFIG),
  s3: new S3Client({ maxAttempts: 5 }),
  sagemaker: new SageMakerClient({ maxAttempts: 5 }),
  sns: new SNSClient({ maxAttempts: 5 }),
  now: () => new Date(),
}));
