import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type Notification, serializeNotification } from '../notification';
import { NotificationEnqueueError } from './errors';

/** The producer side of the notification queue, which the notification sender consumes. */
export interface NotificationQueue {
  /**
   * Checks a notification and sends it to the queue. Returns the SQS message id.
   * @throws {InvalidNotificationError} when the notification does not fit its format or template.
   * @throws {NotificationEnqueueError} when SQS fails.
   */
  enqueue(notification: Notification): Promise<string>;
}

/** Options of {@link SqsNotificationQueue}. */
export interface SqsNotificationQueueOptions {
  sqs: SQSClient;
  /** URL of the standard (not FIFO) notification queue. */
  queueUrl: string;
}

/**
 * {@link NotificationQueue} on SQS. The queue is a standard queue, so a message may arrive twice. The
 * notification sender sends each idempotency key and kind once.
 */
export class SqsNotificationQueue implements NotificationQueue {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsNotificationQueueOptions) {
    this.#sqs = options.sqs;
    this.#queueUrl = options.queueUrl;
  }

  async enqueue(notification: Notification): Promise<string> {
    const body = serializeNotification(notification);
    try {
      const result = await this.#sqs.send(
        new SendMessageCommand({ QueueUrl: this.#queueUrl, MessageBody: body }),
      );

      return result.MessageId ?? '';
    } catch (error) {
      throw new NotificationEnqueueError(notification.idempotencyKey, { cause: error });
    }
  }
}
