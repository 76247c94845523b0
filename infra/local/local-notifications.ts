import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  createNotificationSenderHandler,
  NOTIFICATION_SENDER_SERVICE,
} from '../../functions/notification-sender/create-handler';
import { loadNotificationSenderConfig } from '../../lib/config';
import type { MetricsSink } from '../../lib/observability/metric-names';
import {
  NOTIFICATION_QUEUE,
  NOTIFICATION_SENDER_BATCH_SIZE,
  NOTIFICATION_SENDER_TIMEOUT_SECONDS,
} from '../definitions';
import { type FakeSes, startFakeSes } from './fake-ses/server';
import { type FakeSlack, startFakeSlack } from './fake-slack/server';
import { type FakeSns, startFakeSns } from './fake-sns/server';
import { type SqsPoller, startSqsPoller } from './sqs-poller';

/** Name of the Slack webhook that the local configuration contains. */
export const LOCAL_SLACK_WEBHOOK = 'operations';

/** Options of {@link startLocalNotifications}. */
export interface LocalNotificationsOptions {
  /** Prefix of the queue names, the same as the stack's tables. */
  prefix: string;
  /** SQS client for the emulator, which ignores queue URL hosts. */
  sqs: SQSClient;
  /** Tables of the sender, as the stack provisioned them. */
  tables: { users: string; idempotency: string; resilience: string; suppressions: string };
  /**
   * Visibility timeout of the notification queue, shorter than deployed so a failed record comes back
   * quickly on one machine.
   */
  visibilityTimeoutSeconds: number;
  /** @default the deployed value from infra/definitions.ts */
  maxReceiveCount?: number;
  /**
   * Extra sender variables, such as NOTIFY_EMAIL_FROM or SLACK_WEBHOOK_URLS, which replace the local
   * defaults.
   */
  environment?: Record<string, string>;
  metrics: MetricsSink;
  /** @default a Powertools logger writing to stdout */
  logger?: Logger;
  /** @default a Powertools tracer, which does nothing outside Lambda */
  tracer?: Tracer;
  /** Called with errors of the local SQS poller itself. */
  onPollerError?: (error: unknown) => void;
}

/** The notification queue with notification-sender consuming it, sending through fake providers. */
export interface LocalNotifications {
  /** URL of the standard notification queue, which the processor gets as NOTIFICATION_QUEUE_URL. */
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Fake SES v2 API that receives every e-mail. */
  readonly ses: FakeSes;
  /** Fake SNS API that receives every push notification and SMS. */
  readonly sns: FakeSns;
  /** Fake Slack incoming webhooks. The local configuration contains one, {@link LOCAL_SLACK_WEBHOOK}. */
  readonly slack: FakeSlack;
  stop(): Promise<void>;
}

/**
 * Creates the notification queue and its dead-letter queue on the SQS emulator, starts fake SES, SNS and
 * Slack servers on 127.0.0.1, and feeds the queue to the notification-sender handler the way the Lambda
 * event source does.
 */
export async function startLocalNotifications(
  options: LocalNotificationsOptions,
): Promise<LocalNotifications> {
  const { sqs } = options;
  const queues = await createQueues(options);
  const [ses, sns, slack] = await Promise.all([startFakeSes(), startFakeSns(), startFakeSlack()]);
  const sesClient = new SESv2Client({ endpoint: ses.url, maxAttempts: 1 });
  const snsClient = new SNSClient({ endpoint: sns.url, maxAttempts: 1 });
  const stopFakes = async () => {
    sesClient.destroy();
    snsClient.destroy();
    await Promise.all([ses.stop(), sns.stop(), slack.stop()]);
  };

  let poller: SqsPoller;
  try {
    const environment: Record<string, string> = {
      USERS_TABLE: options.tables.users,
      IDEMPOTENCY_TABLE: options.tables.idempotency,
      RESILIENCE_TABLE: options.tables.resilience,
      SUPPRESSIONS_TABLE: options.tables.suppressions,
      NOTIFY_EMAIL_FROM: 'Financy <notifications@financy.example>',
      NOTIFY_SES_CONFIGURATION_SET: 'financy-local',
      SLACK_WEBHOOK_URLS: JSON.stringify({ [LOCAL_SLACK_WEBHOOK]: slack.createWebhook(LOCAL_SLACK_WEBHOOK) }),
      ...options.environment,
    };
    const handler = createNotificationSenderHandler(loadNotificationSenderConfig(environment), {
      logger: options.logger,
      tracer: options.tracer,
      metrics: options.metrics,
      ses: sesClient,
      sns: snsClient,
      sqs,
    });
    poller = startSqsPoller({
      sqs,
      queueUrl: queues.queueUrl,
      queueArn: queues.queueArn,
      handler,
      functionName: NOTIFICATION_SENDER_SERVICE,
      timeoutSeconds: NOTIFICATION_SENDER_TIMEOUT_SECONDS,
      batchSize: NOTIFICATION_SENDER_BATCH_SIZE,
      onError: options.onPollerError,
    });
  } catch (error) {
    await stopFakes();
    throw error;
  }

  return {
    queueUrl: queues.queueUrl,
    deadLetterQueueUrl: queues.deadLetterQueueUrl,
    ses,
    sns,
    slack,
    async stop() {
      await poller.stop();
      await stopFakes();
    },
  };
}

async function createQueues(options: LocalNotificationsOptions) {
  const { sqs, prefix } = options;
  const deadLetter = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-${NOTIFICATION_QUEUE.deadLetterName}`,
      Attributes: { MessageRetentionPeriod: String(NOTIFICATION_QUEUE.deadLetterRetentionDays * 86_400) },
    }),
  );
  const deadLetterArn = await queueArnOf(sqs, deadLetter.QueueUrl!);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-${NOTIFICATION_QUEUE.name}`,
      Attributes: {
        VisibilityTimeout: String(options.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: deadLetterArn,
          maxReceiveCount: options.maxReceiveCount ?? NOTIFICATION_QUEUE.maxReceiveCount,
        }),
      },
    }),
  );

  return {
    queueUrl: queue.QueueUrl!,
    queueArn: await queueArnOf(sqs, queue.QueueUrl!),
    deadLetterQueueUrl: deadLetter.QueueUrl!,
  };
}

async function queueArnOf(sqs: SQSClient, queueUrl: string): Promise<string> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );

  return attributes.Attributes?.QueueArn ?? '';
}
