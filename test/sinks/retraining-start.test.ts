// The SageMaker requests a retraining sends, exactly, against a mocked SageMaker client.
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  type DescribeTrainingJobCommandOutput,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type {
  PipelineRetraining,
  TrainingJobRetraining,
} from '../../functions/contracts/retraining-config.ts';
import {
  describePlan,
  planRetraining,
  type RetrainingRequest,
  startPlanned,
} from '../../functions/sinks/retraining-start.ts';

const sagemaker = new SageMakerClient({ region: 'us-east-1' });
const mock = mockClient(sagemaker);
beforeEach(() => mock.reset());

const REQUEST: RetrainingRequest = {
  endpoint: 'churn-xgb',
  reason: 'dataset drift was detected in the window of 2026-11-26 05:00 UTC',
  window: { start: new Date('2026-11-26T05:00:00Z'), end: new Date('2026-11-26T06:00:00Z') },
  reportLocation: 's3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
};

const PIPELINE: PipelineRetraining = {
  kind: 'pipeline',
  pipelineName: 'churn-retrain',
  parameters: { TrainingInstanceType: 'ml.m5.xlarge', Epochs: '20' },
  windowParameters: { start: 'WindowStart', end: 'WindowEnd', report: 'ReportUri' },
};

const TRAINING_JOB: TrainingJobRetraining = {
  kind: 'trainingJob',
  sourceJobName: 'churn-xgb-2026-10-01-12-00-00-000',
  roleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
  jobNamePrefix: 'churn-xgb-retrain',
  outputUri: 's3://reports/retraining/churn-xgb/training-jobs',
};

/** What DescribeTrainingJob answers for the source job: configuration and run details. */
const SOURCE: Omit<DescribeTrainingJobCommandOutput, '$metadata'> = {
  TrainingJobName: 'churn-xgb-2026-10-01-12-00-00-000',
  TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-2026-10-01-12-00-00-000',
  TrainingJobStatus: 'Completed',
  SecondaryStatus: 'Completed',
  ModelArtifacts: { S3ModelArtifacts: 's3://ml/models/churn-xgb-2026-10-01/output/model.tar.gz' },
  AlgorithmSpecification: {
    TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    TrainingInputMode: 'File',
    MetricDefinitions: [
      { Name: 'validation:auc', Regex: '.*\\[[0-9]+\\].*#011validation-auc:([-+]?[0-9]*\\.?[0-9]+).*' },
    ],
    EnableSageMakerMetricsTimeSeries: false,
  },
  RoleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
  HyperParameters: { objective: 'binary:logistic', num_round: '100', max_depth: '5' },
  InputDataConfig: [
    {
      ChannelName: 'train',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: 's3://ml/churn/train/',
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      ContentType: 'text/csv',
      CompressionType: 'None',
    },
    {
      ChannelName: 'validation',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: 's3://ml/churn/validation/',
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      ContentType: 'text/csv',
    },
  ],
  OutputDataConfig: {
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd',
    S3OutputPath: 's3://ml/models/',
  },
  ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
  StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
  EnableNetworkIsolation: false,
  EnableInterContainerTrafficEncryption: true,
  EnableManagedSpotTraining: true,
  CheckpointConfig: { S3Uri: 's3://ml/checkpoints/churn/' },
  CreationTime: new Date('2026-10-01T12:00:00Z'),
  TrainingStartTime: new Date('2026-10-01T12:02:00Z'),
  BillableTimeInSeconds: 412,
};

/** The CreateTrainingJob request the source job gives. */
const EXPECTED_CREATE = {
  TrainingJobName: 'churn-xgb-retrain-2026112605',
  AlgorithmSpecification: SOURCE.AlgorithmSpecification,
  RoleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
  HyperParameters: { objective: 'binary:logistic', num_round: '100', max_depth: '5' },
  InputDataConfig: SOURCE.InputDataConfig,
  OutputDataConfig: {
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/abcd',
    S3OutputPath: 's3://reports/retraining/churn-xgb/training-jobs',
  },
  ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
  StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
  EnableNetworkIsolation: false,
  EnableInterContainerTrafficEncryption: true,
  EnableManagedSpotTraining: true,
  CheckpointConfig: { S3Uri: 's3://ml/checkpoints/churn/churn-xgb-retrain-2026112605' },
};

