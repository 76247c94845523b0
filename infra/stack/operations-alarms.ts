import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../lib/observability/metric-names';
import { INBOUND_QUEUE, MONITORED_DEPENDENCIES, type MonitoredDependency } from '../definitions';
import { notifyOnStateChange } from './alarm-topic';
import { customMetric } from './custom-metrics';

/** Thresholds of {@link OperationsAlarms}, with the reasoning behind each default. */
export const ALARM_THRESHOLDS = {
  /**
   * Age of the oldest inbound record, in seconds, that counts as stuck. A healthy queue drains in seconds.
   * A record may wait legitimately for one open-circuit deferral (60 s) or for one retry after a failed
   * batch (the inbound queue's visibility timeout, 360 s), so one minute more than that timeout is beyond both.
   */
  inboundMessageAgeSeconds: INBOUND_QUEUE.visibilityTimeoutSeconds + 60,
  /** Consecutive 1-minute periods above the age threshold before the alarm fires. */
  inboundMessageAgeMinutes: 3,
  /**
   * Processor invocation errors, in percent of invocations per 5 minutes. With partial batch responses a
   * failed record is not an invocation error, so errors here are whole batches lost to an exception, a
   * timeout or a crash, and should be near zero.
   */
  processorErrorPercent: 5,
  /** Consecutive 5-minute periods above the processor error threshold before the alarm fires. */
  processorErrorPeriods: 2,
  /**
   * Webhook responses with a 5xx status, in percent of requests per minute. Each one makes Telegram
   * deliver the update again later, so a few are harmless, but a steady share means the queue, the secret
   * or the function is failing.
   */
  webhookServerErrorPercent: 5,
  /** Minutes out of the last 5 with 5xx responses above the threshold before the alarm fires. */
  webhookServerErrorMinutes: 3,
  /**
   * Consecutive minutes with calls rejected by an open circuit before the breaker alarm fires. A circuit
   * stays open 60 s and then lets trial calls through, so a dependency that recovers stops producing
   * short-circuited calls within about 2 minutes. Five minutes in a row means several trial rounds failed.
   */
  circuitOpenMinutes: 5,
} as const;

/** Properties of {@link OperationsAlarms}. */
export interface OperationsAlarmsProps {
  /** Topic that every alarm notifies on entering ALARM and on returning to OK. */
  readonly alarmTopic: ITopic;
  /** HTTP API with the webhook routes. */
  readonly api: IHttpApi;
  /** Inbound FIFO queue. */
  readonly inboundQueue: IQueue;
  /** Function that consumes the inbound queue. */
  readonly processorFunction: IFunction;
  /**
   * Dependencies that get a circuit breaker alarm, with the services that call them.
   * @default MONITORED_DEPENDENCIES from infra/definitions
   */
  readonly dependencies?: readonly MonitoredDependency[];
}

/**
 * The alarms of the chat pipeline besides the dead-letter alarm, which TelegramIngest owns: stuck inbound
 * records, processor errors, webhook server errors and, per dependency, a circuit that stays open.
 * Thresholds and their reasoning are in {@link ALARM_THRESHOLDS}.
 *
 * Missing data counts as not breaching everywhere: the metrics behind these alarms have no data points
 * while nothing happens, and silence is healthy.
 */
export class OperationsAlarms extends Construct {
  /** Oldest inbound record older than the threshold. */
  readonly inboundMessageAge: Alarm;
  /** Processor invocation error rate above the threshold. */
  readonly processorErrorRate: Alarm;
  /** Webhook 5xx rate above the threshold. */
  readonly webhookServerErrors: Alarm;
  /** Circuit open for several minutes, by dependency. */
  readonly circuitOpen: ReadonlyMap<string, Alarm>;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;

