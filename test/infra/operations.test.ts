import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template as AssertionsTemplate, Match } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, GraphWidget, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { MONITORED_DEPENDENCIES } from '../../infra/definitions';
import { ALARM_THRESHOLDS, OperationsAlarms } from '../../infra/stack/operations-alarms';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { allDashboardWidgets, dashboardWidgets, metricLines, widgetTitled } from './dashboard-fixture';
import { findFunction, synthesizeStack, type TemplateResource } from './stack-fixture';

describe('OperationsAlarms', () => {
  const template = synthesizeStack('dev');
  const [topicId] = Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Financy dev alarms' } }),
  );

  it('notifies the topic on ALARM and OK', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];

    // Inbound dead letters, message age, processor errors, webhook 5xx, WhatsApp webhook 5xx, failed
    // invocations, notification dead letters, notification failures, stale FX rates, FX refresh errors and
    // AI daily spend, plus one alarm per dependency.
    expect(alarms).toHaveLength(11 + MONITORED_DEPENDENCIES.length);
    for (const alarm of alarms) {
      expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties?.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('treats missing data as healthy except for stale FX rates', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
    const breaching = alarms
      .filter((alarm) => alarm.Properties?.TreatMissingData !== 'notBreaching')
      .map((alarm) => [alarm.Properties?.AlarmName, alarm.Properties?.TreatMissingData]);

    expect(breaching).toEqual([['Financy-dev-fx-rates-stale', 'breaching']]);
  });

  it('alarms on stuck inbound updates', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-inbound-message-age',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Period: 60,
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('InboundQueue'), 'QueueName'] } },
      ],
      Threshold: ALARM_THRESHOLDS.inboundMessageAgeSeconds,
      EvaluationPeriods: ALARM_THRESHOLDS.inboundMessageAgeMinutes,
      DatapointsToAlarm: ALARM_THRESHOLDS.inboundMessageAgeMinutes,
    });
  });

  it('alarms on the processor error rate', () => {
    const [processorId] = findFunction(template, 'message-processor');
    const processorMetric = (metricName: string) =>
      Match.objectLike({
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metricName,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: processorId } }],
          },
          Stat: 'Sum',
        }),
        ReturnData: false,
      });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-processor-error-rate',
      Metrics: Match.arrayWith([
        Match.objectLike({
          Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
          ReturnData: true,
        }),
        processorMetric('Errors'),
        processorMetric('Invocations'),
      ]),
      Threshold: ALARM_THRESHOLDS.processorErrorPercent,
      EvaluationPeriods: ALARM_THRESHOLDS.processorErrorPeriods,
    });
  });

  it('alarms on the webhook 5xx rate', () => {
    const apiMetric = (metricName: string) =>
      Match.objectLike({
        MetricStat: Match.objectLike({
          Metric: {
            Namespace: 'AWS/ApiGateway',
            MetricName: metricName,
            Dimensions: [{ Name: 'ApiId', Value: { Ref: Match.anyValue() } }],
          },
          Stat: 'Sum',
          Period: 60,
        }),
      });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-webhook-5xx',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(requests > 0, 100 * serverErrors / requests, 0)' }),
        apiMetric('5xx'),
        apiMetric('Count'),
      ]),
      Threshold: ALARM_THRESHOLDS.webhookServerErrorPercent,
      EvaluationPeriods: 5,
      DatapointsToAlarm: ALARM_THRESHOLDS.webhookServerErrorMinutes,
    });
  });

  it.each(MONITORED_DEPENDENCIES.map((entry) => [entry.dependency, entry] as const))(
    'alarms when the %s circuit stays open',
    (_dependency, { dependency, callers }) => {
      const [service] = callers;

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: METRIC_NAMESPACE,
        MetricName: METRICS.shortCircuitedCalls,
        Dimensions: [
          { Name: 'dependency', Value: dependency },
          { Name: 'service', Value: service },
        ],
        Statistic: 'Sum',
        Period: 60,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: ALARM_THRESHOLDS.circuitOpenMinutes,
        DatapointsToAlarm: ALARM_THRESHOLDS.circuitOpenMinutes,
      });
    },
  );

  it('leaves FX providers without a circuit alarm', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as TemplateResource[];
    const alarmNames = alarms.map((alarm) => JSON.stringify(alarm.Properties?.AlarmName));

    expect(MONITORED_DEPENDENCIES.map((entry) => entry.dependency)).toEqual([
      'telegram',
      'whatsapp',
      'whatsapp:media',
      'ses',
      'sns',
      'slack',
    ]);
    expect(alarmNames.filter((name) => name.includes('circuit-open-fx'))).toEqual([]);
  });

  it('matches each caller to a function of the stack', () => {
    for (const { callers } of MONITORED_DEPENDENCIES) {
      for (const service of callers) {
        expect(() => findFunction(template, service)).not.toThrow();
      }
    }
  });

  it('creates one circuit alarm per listed dependency', () => {
    const stack = new Stack(new App(), 'Subject');
    const alarms = new OperationsAlarms(stack, 'Alarms', {
      alarmTopic: new Topic(stack, 'Topic'),
      api: new HttpApi(stack, 'Api'),
      inboundQueue: new Queue(stack, 'Queue'),
      processorFunction: new LambdaFunction(stack, 'Processor', {
        runtime: Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: Code.fromInline('export const handler = async () => {};'),
      }),
      dependencies: [
        { dependency: 'telegram', callers: ['message-processor'] },
        { dependency: 'whatsapp', callers: ['message-processor'] },
        { dependency: 'fx:ecb', callers: ['fx-refresh', 'message-processor'] },
      ],
    });
    const subject = AssertionsTemplate.fromStack(stack);

    expect([...alarms.circuitOpen.keys()]).toEqual(['telegram', 'whatsapp', 'fx:ecb']);
    subject.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    subject.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Subject-circuit-open-fx-ecb',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(caller0, 0) + FILL(caller1, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'caller0',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Dimensions: [
                { Name: 'dependency', Value: 'fx:ecb' },
                { Name: 'service', Value: 'fx-refresh' },
              ],
            }),
          }),
        }),
      ]),
    });
  });
});

