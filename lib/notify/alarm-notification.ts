import { createHash } from 'node:crypto';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { ConfigError, SLACK_WEBHOOK_NAME } from '../config';
import { METRIC_NAMESPACE, METRICS } from '../observability/metric-names';
import type { ResilienceLogger } from '../resilience/logger';
import { describeError } from './errors';
import { NOTIFICATION_FORMAT_VERSION, type NotificationOf } from './notification';
import type { NotificationQueue } from './preferences/notification-queue';
import type { OperationsAlertData } from './templates/operations-alert';

/**
 * Turns the CloudWatch alarm notifications that the alarm topic delivers through SNS into `operations-alert`
 * Slack notifications on the notification queue. Only alarms that enter ALARM and match one of the alerts
 * of the template are forwarded: a dead-letter queue that is not empty, a circuit that stays open, and an
 * FX refresh that keeps failing. Other alarms and the return to OK reach the alarm topic's e-mail
 * subscribers only, because the template has no alert for them.
 */

/** The alarm notification is not a readable CloudWatch alarm message. Retrying cannot fix it. */
export class InvalidAlarmMessageError extends Error {
  override readonly name = 'InvalidAlarmMessageError';

  constructor(
    /** Path of the invalid field, such as `AlarmName`. */
    readonly path: string,
    problem: string,
  ) {
    super(`Invalid CloudWatch alarm message: ${path} ${problem}.`);
  }
}

/** One metric that an alarm watches, as the alarm message names it. */
export interface AlarmMetric {
  namespace?: string;
  metricName?: string;
  dimensions: Readonly<Record<string, string>>;
}

/** A CloudWatch alarm state change, reduced to what the alerts need. */
export interface CloudWatchAlarmChange {
  alarmName: string;
  /** `ALARM`, `OK` or `INSUFFICIENT_DATA`. */
  newState: string;
  /** CloudWatch's explanation, such as `Threshold Crossed: 1 datapoint [3.0 (18/03/26 12:00:00)] was ...`. */
  reason: string;
  /** Time of the state change as a UTC ISO 8601 timestamp. */
  stateChangeTime: string;
  /** The alarm's metric, or every metric of its math expression. */
  metrics: AlarmMetric[];
  periodSeconds?: number;
  evaluationPeriods?: number;
  threshold?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Json, key: string): string | undefined {
  const value = object[key];

  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalNumber(object: Json, key: string): number | undefined {
  const value = object[key];

  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Returns a CloudWatch timestamp such as `2026-03-18T12:00:03.123+0000` as `2026-03-18T12:00:03.123Z`, or
 * `undefined` when it is not a timestamp. CloudWatch writes the offset without a colon, which ISO 8601
 * parsers do not all accept.
 */
export function normalizeTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }

  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const epochMs = Date.parse(withColon);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(epochMs)) {
    return undefined;
  }

  return new Date(epochMs).toISOString();
}

function readDimensions(value: unknown): Record<string, string> {
  const dimensions: Record<string, string> = {};
  if (!Array.isArray(value)) {
    return dimensions;
  }

  for (const entry of value) {
    if (!isObject(entry)) {
      continue;
    }
    // Alarm messages spell the keys `name` and `value`. The API's capitalized spelling is accepted as well.
    const name = optionalString(entry, 'name') ?? optionalString(entry, 'Name');
    const dimensionValue = optionalString(entry, 'value') ?? optionalString(entry, 'Value');
    if (name !== undefined && dimensionValue !== undefined) {
      dimensions[name] = dimensionValue;
    }
  }

  return dimensions;
}

function readMetrics(trigger: Json): AlarmMetric[] {
  // A single-metric alarm names its metric in the trigger itself.
  const single = {
    namespace: optionalString(trigger, 'Namespace'),
    metricName: optionalString(trigger, 'MetricName'),
    dimensions: readDimensions(trigger.Dimensions),
  };
  const metrics: AlarmMetric[] = single.metricName === undefined ? [] : [single];

  // A math-expression alarm lists its queries, and those with a MetricStat name a metric.
  for (const query of Array.isArray(trigger.Metrics) ? trigger.Metrics : []) {
    const metric = isObject(query) && isObject(query.MetricStat) ? query.MetricStat.Metric : undefined;
    if (isObject(metric)) {
      metrics.push({
        namespace: optionalString(metric, 'Namespace'),
        metricName: optionalString(metric, 'MetricName'),
        dimensions: readDimensions(metric.Dimensions),
      });
    }
  }

  return metrics;
}

/**
 * Reads the CloudWatch alarm message that SNS delivers as a record's `Message`. CloudWatch may add fields at
 * any time, so unknown fields are ignored, and a missing `Trigger` leaves the metric list empty.
 * @param fallbackTime - timestamp used when `StateChangeTime` is missing or unreadable, such as the SNS
 *   record's `Timestamp`.
 * @throws {InvalidAlarmMessageError} when the message is not JSON or has no alarm name or new state.
 */
