import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { localLambdaContext } from './lambda-context';

/** An SQS-triggered Lambda handler that reports partial batch failures. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** Options of {@link startSqsPoller}. */
export interface SqsPollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** ARN written into each record's `eventSourceARN`. */
  queueArn: string;
  handler: SqsHandler;
  functionName: string;
  timeoutSeconds: number;
  batchSize: number;
  /** Called with every error the poller itself meets (not the handler's failed records). */
  onError?: (error: unknown) => void;
}

/** A running poller. */
export interface SqsPoller {
  /** Resolves when no batch is being processed and the last receive came back empty. */
  idle(): boolean;
  /** Number of batches handled so far. */
  batches(): number;
  stop(): Promise<void>;
}

function toRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};

  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      MessageGroupId: attributes.MessageGroupId,
      MessageDeduplicationId: attributes.MessageDeduplicationId,
      SequenceNumber: attributes.SequenceNumber,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'us-east-1',
  };
}

/**
 * Feeds SQS batches to a handler with the semantics of a Lambda SQS event source with
 * ReportBatchItemFailures. Records that the handler reports as failed stay on the queue and come back after
 * the visibility timeout, and so does the whole batch when the handler throws. The rest are deleted.
 * The queue's redrive policy moves a record to the dead-letter queue after its receive count.
 */
export function startSqsPoller(options: SqsPollerOptions): SqsPoller {
  let running = true;
  let busy = false;
  let lastReceiveEmpty = false;
  let batchCount = 0;

  async function pollOnce(): Promise<void> {
    const received = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    lastReceiveEmpty = messages.length === 0;
    if (messages.length === 0) {
      return;
    }

    busy = true;
    try {
      const records = messages.map((message) => toRecord(message, options.queueArn));
      let failed = new Set(records.map((record) => record.messageId));
      try {
        const response = await options.handler(
          { Records: records },
          localLambdaContext(options.functionName, options.timeoutSeconds),
        );
        failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      } catch (error) {
        options.onError?.(error);
      }
      batchCount += 1;

      const done = records.filter((record) => !failed.has(record.messageId));
      if (done.length > 0) {
        await options.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: done.map((record, index) => ({
              Id: String(index),
              ReceiptHandle: record.receiptHandle,
            })),
          }),
        );
      }
    } finally {
      busy = false;
    }
  }

  const loop = (async () => {
    while (running) {
      try {
        await pollOnce();
      } catch (error) {
        if (running) {
          options.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
  })();

  return {
    idle: () => !busy && lastReceiveEmpty,
    batches: () => batchCount,
    async stop() {
      running = false;
      await loop;
    },
  };
}