describe('a pipeline retraining', () => {
  it('sends StartPipelineExecution with the configured parameters, the window and the report', async () => {
    mock.on(StartPipelineExecutionCommand).resolves({
      PipelineExecutionArn:
        'arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-retrain/execution/7x1q2w3e4r5t',
    });

    const started = await startPlanned(sagemaker, await planRetraining(sagemaker, PIPELINE, REQUEST));

    expect(mock.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input)).toEqual([
      {
        PipelineName: 'churn-retrain',
        PipelineExecutionDisplayName: 'driftwatch-2026112605',
        PipelineExecutionDescription:
          'driftwatch: dataset drift was detected in the window of 2026-11-26 05:00 UTC',
        PipelineParameters: [
          { Name: 'TrainingInstanceType', Value: 'ml.m5.xlarge' },
          { Name: 'Epochs', Value: '20' },
          { Name: 'WindowStart', Value: '2026-11-26T05:00:00.000Z' },
          { Name: 'WindowEnd', Value: '2026-11-26T06:00:00.000Z' },
          { Name: 'ReportUri', Value: 's3://reports/reports/churn-xgb/hourly/2026/11/26/05/' },
        ],
        ClientRequestToken: expect.stringMatching(/^driftwatch-[0-9a-f]{40}$/),
      },
    ]);
    expect(started).toEqual({
      kind: 'pipeline-execution',
      name: '7x1q2w3e4r5t',
      arn: 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-retrain/execution/7x1q2w3e4r5t',
    });
  });

  it('uses the same idempotency token for the same endpoint and window, another for another window', async () => {
    const token = async (request: RetrainingRequest) => {
      const plan = await planRetraining(sagemaker, PIPELINE, request);
      return plan.kind === 'pipeline' ? plan.input.ClientRequestToken : undefined;
    };
    const later = {
      ...REQUEST,
      window: { start: new Date('2026-11-26T06:00:00Z'), end: REQUEST.window.end },
    };

    expect(await token({ ...REQUEST, reason: 'an alarm' })).toBe(await token(REQUEST));
    expect(await token(later)).not.toBe(await token(REQUEST));
  });
});

describe('a training-job retraining', () => {
  it('describes the source job and creates a copy under a new name, role and output path', async () => {
    mock.on(DescribeTrainingJobCommand).resolves(SOURCE);
    mock.on(CreateTrainingJobCommand).resolves({
      TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-retrain-2026112605',
    });

    const plan = await planRetraining(sagemaker, TRAINING_JOB, REQUEST);
    const started = await startPlanned(sagemaker, plan);

    expect(mock.commandCalls(DescribeTrainingJobCommand).map((c) => c.args[0].input)).toEqual([
      { TrainingJobName: 'churn-xgb-2026-10-01-12-00-00-000' },
    ]);
    expect(mock.commandCalls(CreateTrainingJobCommand).map((c) => c.args[0].input)).toEqual([
      EXPECTED_CREATE,
    ]);
    expect(started).toEqual({
      kind: 'training-job',
      name: 'churn-xgb-retrain-2026112605',
      arn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-retrain-2026112605',
    });
    expect(describePlan(plan)).toBe(
      'SageMaker training job churn-xgb-retrain-2026112605, configured like churn-xgb-2026-10-01-12-00-00-000, writing to s3://reports/retraining/churn-xgb/training-jobs',
    );
  });

  it('creates the job again without metric definitions when SageMaker refuses them for a built-in algorithm', async () => {
    mock.on(DescribeTrainingJobCommand).resolves(SOURCE);
    mock
      .on(CreateTrainingJobCommand)
      .rejectsOnce(
        Object.assign(
          new Error(
            "You can't override the metric definitions for Amazon SageMaker algorithms. Please retry the request without specifying metric definitions.",
          ),
          { name: 'ValidationException' },
        ),
      )
      .resolves({
        TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-retrain-2026112605',
      });

    await startPlanned(sagemaker, await planRetraining(sagemaker, TRAINING_JOB, REQUEST));

    const { MetricDefinitions: _, ...algorithm } = SOURCE.AlgorithmSpecification!;
    expect(mock.commandCalls(CreateTrainingJobCommand).map((c) => c.args[0].input)).toEqual([
      EXPECTED_CREATE,
      { ...EXPECTED_CREATE, AlgorithmSpecification: algorithm },
    ]);
  });

  it('takes a job of the same name (ResourceInUse) as started by an earlier attempt, not as a failure', async () => {
    mock.on(DescribeTrainingJobCommand).resolves(SOURCE);
    mock
      .on(CreateTrainingJobCommand)
      .rejects(Object.assign(new Error('Training job names must be unique'), { name: 'ResourceInUse' }));

    const started = await startPlanned(sagemaker, await planRetraining(sagemaker, TRAINING_JOB, REQUEST));

    expect(started).toEqual({
      kind: 'training-job',
      name: 'churn-xgb-retrain-2026112605',
      arn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-retrain-2026112605',
      existed: true,
    });
  });

  it('fails with the fix when the source job cannot be copied', async () => {
    mock.on(DescribeTrainingJobCommand).resolves({ TrainingJobName: 'x' });

    await expect(planRetraining(sagemaker, TRAINING_JOB, REQUEST)).rejects.toThrow(
      'training job churn-xgb-2026-10-01-12-00-00-000 has no AlgorithmSpecification, OutputDataConfig, ResourceConfig or StoppingCondition to copy; set retraining.trainingJob.sourceJobName to a job SageMaker still describes in full',
    );
  });
});