export function parseCloudWatchAlarm(message: string, fallbackTime?: string): CloudWatchAlarmChange {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    throw new InvalidAlarmMessageError('Message', 'is not valid JSON');
  }
  if (!isObject(value)) {
    throw new InvalidAlarmMessageError('Message', 'is not a JSON object');
  }

  const alarmName = optionalString(value, 'AlarmName');
  if (alarmName === undefined) {
    throw new InvalidAlarmMessageError('AlarmName', 'is missing or empty');
  }
  const newState = optionalString(value, 'NewStateValue');
  if (newState === undefined) {
    throw new InvalidAlarmMessageError('NewStateValue', 'is missing or empty');
  }
  const stateChangeTime =
    normalizeTimestamp(optionalString(value, 'StateChangeTime')) ?? normalizeTimestamp(fallbackTime);
  if (stateChangeTime === undefined) {
    throw new InvalidAlarmMessageError('StateChangeTime', 'is missing or not a timestamp');
  }
  const trigger = isObject(value.Trigger) ? value.Trigger : {};

  return {
    alarmName,
    newState,
    reason: optionalString(value, 'NewStateReason') ?? '',
    stateChangeTime,
    metrics: readMetrics(trigger),
    periodSeconds: optionalNumber(trigger, 'Period'),
    evaluationPeriods: optionalNumber(trigger, 'EvaluationPeriods'),
    threshold: optionalNumber(trigger, 'Threshold'),
  };
}

/** A datapoint that the state reason quotes: its value and, when readable, its time. */
export interface ReasonDatapoint {
  value: number;
  /** Epoch milliseconds of the datapoint, read from CloudWatch's `dd/MM/yy HH:mm:ss` UTC form. */
  epochMs: number;
}

/**
 * Returns the largest datapoint that a state reason quotes, such as `3` from
 * `Threshold Crossed: 1 out of the last 1 datapoints [3.0 (18/03/26 11:59:00)] was ...`, or `undefined` when
 * the reason quotes none.
 */
