import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { AI_PRICES } from '../../lib/ai/pricing';
import type { AiOperation } from '../../lib/ai/usage';
import {
  METRIC_NAMESPACE,
  METRICS,
  type MetricDimension,
  type MetricName,
} from '../../lib/observability/metric-names';
import { SERVICE_NAMES } from '../definitions';
import { customMetric, searchCustomMetric } from './custom-metrics';

/** Defaults of {@link AiCostMonitoring}. */
export const AI_COST_DEFAULTS = {
  /**
   * AI spend per day, in US dollars, above which the alarm fires. At the default per-user budget of
   * $0.05 a day it takes at least 400 users at their limit, so crossing it means many more users or a
   * budget that does not hold. It is a starting point for a small user base, not a measurement: set
   * `aiDailySpendAlarmUsd` per stage.
   */
  dailySpendAlarmUsd: 20,
  /** Functions that make AI calls and record `AiInvocationCostUsd`, by Powertools service name. */
  services: [SERVICE_NAMES.messageProcessor] as readonly string[],
} as const;

/** Values of the `operation` dimension, in the order the graphs show them. */
const AI_OPERATIONS: readonly AiOperation[] = ['categorize', 'insights', 'transcribe', 'ocr'];

const ONE_HOUR = Duration.hours(1);
const ONE_DAY = Duration.days(1);
const ROW_WIDTH = 24;
const GRAPH_HEIGHT = 6;

/** Properties of {@link AiCostMonitoring}. */
export interface AiCostMonitoringProps {
  /**
   * AI spend per day, in US dollars, above which the daily spend alarm fires. The app reads it from
   * `-c aiDailySpendAlarmUsd=<amount>` or the stage settings file.
   * @default AI_COST_DEFAULTS.dailySpendAlarmUsd (20)
   */
  readonly dailySpendAlarmUsd?: number;
  /**
   * Powertools service names of the functions that make AI calls. The alarm adds up their
   * `AiInvocationCostUsd`; at most 10, the metrics that one alarm accepts.
   * @default AI_COST_DEFAULTS.services, the message processor
   */
  readonly services?: readonly string[];
}

/**
 * The CloudWatch dashboard `<stack name>-ai-cost`, for the people who review the AI bill, and the alarm on
 * the daily AI spend. The dashboard shows the cost per hour and per day by operation and by model, and the
 * distribution of the cost per invocation. Below them are the calls, the token, audio and image counts,
 * and the fallbacks to the local parser and offline OCR by reason. Its graphs use CloudWatch SEARCH, so they need
 * no change when a function starts calling AI.
 *
 * The alarm cannot use SEARCH. It reads `AiInvocationCostUsd`, which has one series per function, in
 * place of `AiCostUsd`, whose series multiply with every provider, model and operation while an alarm
 * accepts at most 10 metrics. Both add up the same costs, except for an invocation that ends before
 * its meter records the total.
 */
export class AiCostMonitoring extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;
  /** AI spend in a one-day period above the threshold. */
  readonly dailySpend: Alarm;

  constructor(scope: Construct, id: string, props: AiCostMonitoringProps = {}) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    const threshold = props.dailySpendAlarmUsd ?? AI_COST_DEFAULTS.dailySpendAlarmUsd;
    const services = props.services ?? AI_COST_DEFAULTS.services;
    if (!(threshold > 0) || !Number.isFinite(threshold)) {
      throw new RangeError(
        `AI daily spend alarm threshold ${threshold} is invalid: expected US dollars above 0, such as 20.`,
      );
    }
    if (services.length === 0 || services.length > 10) {
      throw new RangeError(
        `AiCostMonitoring got ${services.length} services: name from 1 to 10 functions that call AI.`,
      );
    }

    const dailySpendMetric = dailySpendOf(services);
    this.dailySpend = new Alarm(this, 'DailySpendAlarm', {
      alarmName: `${stackName}-ai-daily-spend`,
      alarmDescription:
        `AI calls cost more than $${threshold} in one day at list prices. ` +
        'Runbook: docs/operations.md, "AI daily spend".',
      metric: dailySpendMetric,
      threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-ai-cost`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          `# ${stackName} AI cost\nCosts are list prices of lib/ai/pricing.ts (taken ${AI_PRICES.asOf}), in US ` +
          'dollars. The runbook of the alarm is in docs/operations.md, "AI daily spend".',
        width: 18,
        height: 3,
      }),
      new AlarmStatusWidget({ title: 'Alarm', alarms: [this.dailySpend], width: 6, height: 3 }),
    );
    this.#addSection('Cost by operation and model', costWidgets());
    this.#addSection('Cost per invocation and daily spend', invocationWidgets(dailySpendMetric, threshold));
    this.#addSection('Calls, usage and fallbacks', usageWidgets());
  }

  #addSection(title: string, widgets: readonly IWidget[]): void {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: ROW_WIDTH, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }
}

