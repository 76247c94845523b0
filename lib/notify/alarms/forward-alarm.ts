import { createHash } from 'node:crypto';
import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import type { ResilienceLogger } from '../../resilience/logger';
import { describeError } from '../errors';
import { NOTIFICATION_FORMAT_VERSION, type NotificationOf } from '../notification';
import type { NotificationQueue } from '../preferences/notification-queue';
import type { OperationsAlertData } from '../templates/operations-alert';
import { AlarmForwardingError } from './errors';
import { type CloudWatchAlarmChange, parseCloudWatchAlarm } from './parse-alarm';
import { type AlarmRouting, operationsAlertOf } from './route-alarm';

/**
 * Builds the `operations-alert` Slack notification of an alarm and queues it, for each record of the SNS
 * event that the alarm topic delivers.
 */

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
