import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** The repository root: where `package-lock.json` and `tsconfig.json` live. */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The runtime every driftwatch function runs on, and the matching esbuild target. */
const RUNTIME = Runtime.NODEJS_24_X;
const ESBUILD_TARGET = 'node24';

/** Properties of a {@link DriftwatchFunction}. */
/** A function's memory in MB unless its props say otherwise. */
export const DEFAULT_MEMORY_MB = 1024;

export interface DriftwatchFunctionProps {
  /** Absolute path of the handler's entry file; it must export `handler`. */
  readonly entry: string;
  /**
   * What the function does, shown in the Lambda console.
   * @default - no description
   */
  readonly description?: string;
  /**
   * Environment variables, added to the house ones (`NODE_OPTIONS=--enable-source-maps`).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Memory in MB; CPU scales with it, so a profiling run is faster, not dearer, with more.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * How long one invocation may run.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Concurrency reserved for (and capping) the function.
   * @default - none reserved: the function shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * How long the function's log group keeps logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * What happens to the log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY (logs expire after `logRetention` anyway)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * The directory esbuild runs in, holding `package-lock.json` and `tsconfig.json`.
   * @default - the repository root
   */
  readonly projectRoot?: string;
}

/**
 * A `NodejsFunction` with the house defaults, so every driftwatch function is built the same way:
 * Node.js 24 on arm64 (about 20% cheaper per GB-second than x86), 1 GB, five minutes, X-Ray
 * tracing, an explicit log group with a retention, source-mapped stack traces, and an ESM bundle
 * made by the local esbuild (no Docker).
 *
 * The role and log group are created next to the function (ids `<id>Role`, `<id>LogGroup`): they
 * must exist before `super()` runs, so they cannot be its children. The role has no managed
 * policy; it may only write to its own log group, and callers grant the rest.
 */
export class DriftwatchFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: DriftwatchFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // Our own role instead of the default one, which carries the AWS managed
    // AWSLambdaBasicExecutionRole (logs:CreateLogGroup and friends on every log group).
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${id} function`,
    });
    logGroup.grantWrite(role);

    const projectRoot = props.projectRoot ?? REPO_ROOT;
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      ...(props.description ? { description: props.description } : {}),
      runtime: RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? Duration.minutes(5),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      projectRoot,
      depsLockFilePath: `${projectRoot.replace(/\/$/, '')}/package-lock.json`,
      bundling: {
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        minify: true,
        sourceMap: true,
        // The map only needs line mappings for stack traces; the sources would double the asset.
        sourcesContent: false,
        mainFields: ['module', 'main'],
        // Bundle the AWS SDK rather than use the runtime's copy: the tested versions ship, and
        // packages the runtime may not carry (@aws-sdk/lib-storage) resolve.
        bundleAwsSDK: true,
        // CommonJS dependencies inside an ESM bundle still call require().
        banner:
          "import { createRequire as __dwCreateRequire } from 'node:module'; const require = __dwCreateRequire(import.meta.url);",
      },
    });

    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions, so "*" is their narrowest resource.',
    });
  }
}
