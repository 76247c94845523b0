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
import { Construct } from 'constructs';
import { METRICS } from '../../lib/observability/metric-names';
import { SERVICE_NAMES } from '../definitions';
import { customMetric, searchCustomMetric } from './custom-metrics';
import { ALARM_THRESHOLDS } from './operations-alarms';
import { concurrencyGraph } from './operations-dashboard';

const ONE_MINUTE = Duration.minutes(1);
const CHANNEL = { channel: 'whatsapp' } as const;

/** Properties of {@link WhatsAppMonitoring}. */
export interface WhatsAppMonitoringProps {
  /** Function behind the WhatsApp webhook routes. */
  readonly webhookFunction: IFunction;
}

/**
 * The WhatsApp webhook's 5xx alarm and the widgets of the dashboard's WhatsApp section: responses by
 * outcome, rejections by reason, 4xx and 5xx, latency, and the function's concurrency.
 *
 * API Gateway's own 4xx and 5xx metrics count every route of the API together, and only detailed metrics,
 * which cost extra per route, would split them. The 5xx count comes from the function instead: a request
 * gets a 5xx when the function returns 500 or 503 (WebhookUnavailable), throws or times out (Errors), or
 * Lambda throttles it (Throttles). The stack's `webhook-5xx` alarm on the whole API covers both channels.
 */
export class WhatsAppMonitoring extends Construct {
  /** WhatsApp webhook 5xx rate above the threshold of the Telegram webhook's alarm. */
  readonly webhookServerErrors: Alarm;
  /** Widgets of the dashboard's WhatsApp section. */
  readonly widgets: IWidget[];

  constructor(scope: Construct, id: string, props: WhatsAppMonitoringProps) {
    super(scope, id);
    const { webhookFunction } = props;

    this.webhookServerErrors = new Alarm(this, 'WebhookServerErrorAlarm', {
      alarmName: `${Stack.of(this).stackName}-whatsapp-webhook-5xx`,
      alarmDescription:
        `More than ${ALARM_THRESHOLDS.webhookServerErrorPercent} % of WhatsApp webhook requests got a 5xx ` +
        `response in ${ALARM_THRESHOLDS.webhookServerErrorMinutes} of the last 5 minutes. Meta delivers the ` +
        'notifications again, but messages are delayed. Runbook: docs/operations.md, "WhatsApp webhook 5xx".',
      metric: serverErrorPercent(webhookFunction),
      threshold: ALARM_THRESHOLDS.webhookServerErrorPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: ALARM_THRESHOLDS.webhookServerErrorMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.widgets = [
      graph('WhatsApp webhook responses by outcome', [
        searchCustomMetric(METRICS.webhookRequests, { statistic: 'Sum', dimensions: CHANNEL }),
      ]),
      graph('WhatsApp rejections (4xx) by reason', [
        searchCustomMetric(METRICS.webhookRejected, { statistic: 'Sum', dimensions: CHANNEL }),
      ]),
      graph('WhatsApp webhook 4xx and 5xx', [
        new MathExpression({
          expression: `SUM(${searchCustomMetric(METRICS.webhookRejected, { statistic: 'Sum', dimensions: CHANNEL }).expression})`,
          period: ONE_MINUTE,
          label: '4xx',
          color: Color.ORANGE,
        }),
        serverErrorCount(webhookFunction),
      ]),
      graph(
        'WhatsApp webhook duration (ms)',
        [
          webhookFunction.metricDuration({ statistic: 'p50', period: ONE_MINUTE, label: 'p50' }),
          webhookFunction.metricDuration({ statistic: 'p99', period: ONE_MINUTE, label: 'p99' }),
        ],
        12,
      ),
      concurrencyGraph('WhatsApp webhook concurrency and throttles', webhookFunction),
    ];
  }
}

/** Returns the per-minute metrics that make up the WhatsApp webhook's 5xx count and request count. */
function serverErrorMetrics(webhookFunction: IFunction): Record<string, IMetric> {
  const options = { statistic: 'Sum', period: ONE_MINUTE };

  return {
    invocations: webhookFunction.metricInvocations(options),
    errors: webhookFunction.metricErrors(options),
    throttles: webhookFunction.metricThrottles(options),
    unavailable: customMetric(METRICS.webhookUnavailable, SERVICE_NAMES.whatsappWebhook, CHANNEL, options),
  };
}

// Throttled requests never become invocations, so they are added to the requests as well as to the 5xx.
const REQUESTS = '(FILL(invocations, 0) + FILL(throttles, 0))';
const SERVER_ERRORS = '(FILL(errors, 0) + FILL(throttles, 0) + FILL(unavailable, 0))';

function serverErrorCount(webhookFunction: IFunction): MathExpression {
  return new MathExpression({
    expression: SERVER_ERRORS,
    usingMetrics: serverErrorMetrics(webhookFunction),
    period: ONE_MINUTE,
    label: '5xx',
    color: Color.RED,
  });
}

function serverErrorPercent(webhookFunction: IFunction): MathExpression {
  return new MathExpression({
    expression: `IF(${REQUESTS} > 0, 100 * ${SERVER_ERRORS} / ${REQUESTS}, 0)`,
    usingMetrics: serverErrorMetrics(webhookFunction),
    period: ONE_MINUTE,
    label: 'WhatsApp webhook 5xx (% of requests)',
  });
}

function graph(title: string, metrics: IMetric[], width = 8): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: 6 });
}
