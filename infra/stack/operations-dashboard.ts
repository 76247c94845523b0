import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Color,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../lib/observability/metric-names';
import { searchCustomMetric } from './custom-metrics';
import { ALARM_THRESHOLDS } from './operations-alarms';

/** Width of a dashboard row in grid units, as CloudWatch defines it. */
const ROW_WIDTH = 24;
const GRAPH_HEIGHT = 6;
const ONE_MINUTE = Duration.minutes(1);

/** Properties of {@link OperationsDashboard}. */
export interface OperationsDashboardProps {
  /** HTTP API with the webhook routes. */
  readonly api: IHttpApi;
  /** Function behind the Telegram webhook route. */
  readonly webhookFunction: IFunction;
  /** Function that consumes the inbound queue. */
  readonly processorFunction: IFunction;
  /** Inbound FIFO queue. */
  readonly inboundQueue: IQueue;
  /** Dead-letter queue of the inbound queue. */
  readonly deadLetterQueue: IQueue;
  /**
   * Alarms shown in the status widget at the top. More can be added with {@link OperationsDashboard.addAlarms}.
   * @default - none
   */
  readonly alarms?: readonly IAlarm[];
  /**
   * Timeout of the processor function, drawn as a line on its duration graph.
   * @default - no line
   */
  readonly processorTimeout?: Duration;
}

/**
 * The CloudWatch dashboard `<stack name>-operations` for the people who run the chat pipeline. The state of
 * every alarm comes first. Then come rows for the webhook (requests, rejections by reason, API Gateway 4xx
 * and 5xx, acknowledgement latency, concurrency), the inbound and dead-letter queues, the processor
 * (errors, duration, processing lag) and the outbound dependencies (circuit breakers, short-circuited
 * calls, provider rate limits).
 *
 * Graphs of the functions' custom metrics use CloudWatch SEARCH, so a new channel, reject reason or
 * dependency appears without a change here. Later features add their own rows with
 * {@link OperationsDashboard.addSection} and their alarms with {@link OperationsDashboard.addAlarms}.
 */
export class OperationsDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: Dashboard;
  // The status widget reads this array when the template is synthesized, so alarms added after the
  // constructor still appear in it.
  private readonly alarms: IAlarm[];

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;
    this.alarms = [...(props.alarms ?? [])];

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stackName}-operations`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# ${stackName} operations\nEach alarm has a runbook in docs/operations.md in the repository.`,
        width: ROW_WIDTH,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: ROW_WIDTH, height: 3 }),
    );

    this.addSection('Webhook', webhookWidgets(props));
    this.addSection('Inbound queue', queueWidgets(props));
    this.addSection('Processor', processorWidgets(props));
    this.addSection('Outbound dependencies', dependencyWidgets());
  }

  /** Adds a row of widgets under a heading, below the rows that exist. */
  addSection(title: string, widgets: readonly IWidget[]): void {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: ROW_WIDTH, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }

  /** Shows the alarms in the status widget at the top of the dashboard. */
  addAlarms(...alarms: IAlarm[]): void {
    this.alarms.push(...alarms);
  }
}

function webhookWidgets(props: OperationsDashboardProps): IWidget[] {
  const { api, webhookFunction } = props;

  return [
    graph('Webhook responses by channel and outcome', [
      searchCustomMetric(METRICS.webhookRequests, { statistic: 'Sum' }),
    ]),
    graph('Webhook rejections (4xx) by reason, and 503s', [
      searchCustomMetric(METRICS.webhookRejected, { statistic: 'Sum' }),
      searchCustomMetric(METRICS.webhookUnavailable, { statistic: 'Sum' }),
    ]),
    graph('API Gateway requests, 4xx and 5xx', [
      api.metricCount({ statistic: 'Sum', period: ONE_MINUTE, label: 'Requests' }),
      api.metricClientError({ period: ONE_MINUTE, label: '4xx', color: Color.ORANGE }),
      api.metricServerError({ period: ONE_MINUTE, label: '5xx', color: Color.RED }),
    ]),
    graph(
      'Acknowledgement latency (ms)',
      [
        api.metricLatency({ statistic: 'p50', period: ONE_MINUTE, label: 'API Gateway p50' }),
        api.metricLatency({ statistic: 'p99', period: ONE_MINUTE, label: 'API Gateway p99' }),
        webhookFunction.metricDuration({ statistic: 'p50', period: ONE_MINUTE, label: 'Function p50' }),
        webhookFunction.metricDuration({ statistic: 'p99', period: ONE_MINUTE, label: 'Function p99' }),
      ],
      12,
    ),
    concurrencyGraph('Webhook function concurrency and throttles', webhookFunction),
  ];
}

