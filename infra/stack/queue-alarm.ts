import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Properties of {@link queueNotEmptyAlarm}. */
export interface QueueNotEmptyAlarmProps {
  /** Queue that should stay empty, such as a dead-letter queue. */
  readonly queue: IQueue;
  /** Suffix of the alarm name, after the stack name. */
  readonly nameSuffix: string;
  /** Alarm description: the meaning of a message in the queue, the action to take and the runbook section. */
  readonly description: string;
}

/**
 * Creates an alarm that fires when a queue that should stay empty has a visible message in a 1-minute
 * period. A period without data counts as empty.
 */
export function queueNotEmptyAlarm(scope: Construct, id: string, props: QueueNotEmptyAlarmProps): Alarm {
  return new Alarm(scope, id, {
    alarmName: `${Stack.of(scope).stackName}-${props.nameSuffix}`,
    alarmDescription: props.description,
    metric: props.queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}
