import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { TelegramRateLimitError } from '../channels/telegram/errors';
import { deferDelayMs } from '../resilience/errors';
import { AlbumStillCollectingError } from './albums/errors';

/** SQS caps a message's visibility timeout at 12 hours. */
const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

/**
 * Returns how long a failed call must wait before it is tried again, in milliseconds, or `undefined`
 * when the error carries no such wait. Telegram's 429 carries `retry_after`; the resilience layer's
 * errors carry the time until the breaker half-opens, a bucket has a token, or a retry is due. An album
 * whose photos may still be arriving carries the rest of its quiet time.
 */
export function requestedDelayMs(error: unknown): number | undefined {
  if (error instanceof AlbumStillCollectingError) {
    return error.delayMs;
  }
  if (error instanceof TelegramRateLimitError && error.retryAfterSeconds !== undefined) {
    return error.retryAfterSeconds * 1_000;
  }

  const delayMs = deferDelayMs(error);

  return delayMs !== undefined && Number.isFinite(delayMs) && delayMs > 0 ? delayMs : undefined;
}

/**
 * Gives records back to their queue with a visibility delay, so a wait longer than the invocation is
 * spent on the queue instead of in a sleeping Lambda. The queue URL comes from the record's
 * `eventSourceARN` through GetQueueUrl, so the same code works on AWS and on the emulator.
 */
export class RecordDeferrer {
  readonly #queueUrls = new Map<string, Promise<string>>();

  constructor(private readonly sqs: SQSClient) {}

  /** Hides `record` for `delayMs` (rounded up to whole seconds, at most 12 hours). Returns the seconds used. */
  async defer(record: SQSRecord, delayMs: number): Promise<number> {
    const seconds = Math.min(MAX_VISIBILITY_SECONDS, Math.max(1, Math.ceil(delayMs / 1_000)));
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await this.#queueUrl(record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );

    return seconds;
  }

  #queueUrl(queueArn: string): Promise<string> {
    let url = this.#queueUrls.get(queueArn);
    if (url === undefined) {
      // arn:aws:sqs:<region>:<account>:<queue name>
      const [, , , , account, name] = queueArn.split(':');
      url = this.sqs
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then((result) => result.QueueUrl!);
      url.catch(() => this.#queueUrls.delete(queueArn));
      this.#queueUrls.set(queueArn, url);
    }

    return url;
  }
}
