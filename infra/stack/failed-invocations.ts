import { Duration, Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queueNotEmptyAlarm } from './queue-alarm';

/** Properties of {@link FailedInvocations}. */
export interface FailedInvocationsProps {
  /** Name of the queue, which carries the stage so that stages can share an account and region. */
  readonly queueName: string;
  /**
   * Days that a failed event stays in the queue.
   * @default 14, the most that SQS keeps a message
   */
  readonly retentionDays?: number;
}

/** Retry settings of an asynchronously invoked function, for {@link FailedInvocations.captureFailuresOf}. */
export interface AsyncRetryOptions {
  /** Retries after a failed invocation, from 0 to 2. Lambda waits about 1 and then 2 minutes between them. */
  readonly retryAttempts: number;
  /** Age after which Lambda drops an event that it has not yet processed, from 1 minute to 6 hours. */
  readonly maxEventAge: Duration;
}

/**
 * The queue that keeps the events of asynchronous invocations that failed for good: scheduled runs of
 * fx-refresh and weekly-summary whose retries all failed or that EventBridge could not deliver, and SNS
 * events that ses-feedback or alarm-notifier could not process. Each message is Lambda's invocation record,
 * with the function ARN, the error and the original event, or EventBridge's event with the delivery error
 * in its attributes. An alarm fires as soon as one arrives.
 */
export class FailedInvocations extends Construct {
  /** Queue of the failed events. */
  readonly queue: Queue;
  /** Alarm on one or more visible messages in the queue. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailedInvocationsProps) {
    super(scope, id);

    this.queue = new Queue(this, 'Queue', {
      queueName: props.queueName,
      retentionPeriod: Duration.days(props.retentionDays ?? 14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.queue.node.defaultChild!).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: the on-failure destination of asynchronous Lambda invocations ' +
        'and the dead-letter queue of EventBridge rule targets. cdk-nag recognizes a dead-letter queue only ' +
        "through another queue's redrive policy or a function's DeadLetterConfig, and a queue behind it would only move the records once more.",
    });

    this.alarm = queueNotEmptyAlarm(this, 'Alarm', {
      queue: this.queue,
      nameSuffix: 'failed-invocations',
      description:
        'A scheduled run or an SNS event failed for good and its event is in the failed-invocations queue. ' +
        'Read the record to find the function and the error. Runbook: docs/operations.md, "Failed invocations".',
    });
  }

  /**
   * Sets how Lambda retries asynchronous invocations of `lambdaFunction`, and sends the events whose
   * retries all failed to this queue. The function's role gets `sqs:SendMessage` on the queue.
   */
  captureFailuresOf(lambdaFunction: IFunction, options: AsyncRetryOptions): void {
    lambdaFunction.configureAsyncInvoke({
      retryAttempts: options.retryAttempts,
      maxEventAge: options.maxEventAge,
      onFailure: new SqsDestination(this.queue),
    });
  }
}
