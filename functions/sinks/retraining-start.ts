/**
 * Starts a retraining in SageMaker: an execution of a pipeline (StartPipelineExecution, with the
 * window and its report passed as pipeline parameters) or a training job configured like an
 * earlier one (DescribeTrainingJob, then CreateTrainingJob under a new name and output path).
 *
 * A plan (the exact request) is built first, so a dry run can say what would be sent. Both
 * requests are idempotent per window: the pipeline execution carries a ClientRequestToken derived
 * from the endpoint and window, and the job's name is the window's, so a retry after a lost
 * answer finds what the first attempt started instead of starting a second.
 */
import { createHash } from 'node:crypto';
import {
  CreateTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  DescribeTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
  StartPipelineExecutionCommand,
  type StartPipelineExecutionCommandInput,
} from '@aws-sdk/client-sagemaker';
import type {
  PipelineRetraining,
  RetrainingAction,
  TrainingJobRetraining,
} from '../contracts/retraining-config.ts';

/** What a retraining is for. */
export interface RetrainingRequest {
  endpoint: string;
  /** Why it starts, in a sentence (the execution's description). */
  reason: string;
  window: { start: Date; end: Date };
  /** The window's report folder, `s3://bucket/.../hh/`. */
  reportLocation: string;
}

/** The request a retraining would send: a pipeline execution, or a training job copied from its source job. */
export type RetrainingPlan =
  | { kind: 'pipeline'; input: StartPipelineExecutionCommandInput }
  | { kind: 'trainingJob'; input: CreateTrainingJobCommandInput; sourceJobName: string; sourceArn?: string };

/** What a retraining started: the execution or job, by name and ARN. */
export interface RetrainingStarted {
  kind: 'pipeline-execution' | 'training-job';
  name: string;
  arn: string | null;
  /** The start was already made by an earlier attempt for the same window. */
  existed?: true;
}

/** `yyyymmddhh` of a window's start. */
function windowStamp(start: Date): string {
  return start.toISOString().slice(0, 13).replace(/[-T]/g, '');
}

/** The StartPipelineExecution request of a retraining. */
export function pipelineExecutionInput(
  action: PipelineRetraining,
  request: RetrainingRequest,
): StartPipelineExecutionCommandInput {
  const start = request.window.start.toISOString();
  const token = createHash('sha256').update(`${request.endpoint}|${start}`).digest('hex').slice(0, 40);
  return {
    PipelineName: action.pipelineName,
    PipelineExecutionDisplayName: `driftwatch-${windowStamp(request.window.start)}`,
    PipelineExecutionDescription: `driftwatch: ${request.reason}`.slice(0, 3072),
    PipelineParameters: [
      ...Object.entries(action.parameters).map(([Name, Value]) => ({ Name, Value })),
      { Name: action.windowParameters.start, Value: start },
      { Name: action.windowParameters.end, Value: request.window.end.toISOString() },
      { Name: action.windowParameters.report, Value: request.reportLocation },
    ],
    // SageMaker runs a request with a token it has seen once only: a retried start is not a second one.
    ClientRequestToken: `driftwatch-${token}`,
  };
}

/** The name of a retraining job: the prefix and the window's hour. */
export function trainingJobName(action: TrainingJobRetraining, windowStart: Date): string {
  return `${action.jobNamePrefix}-${windowStamp(windowStart)}`;
}

/** Drops the keys whose value is `undefined`, so requests compare and print as sent. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The CreateTrainingJob request of a retraining: the source job's algorithm, data channels,
 * hyperparameters, instances, limits, network and spot settings, under a new name, the configured
 * role and a new output path. Checkpoints go to a folder of the new job, so it does not resume
 * from the source's. Tags, experiments, debugger and profiler settings are not copied.
 */