export function largestReasonDatapoint(reason: string): ReasonDatapoint | undefined {
  const pattern = /(-?\d+(?:\.\d+)?(?:E[+-]?\d+)?) \((\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\)/gi;
  let largest: ReasonDatapoint | undefined;
  for (const match of reason.matchAll(pattern)) {
    const [value, day, month, year, hour, minute, second] = match.slice(1).map(Number) as number[];
    const datapoint = {
      value: value!,
      epochMs: Date.UTC(2000 + year!, month! - 1, day!, hour!, minute!, second!),
    };
    if (Number.isFinite(datapoint.value) && (largest === undefined || datapoint.value > largest.value)) {
      largest = datapoint;
    }
  }

  return largest;
}

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

// The notification format accepts printable ASCII without spaces in keys, and only [A-Za-z0-9_-] in ids.
const PRINTABLE_KEY = /^[\x21-\x7e]{1,256}$/;
const CORRELATION_ID = /^[A-Za-z0-9_-]{1,128}$/;

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/**
 * Returns the Slack notification of an alert. The idempotency key is the alarm name and the time of its
 * state change, so SNS redeliveries of one alarm message send one Slack message.
 */
export function alarmNotification(
  alarm: CloudWatchAlarmChange,
  data: OperationsAlertData,
  options: { webhook: string; correlationId: string },
): NotificationOf<'slack'> {
  const key = `alarm:${alarm.alarmName}:${alarm.stateChangeTime}`;
  const idempotencyKey = PRINTABLE_KEY.test(key) ? key : `alarm:${sha256(key)}`;
  const correlationId = CORRELATION_ID.test(options.correlationId)
    ? options.correlationId
    : sha256(options.correlationId).slice(0, 32);

  return {
    version: NOTIFICATION_FORMAT_VERSION,
    kind: 'slack',
    idempotencyKey,
    correlationId,
    recipient: { webhook: options.webhook },
    template: 'operations-alert',
    data: { ...data },
  };
}

/** Settings of the alarm-notifier function. */
export interface AlarmNotifierConfig {
  /** URL of the notification queue (NOTIFICATION_QUEUE_URL). */
  notificationQueueUrl: string;
  /** Deployment stage shown in the alerts (STAGE). */
  stage: string;
  /** Name of the Slack webhook in the Slack secret (SLACK_WEBHOOK_NAME). */
  slackWebhook: string;
  /** Names of the FX refresh functions (FX_REFRESH_FUNCTION_NAMES, comma-separated). */
  fxRefreshFunctionNames: string[];
}

/**
 * Reads the alarm notifier's settings.
 * NOTE: lib/config.ts is the module that reads environment variables, so this loader belongs there.
 * @throws {ConfigError} naming the variable that is missing or invalid.
 */
export function loadAlarmNotifierConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AlarmNotifierConfig {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const notificationQueueUrl = read('NOTIFICATION_QUEUE_URL');
  if (notificationQueueUrl === undefined) {
    throw new ConfigError('NOTIFICATION_QUEUE_URL', 'environment variable is required but not set.');
  }
  const stage = read('STAGE');
  if (stage === undefined || !/^[a-z0-9-]{1,32}$/.test(stage)) {
    throw new ConfigError('STAGE', `expected a stage name such as prod, got "${stage ?? ''}".`);
  }
  const slackWebhook = read('SLACK_WEBHOOK_NAME') ?? 'operations';
  if (!SLACK_WEBHOOK_NAME.test(slackWebhook)) {
    throw new ConfigError(
      'SLACK_WEBHOOK_NAME',
      `"${slackWebhook}" is invalid; use lower-case letters, digits and dashes.`,
    );
  }
  const fxRefreshFunctionNames = (read('FX_REFRESH_FUNCTION_NAMES') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

  return { notificationQueueUrl, stage, slackWebhook, fxRefreshFunctionNames };
}

/** Dependencies of {@link forwardAlarmEvent}. */
export interface AlarmForwardingDependencies {
  queue: NotificationQueue;
  routing: AlarmRouting;
  slackWebhook: string;
  logger: ResilienceLogger;
}

/** Counts of the records of one SNS event, for logs and tests. */
export interface AlarmForwardingSummary {
  records: number;
  forwarded: number;
  /** Alarms that left ALARM or have no alert in the template. */
  skipped: number;
  /** Records that are not readable alarm messages, which are logged and dropped. */
  invalid: number;
}

/** Raised when some alerts could not be queued, so that Lambda retries the event. */
export class AlarmForwardingError extends Error {
  override readonly name = 'AlarmForwardingError';

  constructor(
    readonly failedRecords: number,
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(
      `${failedRecords} of ${records} alarm notifications could not be queued; Lambda retries the event, and ` +
        'alerts queued before are sent once because their idempotency keys repeat.',
      options,
    );
  }
}

/**
 * Queues a Slack alert for each alarm record of an SNS event that {@link operationsAlertOf} maps to an
 * alert. Every record is processed: an unreadable one is logged and dropped, and a queue failure is thrown
 * only after the other records ran.
 * @throws {AlarmForwardingError} when a record could not be queued, so that Lambda retries the event.
 */
export async function forwardAlarmEvent(
  event: SNSEvent,
  dependencies: AlarmForwardingDependencies,
): Promise<AlarmForwardingSummary> {
  const records = event.Records ?? [];
  const summary: AlarmForwardingSummary = { records: records.length, forwarded: 0, skipped: 0, invalid: 0 };
  let failedRecords = 0;
  let lastError: unknown;

  for (const record of records) {
    try {
      summary[await forwardRecord(record, dependencies)] += 1;
    } catch (error) {
      failedRecords += 1;
      lastError = error;
      dependencies.logger.error('Could not queue the alarm alert, so Lambda retries the event', {
        snsMessageId: record.Sns?.MessageId,
        error: describeError(error),
      });
    }
  }
  if (failedRecords > 0) {
    throw new AlarmForwardingError(failedRecords, records.length, { cause: lastError });
  }

  return summary;
}

async function forwardRecord(
  record: SNSEventRecord,
  dependencies: AlarmForwardingDependencies,
): Promise<'forwarded' | 'skipped' | 'invalid'> {
  const { logger } = dependencies;
  const snsMessageId = record.Sns?.MessageId ?? '';
  let alarm: CloudWatchAlarmChange;
  try {
    alarm = parseCloudWatchAlarm(record.Sns?.Message ?? '', record.Sns?.Timestamp);
  } catch (error) {
    logger.error('Dropped an alarm notification that is not a CloudWatch alarm message', {
      snsMessageId,
      error: describeError(error),
    });
    return 'invalid';
  }

  const fields = { snsMessageId, alarmName: alarm.alarmName, newState: alarm.newState };
  const data = operationsAlertOf(alarm, dependencies.routing);
  if (data === undefined) {
    logger.info('Alarm has no Slack alert, so only the alarm topic subscribers get it', fields);
    return 'skipped';
  }

  const notification = alarmNotification(alarm, data, {
    webhook: dependencies.slackWebhook,
    correlationId: snsMessageId,
  });
  const queueMessageId = await dependencies.queue.enqueue(notification);
  logger.info('Queued the Slack alert of the alarm', { ...fields, alert: data.alert, queueMessageId });

  return 'forwarded';
}
