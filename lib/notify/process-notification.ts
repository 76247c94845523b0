import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { METRICS, type MetricsSink, type NotificationSkipReason } from '../observability/metric-names';
import { NO_TRACING, type Tracing } from '../observability/tracing';
import type { RecordDeferrer } from '../processor/deferral';
import { deferDelayMs } from '../resilience/errors';
import type { IdempotencyStore } from '../store/idempotency-store';
import { addressHash } from './addresses';
import {
  describeError,
  InvalidNotificationError,
  NotificationInProgressError,
  NotificationRejectedError,
} from './errors';
import { type Notification, parseNotification } from './notification';
import type { NotificationSenders, SendOutcome } from './senders/sender';

/** Dependencies of the notification processor, built by `createNotificationDependencies`. */
export interface NotificationProcessorDependencies {
  senders: NotificationSenders;
  idempotency: Pick<IdempotencyStore, 'claim' | 'complete' | 'release'>;
  /** Gives a record back to the queue for a wait longer than the invocation can spend. */
  deferrer?: Pick<RecordDeferrer, 'defer'>;
  logger: Logger;
  /** Receives NotificationsSent, NotificationsSkipped and NotificationsFailed. */
  metrics: MetricsSink;
  /**
   * Wraps each readable record in a subsegment annotated with `correlationId` and `notificationKind`.
   * @default NO_TRACING
   */
  tracing?: Tracing;
  /** Milliseconds that a send may still take in this invocation. */
  budgetMs(): number;
  /**
   * Seconds that a claim on an idempotency key lasts before another invocation may take it over. Keep it
   * above the function timeout, so a slow send is not sent twice.
   */
  claimLeaseSeconds: number;
}

/** Name of the trace subsegment around one notification record. */
export const NOTIFICATION_SUBSEGMENT = '### processNotificationRecord';

/** Result of one record: the sender's outcome, or `duplicate` for a notification sent before. */
export type NotificationRecordResult = SendOutcome | { status: 'duplicate' };

/**
 * Sends the notification in one SQS record, once per idempotency key. A thrown error fails only this record.
 * SQS delivers it again after the visibility timeout (or after a deferral's delay), and the
 * queue's redrive policy moves it to the dead-letter queue after its maximum receive count.
 *
 * While a readable record runs, log lines carry its `correlationId` and the other ids of
 * {@link logKeysOf}, and a trace subsegment annotated with the correlation id and kind wraps it.
 */
export async function processNotificationRecord(
  record: SQSRecord,
  dependencies: NotificationProcessorDependencies,
): Promise<NotificationRecordResult> {
  const { logger } = dependencies;
  let notification: Notification;
  try {
    notification = parseNotification(record.body);
  } catch (error) {
    logger.error(
      'Invalid notification record; it stays on the queue until it reaches the dead-letter queue',
      {
        messageId: record.messageId,
        receiveCount: record.attributes?.ApproximateReceiveCount,
        bodyBytes: Buffer.byteLength(record.body, 'utf8'),
        error: describeError(error),
      },
    );
    dependencies.metrics.record(METRICS.notificationsFailed, { kind: 'unknown', reason: 'invalid' });
    throw error;
  }

  const keys = logKeysOf(notification);
  const tracing = dependencies.tracing ?? NO_TRACING;
  logger.appendKeys(keys);
  try {
    return await tracing.inSubsegment(
      NOTIFICATION_SUBSEGMENT,
      () => sendOnce(record, notification, dependencies),
      { annotations: { correlationId: notification.correlationId, notificationKind: notification.kind } },
    );
  } finally {
    logger.removeKeys(Object.keys(keys));
  }
}