export function trainingJobInput(
  source: Omit<DescribeTrainingJobCommandOutput, '$metadata'>,
  action: TrainingJobRetraining,
  request: RetrainingRequest,
): CreateTrainingJobCommandInput {
  const name = trainingJobName(action, request.window.start);
  const { AlgorithmSpecification, OutputDataConfig, ResourceConfig, StoppingCondition } = source;
  if (!AlgorithmSpecification || !OutputDataConfig || !ResourceConfig || !StoppingCondition)
    throw new Error(
      `training job ${action.sourceJobName} has no AlgorithmSpecification, OutputDataConfig, ResourceConfig or StoppingCondition to copy; set retraining.trainingJob.sourceJobName to a job SageMaker still describes in full`,
    );
  const checkpoint = source.CheckpointConfig;
  return defined({
    TrainingJobName: name,
    AlgorithmSpecification,
    RoleArn: action.roleArn,
    HyperParameters: source.HyperParameters,
    InputDataConfig: source.InputDataConfig,
    OutputDataConfig: { ...OutputDataConfig, S3OutputPath: action.outputUri },
    ResourceConfig,
    StoppingCondition,
    VpcConfig: source.VpcConfig,
    EnableNetworkIsolation: source.EnableNetworkIsolation,
    EnableInterContainerTrafficEncryption: source.EnableInterContainerTrafficEncryption,
    EnableManagedSpotTraining: source.EnableManagedSpotTraining,
    CheckpointConfig: checkpoint?.S3Uri
      ? { ...checkpoint, S3Uri: `${checkpoint.S3Uri.replace(/\/+$/, '')}/${name}` }
      : undefined,
    Environment: source.Environment,
    RetryStrategy: source.RetryStrategy,
  });
}

/** The exact request a retraining would send (for a training job, after describing its source). */
export async function planRetraining(
  sagemaker: SageMakerClient,
  action: RetrainingAction,
  request: RetrainingRequest,
): Promise<RetrainingPlan> {
  if (action.kind === 'pipeline') return { kind: 'pipeline', input: pipelineExecutionInput(action, request) };
  const source = await sagemaker.send(
    new DescribeTrainingJobCommand({ TrainingJobName: action.sourceJobName }),
  );
  return {
    kind: 'trainingJob',
    input: trainingJobInput(source, action, request),
    sourceJobName: action.sourceJobName,
    ...(source.TrainingJobArn ? { sourceArn: source.TrainingJobArn } : {}),
  };
}

/** A plan in a sentence, for notices. */
export function describePlan(plan: RetrainingPlan): string {
  if (plan.kind === 'pipeline') {
    const params = (plan.input.PipelineParameters ?? []).map((p) => `${p.Name}=${p.Value}`).join(', ');
    return `an execution of SageMaker pipeline ${plan.input.PipelineName} with parameters ${params}`;
  }
  return `SageMaker training job ${plan.input.TrainingJobName}, configured like ${plan.sourceJobName}, writing to ${plan.input.OutputDataConfig?.S3OutputPath}`;
}

const errorName = (e: unknown): string => (e as { name?: string }).name ?? '';

/** Sends a plan's request. */
export async function startPlanned(
  sagemaker: SageMakerClient,
  plan: RetrainingPlan,
): Promise<RetrainingStarted> {
  if (plan.kind === 'pipeline') {
    const res = await sagemaker.send(new StartPipelineExecutionCommand(plan.input));
    const arn = res.PipelineExecutionArn ?? null;
    return { kind: 'pipeline-execution', name: arn?.split('/').pop() ?? plan.input.PipelineName!, arn };
  }
  const name = plan.input.TrainingJobName!;
  try {
    const res = await createTrainingJob(sagemaker, plan.input);
    return { kind: 'training-job', name, arn: res.TrainingJobArn ?? null };
  } catch (e) {
    // The window's job exists: an earlier attempt created it and its answer was lost.
    if (errorName(e) !== 'ResourceInUse') throw e;
    const arn = plan.sourceArn?.replace(/training-job\/.*$/, `training-job/${name.toLowerCase()}`) ?? null;
    return { kind: 'training-job', name, arn, existed: true };
  }
}

/**
 * SageMaker's built-in algorithms report metric definitions in DescribeTrainingJob but refuse
 * them in CreateTrainingJob ("You can't override the metric definitions for Amazon SageMaker
 * algorithms"); such a job is created again without them, as the algorithm brings its own.
 */
async function createTrainingJob(sagemaker: SageMakerClient, input: CreateTrainingJobCommandInput) {
  try {
    return await sagemaker.send(new CreateTrainingJobCommand(input));
  } catch (e) {
    const metrics = input.AlgorithmSpecification?.MetricDefinitions;
    if (
      errorName(e) !== 'ValidationException' ||
      !metrics ||
      !/metric definitions/i.test((e as Error).message)
    )
      throw e;
    const { MetricDefinitions: _, ...algorithm } = input.AlgorithmSpecification!;
    return await sagemaker.send(
      new CreateTrainingJobCommand({ ...input, AlgorithmSpecification: algorithm }),
    );
  }
}
