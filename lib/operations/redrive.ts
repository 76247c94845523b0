import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';

/** Options of {@link redriveDeadLetters}. */
export interface RedriveOptions {
  sqs: SQSClient;
  deadLetterQueueUrl: string;
  /** Queue the messages go back to, normally the inbound queue that the dead-letter queue serves. */
  targetQueueUrl: string;
  /** Report what would move without moving anything. */
  dryRun: boolean;
  /** Maximum number of messages to move. */
  maxMessages: number;
  /** Progress lines for the operator. */
  log: (line: string) => void;
}

/** Outcome of a redrive. */
export interface RedriveResult {
  /** Approximate number of messages in the dead-letter queue before the run. */
  waiting: number;
  moved: number;
}

/** Raised when the queues given do not belong together or cannot be read. */
export class QueueMismatchError extends Error {
  override readonly name = 'QueueMismatchError';
}

async function attributesOf(
  sqs: SQSClient,
  queueUrl: string,
  option: string,
): Promise<Record<string, string>> {
  try {
    const result = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'QueueArn', 'RedrivePolicy'],
      }),
    );

    return result.Attributes ?? {};
  } catch (error) {
    throw new QueueMismatchError(
      `Cannot read ${option} ${queueUrl}: ${(error as Error).name}: ${withFullStop((error as Error).message)} ` +
        'Check the URL and the region or endpoint.',
    );
  }
}

/** Ends `text` with a full stop unless it already ends a sentence, so a message can follow it. */
export function withFullStop(text: string): string {
  const trimmed = text.trimEnd();

  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * Checks that the target queue's redrive policy names the dead-letter queue, so swapped arguments cannot
 * move messages into the dead-letter queue.
 */
async function assertPair(options: RedriveOptions): Promise<number> {
  const deadLetter = await attributesOf(options.sqs, options.deadLetterQueueUrl, '--dlq');
  const target = await attributesOf(options.sqs, options.targetQueueUrl, '--queue');
  const policy =
    target.RedrivePolicy === undefined
      ? undefined
      : (JSON.parse(target.RedrivePolicy) as { deadLetterTargetArn?: string });
  if (policy?.deadLetterTargetArn !== deadLetter.QueueArn) {
    throw new QueueMismatchError(
      `${options.targetQueueUrl} does not send failed messages to ${options.deadLetterQueueUrl} ` +
        `(its dead-letter queue is ${policy?.deadLetterTargetArn ?? 'not set'}). ` +
        'Pass the dead-letter queue as --dlq and the queue it serves as --queue.',
    );
  }

  return Number(deadLetter.ApproximateNumberOfMessages ?? 0);
}

async function moveOne(message: Message, options: RedriveOptions): Promise<void> {
  const attributes = message.Attributes ?? {};
  const fifo = options.targetQueueUrl.endsWith('.fifo');
  if (fifo && attributes.MessageGroupId === undefined) {
    throw new QueueMismatchError(
      `Message ${message.MessageId} has no MessageGroupId, but ${options.targetQueueUrl} is a FIFO queue; ` +
        'check that --dlq names the dead-letter queue of that queue.',
    );
  }

  await options.sqs.send(
    new SendMessageCommand({
      QueueUrl: options.targetQueueUrl,
      MessageBody: message.Body ?? '',
      MessageAttributes: message.MessageAttributes,
      // FIFO drops a repeated deduplication id for 5 minutes, so the redriven copy gets its own. The
      // processor's idempotency claim still stops a message that was processed from acting twice.
      ...(fifo
        ? {
            MessageGroupId: attributes.MessageGroupId,
            MessageDeduplicationId: `redrive-${message.MessageId}`.slice(0, 128),
          }
        : {}),
    }),
  );
  await options.sqs.send(
    new DeleteMessageCommand({ QueueUrl: options.deadLetterQueueUrl, ReceiptHandle: message.ReceiptHandle }),
  );
}

/**
 * Moves messages from a dead-letter queue back to the queue they came from, in the order they arrive,
 * keeping each message's FIFO group. A message is deleted from the dead-letter queue only after it was
 * sent back, so an interrupted run loses nothing (it can leave a duplicate, which the processor's
 * idempotency claim absorbs).
 */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const waiting = await assertPair(options);
  options.log(`${waiting} message(s) waiting in ${options.deadLetterQueueUrl}`);
  if (options.dryRun) {
    options.log(
      `Dry run: would move up to ${Math.min(waiting, options.maxMessages)} message(s) to ${options.targetQueueUrl}`,
    );
    return { waiting, moved: 0 };
  }

  let moved = 0;
  while (moved < options.maxMessages) {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl,
        MaxNumberOfMessages: Math.min(10, options.maxMessages - moved),
        WaitTimeSeconds: 1,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) {
      break;
    }
    for (const message of messages) {
      await moveOne(message, options);
      moved += 1;
    }
    options.log(`Moved ${moved} message(s)`);
  }

  options.log(`Done: moved ${moved} message(s) to ${options.targetQueueUrl}`);

  return { waiting, moved };
}
