import { Match } from 'aws-cdk-lib/assertions';
import { FX_ALARM_THRESHOLDS } from '../../infra/stack/fx-monitoring';
import { NOTIFICATION_ALARM_THRESHOLDS } from '../../infra/stack/notification-monitoring';
import { NOTIFICATION_KINDS } from '../../lib/notify/templates/types';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { dashboardWidgets, sectionTitles } from './dashboard-fixture';
import { findFunction, resourcesOf, synthesizeStack } from './stack-fixture';

describe('FX operations', () => {
  const template = synthesizeStack('dev');

  it('alarms on stale rates, also when no age is recorded', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-fx-rates-stale',
      Namespace: METRIC_NAMESPACE,
      MetricName: METRICS.fxRatesAge,
      Dimensions: [{ Name: 'service', Value: 'fx-refresh' }],
      Statistic: 'Maximum',
      Period: 3_600,
      Threshold: FX_ALARM_THRESHOLDS.ratesStaleSeconds,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'breaching',
    });
  });

  it('alarms on refresh errors in consecutive hours', () => {
    const [functionId] = findFunction(template, 'fx-refresh');

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-fx-refresh-errors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      Statistic: 'Sum',
      Period: 3_600,
      Threshold: 1,
      EvaluationPeriods: FX_ALARM_THRESHOLDS.refreshErrorHours,
      DatapointsToAlarm: FX_ALARM_THRESHOLDS.refreshErrorHours,
    });
    expect(FX_ALARM_THRESHOLDS.refreshErrorHours).toBeGreaterThanOrEqual(2);
  });

  it('shows rate age, refreshes and provider requests', () => {
    expect(sectionTitles(dashboardWidgets(template), 'FX rates')).toEqual([
      'Age of the stalest exchange rate (s)',
      'FX refreshes by outcome',
      'FX provider requests by provider and outcome',
      'FX refresh invocations and errors',
    ]);
  });
});

describe('notification operations', () => {
  const template = synthesizeStack('dev');

  it('alarms on failures by kind, without deferrals', () => {
    const failedMetric = (kind: string, reason: string) =>
      Match.objectLike({
        Id: `${kind}_${reason}`,
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: METRIC_NAMESPACE,
            MetricName: METRICS.notificationsFailed,
            Dimensions: Match.arrayWith([
              { Name: 'kind', Value: kind },
              { Name: 'reason', Value: reason },
              { Name: 'service', Value: 'notification-sender' },
            ]),
          },
          Stat: 'Sum',
          Period: 300,
        }),
      });
    const expected = [
      ...NOTIFICATION_KINDS.flatMap((kind) => [failedMetric(kind, 'rejected'), failedMetric(kind, 'error')]),
      failedMetric('unknown', 'invalid'),
    ];

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-notification-failures',
      Metrics: Match.arrayWith([
        Match.objectLike({ ReturnData: true, Expression: Match.stringLikeRegexp('FILL') }),
        ...expected,
      ]),
      Threshold: NOTIFICATION_ALARM_THRESHOLDS.failedRecordsPerFiveMinutes,
      EvaluationPeriods: NOTIFICATION_ALARM_THRESHOLDS.failedRecordPeriods,
      DatapointsToAlarm: NOTIFICATION_ALARM_THRESHOLDS.failedRecordPeriods,
    });
    // CloudWatch accepts at most 10 metrics in a metric math alarm.
    expect(expected.length).toBeLessThanOrEqual(10);
    expect(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm'))).not.toContain('_deferred');
  });

  it('shows sends, failures, feedback, queues and the sender', () => {
    expect(sectionTitles(dashboardWidgets(template), 'Notifications')).toEqual([
      'Notifications sent and skipped, by kind and reason',
      'Notification records failed, by kind and reason',
      'SES feedback and new suppressions',
      'Notification queue: oldest message (s)',
      'Notification queue depth',
      'Notification sender invocations, errors and throttles',
    ]);
  });

  it.each([
    'Financy-dev-failed-invocations',
    'Financy-dev-notification-dead-letter-queue-not-empty',
    'Financy-dev-notification-failures',
    'Financy-dev-fx-rates-stale',
    'Financy-dev-fx-refresh-errors',
  ])('shows %s in the alarm status widget', (alarmName) => {
    const [alarmId] = Object.keys(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: alarmName } }),
    );
    const [, dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]!;
    const bodyParts = (dashboard.Properties!.DashboardBody as { 'Fn::Join': [string, unknown[]] })[
      'Fn::Join'
    ][1];

    expect(alarmId).toBeDefined();
    expect(bodyParts).toContainEqual({ 'Fn::GetAtt': [alarmId, 'Arn'] });
  });
});
