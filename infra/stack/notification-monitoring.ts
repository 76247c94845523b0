import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  Color,
  ComparisonOperator,
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { NOTIFICATION_KINDS } from '../../lib/notify/templates/types';
import {
  METRICS,
  type NotificationFailureReason,
  type NotificationKindDimension,
} from '../../lib/observability/metric-names';
import { SERVICE_NAMES } from '../definitions';
import { customMetric, searchCustomMetric } from './custom-metrics';

/** Thresholds of {@link NotificationMonitoring}, with the reasoning behind each default. */
export const NOTIFICATION_ALARM_THRESHOLDS = {
  /**
   * Failed notification records per 5 minutes, deferrals not counted. A record that keeps failing comes
   * back once per 6-minute visibility timeout, so one bad notification adds about 1 per period. Ten per
   * period means that many notifications fail at once, for example because a provider rejects all of them or
   * a secret or identity is wrong. This is an estimate for the expected volume, not a measurement.
   */
  failedRecordsPerFiveMinutes: 10,
  /** Consecutive 5-minute periods above the failure threshold before the alarm fires. */
  failedRecordPeriods: 2,
} as const;

/**
 * Failures that the alarm counts, as the sender records them: a provider rejection (`rejected`) or any
 * other error (`error`) per kind, and `invalid` records, which have the kind `unknown`. A deferral is a
 * wait for a rate limit or an open circuit, not a failure of the notification, so it is left out. These are
 * 9 metrics, within the 10 that a metric math alarm accepts.
 */
const COUNTED_FAILURES: readonly { kind: NotificationKindDimension; reason: NotificationFailureReason }[] = [
  ...NOTIFICATION_KINDS.flatMap((kind) =>
    (['rejected', 'error'] as const).map((reason) => ({ kind, reason })),
  ),
  { kind: 'unknown', reason: 'invalid' },
];

const ONE_MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/** Properties of {@link NotificationMonitoring}. */
export interface NotificationMonitoringProps {
  /** The notification sender. */
  readonly senderFunction: IFunction;
  /** The notification queue. */
  readonly queue: IQueue;
  /** The notification queue's dead-letter queue. */
  readonly deadLetterQueue: IQueue;
}

/**
 * The notification failures alarm and the dashboard widgets of the notifications: what was sent, skipped
 * and failed by kind, SES feedback and new suppressions, the queues, and the sender function. The
 * dead-letter alarm belongs to {@link Notifications}.
 */
export class NotificationMonitoring extends Construct {
  /** Many notification records failed in consecutive periods. */
  readonly failures: Alarm;
  /** Widgets of the dashboard's notifications section. */
  readonly widgets: IWidget[];

  constructor(scope: Construct, id: string, props: NotificationMonitoringProps) {
    super(scope, id);

    const usingMetrics: Record<string, IMetric> = {};
    for (const { kind, reason } of COUNTED_FAILURES) {
      usingMetrics[`${kind}_${reason}`] = customMetric(
        METRICS.notificationsFailed,
        SERVICE_NAMES.notificationSender,
        { kind, reason },
        { period: FIVE_MINUTES, statistic: 'Sum' },
      );
    }
    this.failures = new Alarm(this, 'FailuresAlarm', {
      alarmName: `${Stack.of(this).stackName}-notification-failures`,
      alarmDescription:
        `More than ${NOTIFICATION_ALARM_THRESHOLDS.failedRecordsPerFiveMinutes} notification records failed in each of ` +
        `${NOTIFICATION_ALARM_THRESHOLDS.failedRecordPeriods} consecutive 5-minute periods (deferrals not counted). ` +
        'Runbook: docs/operations.md, "Notification failures".',
      metric: new MathExpression({
        expression: Object.keys(usingMetrics)
          .map((metricId) => `FILL(${metricId}, 0)`)
          .join(' + '),
        usingMetrics,
        period: FIVE_MINUTES,
        label: 'Failed notification records',
      }),
      threshold: NOTIFICATION_ALARM_THRESHOLDS.failedRecordsPerFiveMinutes,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: NOTIFICATION_ALARM_THRESHOLDS.failedRecordPeriods,
      datapointsToAlarm: NOTIFICATION_ALARM_THRESHOLDS.failedRecordPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.widgets = notificationWidgets(props);
  }
}

function graph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 8, height: 6 });
}

function notificationWidgets(props: NotificationMonitoringProps): IWidget[] {
  const { senderFunction, queue, deadLetterQueue } = props;

  return [
    graph('Notifications sent and skipped, by kind and reason', [
      searchCustomMetric(METRICS.notificationsSent, { statistic: 'Sum', period: FIVE_MINUTES }),
      searchCustomMetric(METRICS.notificationsSkipped, { statistic: 'Sum', period: FIVE_MINUTES }),
    ]),
    new GraphWidget({
      title: 'Notification records failed, by kind and reason',
      left: [searchCustomMetric(METRICS.notificationsFailed, { statistic: 'Sum', period: FIVE_MINUTES })],
      leftAnnotations: [
        {
          value: NOTIFICATION_ALARM_THRESHOLDS.failedRecordsPerFiveMinutes,
          label: 'Alarm threshold (all failures)',
        },
      ],
      width: 8,
      height: 6,
    }),
    graph('SES feedback and new suppressions', [
      searchCustomMetric(METRICS.sesFeedback, { statistic: 'Sum', period: FIVE_MINUTES }),
      searchCustomMetric(METRICS.addressesSuppressed, { statistic: 'Sum', period: FIVE_MINUTES }),
    ]),
    graph('Notification queue: oldest message (s)', [
      queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', period: ONE_MINUTE, label: 'Age' }),
    ]),
    graph('Notification queue depth', [
      queue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'Waiting',
      }),
      queue.metricApproximateNumberOfMessagesNotVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'In flight or deferred',
      }),
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'Dead-lettered',
        color: Color.RED,
      }),
    ]),
    graph('Notification sender invocations, errors and throttles', [
      senderFunction.metricInvocations({ statistic: 'Sum', period: ONE_MINUTE, label: 'Invocations' }),
      senderFunction.metricErrors({ statistic: 'Sum', period: ONE_MINUTE, label: 'Errors' }),
      senderFunction.metricThrottles({ statistic: 'Sum', period: ONE_MINUTE, label: 'Throttles' }),
    ]),
  ];
}