    this.inboundMessageAge = new Alarm(this, 'InboundMessageAgeAlarm', {
      alarmName: `${stackName}-inbound-message-age`,
      alarmDescription:
        `The oldest inbound update has waited more than ${ALARM_THRESHOLDS.inboundMessageAgeSeconds} s for ` +
        `${ALARM_THRESHOLDS.inboundMessageAgeMinutes} minutes: the processor is failing, throttled or not polling. ` +
        'Runbook: docs/operations.md, "Inbound message age".',
      metric: props.inboundQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: ALARM_THRESHOLDS.inboundMessageAgeSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: ALARM_THRESHOLDS.inboundMessageAgeMinutes,
      datapointsToAlarm: ALARM_THRESHOLDS.inboundMessageAgeMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.processorErrorRate = new Alarm(this, 'ProcessorErrorRateAlarm', {
      alarmName: `${stackName}-processor-error-rate`,
      alarmDescription:
        `More than ${ALARM_THRESHOLDS.processorErrorPercent} % of processor invocations failed as a whole ` +
        `(exception, timeout or crash) in ${ALARM_THRESHOLDS.processorErrorPeriods} consecutive 5-minute periods. ` +
        'Runbook: docs/operations.md, "Processor error rate".',
      metric: new MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: props.processorFunction.metricErrors({ statistic: 'Sum' }),
          invocations: props.processorFunction.metricInvocations({ statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
        label: 'Processor errors (% of invocations)',
      }),
      threshold: ALARM_THRESHOLDS.processorErrorPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: ALARM_THRESHOLDS.processorErrorPeriods,
      datapointsToAlarm: ALARM_THRESHOLDS.processorErrorPeriods,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.webhookServerErrors = new Alarm(this, 'WebhookServerErrorAlarm', {
      alarmName: `${stackName}-webhook-5xx`,
      alarmDescription:
        `More than ${ALARM_THRESHOLDS.webhookServerErrorPercent} % of webhook requests got a 5xx response in ` +
        `${ALARM_THRESHOLDS.webhookServerErrorMinutes} of the last 5 minutes. Telegram redelivers them, but ` +
        'updates are delayed. Runbook: docs/operations.md, "Webhook 5xx".',
      metric: new MathExpression({
        expression: 'IF(requests > 0, 100 * serverErrors / requests, 0)',
        usingMetrics: {
          serverErrors: props.api.metricServerError({ statistic: 'Sum' }),
          requests: props.api.metricCount({ statistic: 'Sum' }),
        },
        period: Duration.minutes(1),
        label: 'Webhook 5xx (% of requests)',
      }),
      threshold: ALARM_THRESHOLDS.webhookServerErrorPercent,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: ALARM_THRESHOLDS.webhookServerErrorMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const circuitOpen = new Map<string, Alarm>();
    for (const dependency of props.dependencies ?? MONITORED_DEPENDENCIES) {
      circuitOpen.set(dependency.dependency, this.createCircuitOpenAlarm(stackName, dependency));
    }
    this.circuitOpen = circuitOpen;

    for (const alarm of this.all) {
      notifyOnStateChange(alarm, props.alarmTopic);
    }
  }

  /** Every alarm of this construct. */
  get all(): Alarm[] {
    return [
      this.inboundMessageAge,
      this.processorErrorRate,
      this.webhookServerErrors,
      ...this.circuitOpen.values(),
    ];
  }

  private createCircuitOpenAlarm(stackName: string, { dependency, callers }: MonitoredDependency): Alarm {
    const slug = dependency.replace(/[^A-Za-z0-9]+/g, '-');

    return new Alarm(this, `CircuitOpenAlarm-${slug}`, {
      alarmName: `${stackName}-circuit-open-${slug}`,
      alarmDescription:
        `Calls to ${dependency} were rejected by an open circuit breaker in each of the last ` +
        `${ALARM_THRESHOLDS.circuitOpenMinutes} minutes, so ${dependency} keeps failing its trial calls. ` +
        'Runbook: docs/operations.md, "Circuit open".',
      metric: shortCircuitedCallsOf(dependency, callers),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: ALARM_THRESHOLDS.circuitOpenMinutes,
      datapointsToAlarm: ALARM_THRESHOLDS.circuitOpenMinutes,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

/**
 * Returns the calls to `dependency` that an open circuit rejected per minute, added up over the services
 * that call it. Alarms cannot use SEARCH, so each caller's series is named, and FILL turns a caller's
 * missing minutes into zeros so that one caller without data does not blank the sum.
 */
function shortCircuitedCallsOf(dependency: string, callers: readonly string[]): IMetric {
  const options = { period: Duration.minutes(1), statistic: 'Sum' };
  if (callers.length === 0) {
    throw new Error(`Monitored dependency ${dependency} lists no callers; add the services that call it.`);
  }
  if (callers.length === 1) {
    return customMetric(METRICS.shortCircuitedCalls, callers[0]!, { dependency }, options);
  }

  const usingMetrics: Record<string, IMetric> = {};
  callers.forEach((service, index) => {
    usingMetrics[`caller${index}`] = customMetric(
      METRICS.shortCircuitedCalls,
      service,
      { dependency },
      options,
    );
  });

  return new MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(' + '),
    usingMetrics,
    period: Duration.minutes(1),
    label: `Calls to ${dependency} rejected by an open circuit`,
  });
}