async function sendOnce(
  record: SQSRecord,
  notification: Notification,
  dependencies: NotificationProcessorDependencies,
): Promise<NotificationRecordResult> {
  const { logger, metrics } = dependencies;
  // The kind is part of the key, so one key can name the e-mail and the push of the same summary.
  const claimKey = `notification:${notification.kind}:${notification.idempotencyKey}`;
  let claim: Awaited<ReturnType<NotificationProcessorDependencies['idempotency']['claim']>>;
  try {
    claim = await dependencies.idempotency.claim(claimKey, dependencies.claimLeaseSeconds);
  } catch (error) {
    logger.error('Could not claim the notification; SQS will retry the record', {
      messageId: record.messageId,
      error: describeError(error),
    });
    metrics.record(METRICS.notificationsFailed, { kind: notification.kind, reason: 'error' });
    throw error;
  }
  if (claim === 'completed') {
    logger.info('Notification was sent before; skipped the duplicate', { messageId: record.messageId });
    metrics.record(METRICS.notificationsSkipped, { kind: notification.kind, reason: 'duplicate' });
    return { status: 'duplicate' };
  }
  if (claim === 'in-progress') {
    logger.warn('Another invocation is sending this notification; SQS retries the record later', {
      messageId: record.messageId,
    });
    throw new NotificationInProgressError(notification.idempotencyKey);
  }

  let outcome: SendOutcome;
  try {
    outcome = await send(notification, dependencies);
  } catch (error) {
    await releaseOrLog(claimKey, dependencies);
    await handleFailure(record, notification, error, dependencies);
    throw error;
  }

  try {
    await dependencies.idempotency.complete(claimKey);
  } catch (error) {
    // Failing the record now would send it again once the lease runs out, so the record succeeds.
    logger.error('Notification handled, but its claim could not be completed; a redelivery may repeat it', {
      messageId: record.messageId,
      error: describeError(error),
    });
  }
  if (outcome.status === 'sent') {
    logger.info('Notification sent', {
      messageId: record.messageId,
      providerMessageId: outcome.providerMessageId,
    });
    metrics.record(METRICS.notificationsSent, { kind: notification.kind });
  } else {
    logger.info('Notification skipped', { messageId: record.messageId, reason: outcome.reason });
    metrics.record(METRICS.notificationsSkipped, {
      kind: notification.kind,
      reason: outcome.reason satisfies NotificationSkipReason,
    });
  }

  return outcome;
}

function send(
  notification: Notification,
  dependencies: NotificationProcessorDependencies,
): Promise<SendOutcome> {
  const context = { budgetMs: dependencies.budgetMs, logger: dependencies.logger };
  const { senders } = dependencies;
  switch (notification.kind) {
    case 'email':
      return senders.email.send(notification, context);
    case 'push':
      return senders.push.send(notification, context);
    case 'sms':
      return senders.sms.send(notification, context);
    case 'slack':
      return senders.slack.send(notification, context);
  }
}

async function handleFailure(
  record: SQSRecord,
  notification: Notification,
  error: unknown,
  dependencies: NotificationProcessorDependencies,
): Promise<void> {
  const { logger, metrics } = dependencies;
  const details = {
    messageId: record.messageId,
    receiveCount: record.attributes?.ApproximateReceiveCount,
    error: describeError(error),
  };
  const delayMs = deferDelayMs(error);
  if (
    delayMs !== undefined &&
    Number.isFinite(delayMs) &&
    delayMs > 0 &&
    dependencies.deferrer !== undefined
  ) {
    metrics.record(METRICS.notificationsFailed, { kind: notification.kind, reason: 'deferred' });
    try {
      const seconds = await dependencies.deferrer.defer(record, delayMs);
      logger.warn('Deferred the notification: a dependency asked to wait longer than the invocation can', {
        ...details,
        delaySeconds: seconds,
      });
    } catch (deferError) {
      // The record still fails, so SQS retries it after the queue's visibility timeout instead.
      logger.error('Could not defer the notification; SQS retries it after the visibility timeout', {
        ...details,
        deferError: describeError(deferError),
      });
    }
    return;
  }

  if (error instanceof NotificationRejectedError || error instanceof InvalidNotificationError) {
    metrics.record(METRICS.notificationsFailed, { kind: notification.kind, reason: 'rejected' });
    logger.error('Provider rejected the notification; it reaches the dead-letter queue after its retries', {
      ...details,
      dependency: error instanceof NotificationRejectedError ? error.dependency : undefined,
      code: error instanceof NotificationRejectedError ? error.code : undefined,
    });
    return;
  }

  metrics.record(METRICS.notificationsFailed, { kind: notification.kind, reason: 'error' });
  logger.error('Sending the notification failed; SQS will retry the record', details);
}

async function releaseOrLog(
  claimKey: string,
  dependencies: NotificationProcessorDependencies,
): Promise<void> {
  try {
    await dependencies.idempotency.release(claimKey);
  } catch (error) {
    // The claim's lease runs out on its own, after which a redelivery takes it over.
    dependencies.logger.warn('Could not release the notification claim; it expires with its lease', {
      error: describeError(error),
    });
  }
}

/** Keys that every log line about this notification carries: ids and hashes, never an address. */
function logKeysOf(notification: Notification): Record<string, string> {
  const keys: Record<string, string> = {
    correlationId: notification.correlationId,
    idempotencyKey: notification.idempotencyKey,
    notificationKind: notification.kind,
    template: notification.template,
  };
  switch (notification.kind) {
    case 'email':
      keys.recipientHash = addressHash(notification.recipient.emailAddress);
      break;
    case 'sms':
      // No hash of a phone number: numbers are few enough to hash them all, so the hash would reveal it.
      break;
    case 'push':
      keys.userId = notification.recipient.userId;
      break;
    case 'slack':
      keys.webhook = notification.recipient.webhook;
      break;
  }
  if ('userId' in notification.recipient && notification.recipient.userId !== undefined) {
    keys.userId = notification.recipient.userId;
  }

  return keys;
}