function queueWidgets(props: OperationsDashboardProps): IWidget[] {
  const { inboundQueue, deadLetterQueue } = props;

  return [
    new GraphWidget({
      title: 'Oldest inbound update (s)',
      left: [
        inboundQueue.metricApproximateAgeOfOldestMessage({
          statistic: 'Maximum',
          period: ONE_MINUTE,
          label: 'Age of oldest message',
        }),
      ],
      leftAnnotations: [{ value: ALARM_THRESHOLDS.inboundMessageAgeSeconds, label: 'Alarm threshold' }],
      width: 8,
      height: GRAPH_HEIGHT,
    }),
    graph('Inbound queue depth', [
      inboundQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'Waiting',
      }),
      inboundQueue.metricApproximateNumberOfMessagesNotVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'In flight or deferred',
      }),
    ]),
    graph('Dead-letter queue depth', [
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'Dead-lettered updates',
        color: Color.RED,
      }),
    ]),
  ];
}

function processorWidgets(props: OperationsDashboardProps): IWidget[] {
  const { processorFunction, processorTimeout } = props;

  return [
    graph(
      'Processor invocations, errors and throttles',
      [
        processorFunction.metricInvocations({ statistic: 'Sum', period: ONE_MINUTE, label: 'Invocations' }),
        processorFunction.metricErrors({ statistic: 'Sum', period: ONE_MINUTE, label: 'Errors' }),
        processorFunction.metricThrottles({ statistic: 'Sum', period: ONE_MINUTE, label: 'Throttles' }),
      ],
      6,
    ),
    new GraphWidget({
      title: 'Processor duration (ms)',
      left: [
        processorFunction.metricDuration({ statistic: 'p50', period: ONE_MINUTE, label: 'p50' }),
        processorFunction.metricDuration({ statistic: 'p99', period: ONE_MINUTE, label: 'p99' }),
        processorFunction.metricDuration({ statistic: 'Maximum', period: ONE_MINUTE, label: 'Maximum' }),
      ],
      leftAnnotations:
        processorTimeout === undefined
          ? undefined
          : [{ value: processorTimeout.toMilliseconds(), label: 'Timeout', color: Color.RED }],
      width: 6,
      height: GRAPH_HEIGHT,
    }),
    graph(
      'Processing lag, webhook to reply (ms)',
      [
        searchCustomMetric(METRICS.processingLag, { statistic: 'p50', label: 'p50' }),
        searchCustomMetric(METRICS.processingLag, { statistic: 'p99', label: 'p99' }),
      ],
      6,
    ),
    graph(
      'Updates processed by channel',
      [searchCustomMetric(METRICS.updatesProcessed, { statistic: 'Sum' })],
      6,
    ),
  ];
}

function dependencyWidgets(): IWidget[] {
  return [
    graph('Circuit breaker state changes', [
      searchCustomMetric(METRICS.circuitOpened, { statistic: 'Sum' }),
      searchCustomMetric(METRICS.circuitClosed, { statistic: 'Sum' }),
    ]),
    graph('Calls rejected by an open circuit', [
      searchCustomMetric(METRICS.shortCircuitedCalls, { statistic: 'Sum' }),
    ]),
    graph('Provider rate limits (HTTP 429) and deferred calls', [
      searchCustomMetric(METRICS.providerRateLimited, { statistic: 'Sum' }),
      searchCustomMetric(METRICS.callsDeferred, { statistic: 'Sum' }),
    ]),
  ];
}

/**
 * Returns a half-row graph of a function's concurrent executions and throttles per minute, which shows how
 * close a webhook function runs to its reserved concurrency.
 */
export function concurrencyGraph(title: string, lambdaFunction: IFunction): GraphWidget {
  return graph(
    title,
    [
      lambdaFunction.metric('ConcurrentExecutions', {
        statistic: 'Maximum',
        period: ONE_MINUTE,
        label: 'Concurrent executions',
      }),
      lambdaFunction.metricThrottles({ statistic: 'Sum', period: ONE_MINUTE, label: 'Throttles' }),
    ],
    12,
  );
}

function graph(title: string, metrics: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: GRAPH_HEIGHT });
}