function costWidgets(): IWidget[] {
  const models = Object.entries(AI_PRICES.models)
    .filter(([, price]) => price.billing !== 'free')
    .map(([key]) => key.slice(key.indexOf('/') + 1));
  const byOperation = (period: Duration) =>
    AI_OPERATIONS.map((operation) => costSum('operation', operation, period));
  const byModel = (period: Duration) => models.map((model) => costSum('model', model, period));

  return [
    stackedGraph('AI cost per hour by operation (USD)', byOperation(ONE_HOUR)),
    stackedGraph('AI cost per hour by model (USD)', byModel(ONE_HOUR)),
    stackedGraph('AI cost per day by operation (USD)', byOperation(ONE_DAY)),
    stackedGraph('AI cost per day by model (USD)', byModel(ONE_DAY)),
    graph(
      'AI cost per hour by provider, model and operation (USD)',
      [searchCustomMetric(METRICS.aiCostUsd, { statistic: 'Sum', period: ONE_HOUR })],
      ROW_WIDTH,
    ),
  ];
}

function invocationWidgets(dailySpend: IMetric, threshold: number): IWidget[] {
  const percentile = (statistic: string, label: string) =>
    searchCustomMetric(METRICS.aiInvocationCostUsd, { statistic, period: ONE_HOUR, label });

  return [
    graph(
      'AI cost per invocation (USD)',
      [
        percentile('p50', 'p50'),
        percentile('p90', 'p90'),
        percentile('p99', 'p99'),
        percentile('Maximum', 'Maximum'),
      ],
      12,
    ),
    new GraphWidget({
      title: 'AI spend per day, as the alarm reads it (USD)',
      left: [dailySpend],
      leftAnnotations: [{ value: threshold, label: 'Alarm threshold' }],
      width: 12,
      height: GRAPH_HEIGHT,
    }),
  ];
}

function usageWidgets(): IWidget[] {
  const hourlySum = (metricName: MetricName) =>
    searchCustomMetric(metricName, { statistic: 'Sum', period: ONE_HOUR });

  return [
    graph('AI calls per hour', [
      searchCustomMetric(METRICS.aiCostUsd, { statistic: 'SampleCount', period: ONE_HOUR, label: 'Calls' }),
    ]),
    graph('AI fallbacks per hour by operation and reason', [hourlySum(METRICS.aiFallbacks)]),
    graph('Tokens per hour', [hourlySum(METRICS.aiInputTokens), hourlySum(METRICS.aiOutputTokens)]),
    graph('Audio seconds per hour', [hourlySum(METRICS.aiAudioSeconds)], 12),
    graph('Images per hour', [hourlySum(METRICS.aiImages)], 12),
  ];
}

/**
 * Returns one series of the summed `AiCostUsd` of every series with one dimension value, such as
 * `operation="ocr"`. SEARCH returns a series per dimension combination and SUM adds them up, so each
 * operation or model is one line however many functions and providers record it.
 */
function costSum(dimension: MetricDimension, value: string, period: Duration): MathExpression {
  const query = `Namespace="${METRIC_NAMESPACE}" MetricName="${METRICS.aiCostUsd}" ${dimension}="${value}"`;

  return new MathExpression({
    expression: `SUM(SEARCH('${query}', 'Sum', ${period.toSeconds()}))`,
    usingMetrics: {},
    label: value,
    period,
  });
}

/**
 * Returns the daily sum of `AiInvocationCostUsd` over the functions that call AI. FILL turns a function's
 * day without data into 0, so one quiet function does not blank the sum.
 */
function dailySpendOf(services: readonly string[]): IMetric {
  const options = { period: ONE_DAY, statistic: 'Sum' };
  if (services.length === 1) {
    return customMetric(METRICS.aiInvocationCostUsd, services[0]!, {}, options);
  }

  const usingMetrics: Record<string, IMetric> = {};
  services.forEach((service, index) => {
    usingMetrics[`service${index}`] = customMetric(METRICS.aiInvocationCostUsd, service, {}, options);
  });

  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics,
    period: ONE_DAY,
    label: 'AI spend',
  });
}

function graph(title: string, metrics: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: GRAPH_HEIGHT });
}

function stackedGraph(title: string, metrics: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left: metrics, width: 12, height: GRAPH_HEIGHT, stacked: true });
}
