import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AI_COST_DEFAULTS, AiCostMonitoring } from '../../infra/stack/ai-cost-monitoring';
import { InvalidContextValueError, parseUsdAmount } from '../../infra/stack/context-options';
import { resolveStackSettings } from '../../infra/stack/stage-settings';
import { AI_PRICES } from '../../lib/ai/pricing';
import { METRIC_NAMESPACE, METRICS } from '../../lib/observability/metric-names';
import { dashboardWidgets, dashboardWidgetsNamed, metricLines, widgetTitled } from './dashboard-fixture';
import { synthesizeStack, type TemplateResource } from './stack-fixture';

const OPERATIONS = ['categorize', 'insights', 'transcribe', 'ocr'];
const PAID_MODELS = Object.entries(AI_PRICES.models)
  .filter(([, price]) => price.billing !== 'free')
  .map(([key]) => key.split('/')[1]!);

function costSumExpression(dimension: string, value: string, periodSeconds: number): string {
  return (
    `SUM(SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.aiCostUsd}" ` +
    `${dimension}="${value}"', 'Sum', ${periodSeconds}))`
  );
}

describe('AiCostMonitoring in the stack', () => {
  const template = synthesizeStack('dev');
  const widgets = dashboardWidgetsNamed(template, 'Financy-dev-ai-cost');
  const [topicId] = Object.keys(
    template.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'Financy dev alarms' } }),
  );

  it('creates the ai-cost dashboard', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Financy-dev-ai-cost' });
  });

  it('alarms on the daily AI spend', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-dev-ai-daily-spend',
      Namespace: METRIC_NAMESPACE,
      MetricName: METRICS.aiInvocationCostUsd,
      Dimensions: [{ Name: 'service', Value: 'message-processor' }],
      Statistic: 'Sum',
      Period: 86_400,
      EvaluationPeriods: 1,
      Threshold: AI_COST_DEFAULTS.dailySpendAlarmUsd,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
  });

  it('shows the alarm on both dashboards', () => {
    const operationsStatus = dashboardWidgets(template).find((widget) => widget.type === 'alarm');
    const aiStatus = widgetTitled(widgets, 'Alarm');

    expect(operationsStatus?.properties.alarms).toHaveLength(
      Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length,
    );
    expect(aiStatus.properties.alarms).toHaveLength(1);
  });

  it.each([
    ['hour', 'AI cost per hour by operation (USD)', 3_600],
    ['day', 'AI cost per day by operation (USD)', 86_400],
  ])('graphs cost per %s by operation', (_period, title, periodSeconds) => {
    const lines = metricLines(widgetTitled(widgets, title));

    expect(lines.map((line) => line.expression)).toEqual(
      OPERATIONS.map((operation) => costSumExpression('operation', operation, periodSeconds)),
    );
  });

  it.each([
    ['hour', 'AI cost per hour by model (USD)', 3_600],
    ['day', 'AI cost per day by model (USD)', 86_400],
  ])('graphs cost per %s by model', (_period, title, periodSeconds) => {
    const lines = metricLines(widgetTitled(widgets, title));

    expect(lines.map((line) => line.expression)).toEqual(
      PAID_MODELS.map((model) => costSumExpression('model', model, periodSeconds)),
    );
  });

  it('graphs the cost per invocation distribution', () => {
    const lines = metricLines(widgetTitled(widgets, 'AI cost per invocation (USD)'));
    const search = `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.aiInvocationCostUsd}"'`;

    expect(lines.map((line) => line.expression)).toEqual([
      `${search}, 'p50', 3600)`,
      `${search}, 'p90', 3600)`,
      `${search}, 'p99', 3600)`,
      `${search}, 'Maximum', 3600)`,
    ]);
  });

  it('graphs calls as the sample count of the cost', () => {
    const [calls] = metricLines(widgetTitled(widgets, 'AI calls per hour'));

    expect(calls?.expression).toBe(
      `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.aiCostUsd}"', 'SampleCount', 3600)`,
    );
  });

  it('graphs fallbacks by operation and reason', () => {
    const [fallbacks] = metricLines(widgetTitled(widgets, 'AI fallbacks per hour by operation and reason'));

    expect(fallbacks?.expression).toBe(
      `SEARCH('Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.aiFallbacks}"', 'Sum', 3600)`,
    );
  });

  it('draws the alarm threshold on the daily spend graph', () => {
    const widget = widgetTitled(widgets, 'AI spend per day, as the alarm reads it (USD)') as unknown as {
      properties: { annotations?: { horizontal?: { value: number }[] } };
    };

    expect(widget.properties.annotations?.horizontal?.[0]?.value).toBe(AI_COST_DEFAULTS.dailySpendAlarmUsd);
  });
});

describe('aiDailySpendAlarmUsd', () => {
  it('sets the alarm threshold from a stack property', () => {
    const template = synthesizeStack('prod', { aiDailySpendAlarmUsd: 35 });

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'Financy-prod-ai-daily-spend',
      Threshold: 35,
    });
  });

  it('resolves from -c and the stage settings file', () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'financy-stages-'));
    try {
      fs.writeFileSync(path.join(directory, 'dev.json'), JSON.stringify({ aiDailySpendAlarmUsd: 12.5 }));
      const fromFile = resolveStackSettings(new App().node, directory);
      const fromContext = resolveStackSettings(
        new App({ context: { aiDailySpendAlarmUsd: '7' } }).node,
        directory,
      );

      expect(fromFile.aiDailySpendAlarmUsd).toBe(12.5);
      expect(fromContext.aiDailySpendAlarmUsd).toBe(7);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each([0, -1, 'twenty', 'NaN'])('rejects %p', (value) => {
    expect(() => parseUsdAmount('aiDailySpendAlarmUsd', value)).toThrow(InvalidContextValueError);
  });

  it('leaves an unset amount undefined', () => {
    expect(parseUsdAmount('aiDailySpendAlarmUsd', undefined)).toBeUndefined();
    expect(parseUsdAmount('aiDailySpendAlarmUsd', '')).toBeUndefined();
  });
});

describe('AiCostMonitoring', () => {
  function alarmOf(services: string[]): TemplateResource {
    const stack = new Stack(new App(), 'Financy-test');
    new AiCostMonitoring(stack, 'AiCost', { services, dailySpendAlarmUsd: 3 });
    const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm'));

    return alarms[0] as TemplateResource;
  }

  it('adds up several services with FILL', () => {
    const alarm = alarmOf(['message-processor', 'weekly-summary']);
    const metrics = alarm.Properties?.Metrics as { Expression?: string; MetricStat?: unknown }[];

    expect(metrics.find((metric) => metric.Expression !== undefined)?.Expression).toBe(
      'FILL(service0, 0) + FILL(service1, 0)',
    );
    expect(metrics.filter((metric) => metric.MetricStat !== undefined)).toHaveLength(2);
  });

  it.each([0, -5, Number.NaN])('rejects the threshold %p', (threshold) => {
    const stack = new Stack(new App(), 'Financy-test');

    expect(() => new AiCostMonitoring(stack, 'AiCost', { dailySpendAlarmUsd: threshold })).toThrow(
      /threshold .* is invalid/,
    );
  });

  it('rejects an empty service list', () => {
    const stack = new Stack(new App(), 'Financy-test');

    expect(() => new AiCostMonitoring(stack, 'AiCost', { services: [] })).toThrow(/got 0 services/);
  });
});
