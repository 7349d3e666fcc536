import { Aws, Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** Properties of a {@link MonitorSchedule}. */
export interface MonitorScheduleProps {
  /** The function the schedule invokes (asynchronously), or the state machine it starts (fan-out). */
  readonly target: IFunction | IStateMachine;
  /** An EventBridge Scheduler expression such as `cron(10 * * * ? *)`. */
  readonly expression: string;
  /** Receives the invocations Scheduler could not deliver after its retries. */
  readonly deadLetterQueue: IQueue;
  /**
   * The JSON payload of each invocation.
   * @default "{}" (the monitor then profiles the last complete hour)
   */
  readonly input?: string;
  /**
   * The time zone of `expression`.
   * @default "UTC"
   */
  readonly timeZone?: string;
  /**
   * How long Scheduler keeps retrying a delivery that fails (throttling, say).
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
  /**
   * How many times Scheduler retries a failed delivery.
   * @default 3
   */
  readonly retryAttempts?: number;
  /**
   * What the schedule does, shown in the EventBridge Scheduler console.
   * @default - none
   */
  readonly description?: string;
}

/**
 * An EventBridge Scheduler schedule that invokes a function, with a dead-letter queue for
 * deliveries that fail. It uses `CfnSchedule` with a role of its own rather than the L2
 * `LambdaInvoke` target, whose role is granted `lambda:InvokeFunction` on `FUNCTION_ARN:*`
 * (every version and alias) too; this one may invoke the function's ARN only.
 */
export class MonitorSchedule extends Construct {
  readonly schedule: CfnSchedule;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MonitorScheduleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      description: 'Lets EventBridge Scheduler invoke the driftwatch monitor',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule-group/default`,
          },
        },
      }),
    });
    const target = props.target;
    const [targetArn, action] =
      'stateMachineArn' in target
        ? [target.stateMachineArn, 'states:StartExecution']
        : [target.functionArn, 'lambda:InvokeFunction'];
    this.role.addToPolicy(new PolicyStatement({ actions: [action], resources: [targetArn] }));
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.deadLetterQueue.queueArn] }),
    );

    this.schedule = new CfnSchedule(this, 'Schedule', {
      ...(props.description ? { description: props.description } : {}),
      scheduleExpression: props.expression,
      scheduleExpressionTimezone: props.timeZone ?? 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: targetArn,
        roleArn: this.role.roleArn,
        input: props.input ?? '{}',
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
        retryPolicy: {
          maximumEventAgeInSeconds: (props.maxEventAge ?? Duration.hours(6)).toSeconds(),
          maximumRetryAttempts: props.retryAttempts ?? 3,
        },
      },
    });
    // The role's policy must exist before the first invocation.
    this.schedule.node.addDependency(this.role);
  }
}