describe('OperationsDashboard', () => {
  const template = synthesizeStack('dev');
  const widgets = dashboardWidgets(template);

  it('names the dashboard after the stack', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Financy-dev-operations' });
    template.hasOutput('OperationsDashboardName', {});
  });

  it('shows every alarm in the status widget', () => {
    const statusWidget = widgets.find((widget) => widget.type === 'alarm');
    const alarmCount = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length;

    expect(statusWidget?.properties.alarms).toHaveLength(alarmCount);
  });

  it.each(Object.values(METRICS))('graphs the custom metric %s through SEARCH', (metricName) => {
    const expressions = allDashboardWidgets(template).flatMap((widget) =>
      metricLines(widget).map((line) => line.expression ?? ''),
    );
    const search = `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${metricName}"'`;

    expect(expressions.some((expression) => expression.startsWith(search))).toBe(true);
  });

  it('graphs API Gateway 4xx and 5xx', () => {
    const names = metricLines(widgetTitled(widgets, 'API Gateway requests, 4xx and 5xx')).map(
      (line) => line.name,
    );

    expect(names).toEqual(['Count', '4xx', '5xx']);
  });

  it('graphs acknowledgement latency at p50 and p99', () => {
    const lines = metricLines(widgetTitled(widgets, 'Acknowledgement latency (ms)'));

    expect(lines.map((line) => `${line.name} ${line.stat}`)).toEqual([
      'Latency p50',
      'Latency p99',
      'Duration p50',
      'Duration p99',
    ]);
  });

  it('graphs queue age and depths', () => {
    expect(metricLines(widgetTitled(widgets, 'Oldest inbound update (s)')).map((line) => line.name)).toEqual([
      'ApproximateAgeOfOldestMessage',
    ]);
    expect(metricLines(widgetTitled(widgets, 'Inbound queue depth')).map((line) => line.name)).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
    ]);
    expect(metricLines(widgetTitled(widgets, 'Dead-letter queue depth')).map((line) => line.name)).toEqual([
      'ApproximateNumberOfMessagesVisible',
    ]);
  });

  it('graphs processor errors and duration', () => {
    expect(
      metricLines(widgetTitled(widgets, 'Processor invocations, errors and throttles')).map(
        (line) => line.name,
      ),
    ).toEqual(['Invocations', 'Errors', 'Throttles']);
    expect(metricLines(widgetTitled(widgets, 'Processor duration (ms)')).map((line) => line.stat)).toEqual([
      'p50',
      'p99',
      'Maximum',
    ]);
  });

  it('lets a later feature add a section and an alarm', () => {
    const extended = synthesizeStack('dev', {}, (stack) => {
      const staleness = new Alarm(stack, 'FxStalenessAlarm', {
        metric: new Metric({
          namespace: METRIC_NAMESPACE,
          metricName: 'FxRateAge',
          period: Duration.minutes(5),
        }),
        threshold: 5_400,
        evaluationPeriods: 1,
      });
      stack.addOperationalAlarm(staleness);
      stack.operationsDashboard.addSection('FX rates', [
        new GraphWidget({ title: 'FX rate age (s)', left: [] }),
      ]);
    });
    const extendedWidgets = dashboardWidgets(extended);
    const [topicId] = Object.keys(
      extended.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Financy dev alarms' } }),
    );

    extended.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'FxRateAge',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    expect(extendedWidgets.find((widget) => widget.type === 'alarm')?.properties.alarms).toHaveLength(
      Object.keys(extended.findResources('AWS::CloudWatch::Alarm')).length,
    );
    expect(extendedWidgets.at(-2)?.properties.markdown).toBe('## FX rates');
    expect(extendedWidgets.at(-1)?.properties.title).toBe('FX rate age (s)');
  });
});
