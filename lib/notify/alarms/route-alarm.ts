import { METRIC_NAMESPACE, METRICS } from '../../observability/metric-names';
import type { OperationsAlertData } from '../templates/operations-alert';
import {
  type AlarmMetric,
  type CloudWatchAlarmChange,
  largestReasonDatapoint,
  type ReasonDatapoint,
} from './parse-alarm';

/** Value of the `provider` field of the FX alerts, because the FX alarms watch the refresh as a whole. */
export const ALL_FX_PROVIDERS = 'all-providers';

/** Settings of {@link operationsAlertOf}. */
export interface AlarmRouting {
  /** Deployment stage, such as `prod`, shown in every alert. */
  stage: string;
  /** Names of the FX refresh functions, whose Lambda `Errors` alarms mean the refresh keeps failing. */
  fxRefreshFunctionNames: readonly string[];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

function findMetric(
  alarm: CloudWatchAlarmChange,
  namespace: string,
  metricName: string,
): AlarmMetric | undefined {
  return alarm.metrics.find((metric) => metric.namespace === namespace && metric.metricName === metricName);
}

/**
 * Returns the operations alert for an alarm that entered ALARM, or `undefined` when the alarm left ALARM or
 * no alert of the template fits it. The alarm is matched by the metric it watches, not by its name:
 * - `AWS/SQS ApproximateNumberOfMessagesVisible` → `dlq-not-empty`, because only dead-letter queues have
 *   alarms on that metric;
 * - `ShortCircuitedCalls` → `breaker-opened`, open for the alarm's evaluation window;
 * - `FxRatesAge`, or `AWS/Lambda Errors` of an FX refresh function → `fx-refresh-failing`.
 */
export function operationsAlertOf(
  alarm: CloudWatchAlarmChange,
  routing: AlarmRouting,
): OperationsAlertData | undefined {
  if (alarm.newState !== 'ALARM') {
    return undefined;
  }

  const base = { stage: routing.stage, occurredAt: alarm.stateChangeTime };
  const datapoint = largestReasonDatapoint(alarm.reason);
  const deadLetterQueue = findMetric(alarm, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible');
  const queueName = deadLetterQueue?.dimensions.QueueName;
  if (queueName !== undefined) {
    const messages = datapoint?.value ?? alarm.threshold ?? 1;
    return {
      ...base,
      alert: 'dlq-not-empty',
      queueName,
      approximateMessages: clamp(messages, 1, 100_000_000),
    };
  }

  const dependency = findMetric(alarm, METRIC_NAMESPACE, METRICS.shortCircuitedCalls)?.dimensions.dependency;
  if (dependency !== undefined) {
    const windowSeconds = (alarm.periodSeconds ?? 60) * (alarm.evaluationPeriods ?? 1);
    return { ...base, alert: 'breaker-opened', dependency, openForSeconds: clamp(windowSeconds, 1, 86_400) };
  }

  if (findMetric(alarm, METRIC_NAMESPACE, METRICS.fxRatesAge) !== undefined) {
    return { ...base, ...fxStaleDetails(datapoint) };
  }

  const functionName = findMetric(alarm, 'AWS/Lambda', 'Errors')?.dimensions.FunctionName;
  if (functionName !== undefined && routing.fxRefreshFunctionNames.includes(functionName)) {
    return {
      ...base,
      alert: 'fx-refresh-failing',
      provider: ALL_FX_PROVIDERS,
      // The alarm fires after failed runs in each of its evaluation periods, one run per period.
      consecutiveFailures: clamp(alarm.evaluationPeriods ?? 1, 1, 1_000_000),
    };
  }

  return undefined;
}

/**
 * Details of an FX alert from the stale-rates alarm. The datapoint is the age of the stalest rate in seconds,
 * measured by a refresh, and with one refresh per hour every full hour of age is one failed refresh.
 * `lastSuccessAt` is an estimate, because CloudWatch dates a datapoint at the start of its period. When the
 * refresh that measured the age ran later in the period, the last good fetch was later by as much.
 */
function fxStaleDetails(datapoint: ReasonDatapoint | undefined) {
  const details = { alert: 'fx-refresh-failing' as const, provider: ALL_FX_PROVIDERS };
  if (datapoint === undefined) {
    return { ...details, consecutiveFailures: 1 };
  }

  const lastSuccessAt = new Date(Math.round(datapoint.epochMs - datapoint.value * 1_000)).toISOString();
  return {
    ...details,
    consecutiveFailures: clamp(Math.floor(datapoint.value / 3_600), 1, 1_000_000),
    lastSuccessAt,
  };
}
