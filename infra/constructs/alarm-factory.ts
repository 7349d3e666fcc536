import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmProps,
  ComparisonOperator,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/** Properties of an {@link AlarmFactory}. */
export interface AlarmFactoryProps {
  /** The endpoint the alarms belong to; it names them `driftwatch-ENDPOINT-SUFFIX`. */
  readonly endpointName: string;
  /** The endpoint's topic, told of the alarms' transitions. */
  readonly topic: ITopic;
}

/** One alarm of an {@link AlarmFactory}: CloudWatch's own alarm properties, named by the house rule. */
export interface EndpointAlarmProps extends Omit<AlarmProps, 'alarmName'> {
  /** The end of the alarm's name, after `driftwatch-ENDPOINT-`. */
  readonly nameSuffix: string;
  /**
   * How missing data is treated.
   * @default TreatMissingData.NOT_BREACHING (no window yet, or no traffic, is normal here)
   */
  readonly treatMissingData?: TreatMissingData;
  /**
   * Whether the topic is also told when the alarm returns to OK.
   * @default true
   */
  readonly notifyOk?: boolean;
}

/** A function errors alarm of an {@link AlarmFactory}. */
export interface FunctionErrorsAlarmProps {
  /** The end of the alarm's name, after `driftwatch-ENDPOINT-`. */
  readonly nameSuffix: string;
  /** What failed and where to look, as the notification shows it. */
  readonly alarmDescription: string;
}

/**
 * Makes an endpoint's CloudWatch alarms the house way (after cdk-monitoring-constructs'
 * `AlarmFactory`): named `driftwatch-ENDPOINT-SUFFIX`, so an email's subject says where to look
 * and `retraining.on.alarms` can name them, and sending their ALARM (and OK) transitions to the
 * endpoint's topic. The alarms are created in `scope`, which sets their logical ids.
 */
export class AlarmFactory {
  private readonly action: SnsAction;

  constructor(
    private readonly scope: Construct,
    private readonly props: AlarmFactoryProps,
  ) {
    this.action = new SnsAction(props.topic);
  }

  /** `driftwatch-ENDPOINT-SUFFIX`. */
  private alarmName(nameSuffix: string): string {
    return `driftwatch-${this.props.endpointName}-${nameSuffix}`;
  }

  /** An alarm named after `nameSuffix`, its transitions sent to the topic. */
  addAlarm(id: string, props: EndpointAlarmProps): Alarm {
    const { nameSuffix, notifyOk, ...alarmProps } = props;
    const alarm = new Alarm(this.scope, id, {
      ...alarmProps,
      alarmName: this.alarmName(nameSuffix),
      // Missing data is normal for most metrics here (no window yet, no traffic): only the
      // "no data" alarms opt in to breaching.
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    if (notifyOk ?? true) alarm.addOkAction(this.action);
    return alarm;
  }

  /** An alarm on any error of `fn` within an hour. */
  addFunctionErrorsAlarm(id: string, fn: IFunction, props: FunctionErrorsAlarmProps): Alarm {
    return this.addAlarm(id, {
      ...props,
      metric: fn.metricErrors({ statistic: Stats.SUM, period: Duration.hours(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });
  }
}
