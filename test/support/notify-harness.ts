import { randomBytes, randomUUID } from 'node:crypto';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent, SNSEventRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createNotificationSenderHandler } from '../../functions/notification-sender/create-handler';
import { createSesFeedbackHandler } from '../../functions/ses-feedback/create-handler';
import { type FakeSes, startFakeSes } from '../../infra/local/fake-ses/server';
import { type FakeSlack, startFakeSlack } from '../../infra/local/fake-slack/server';
import { type FakeSns, startFakeSns } from '../../infra/local/fake-sns/server';
import { localLambdaContext } from '../../infra/local/lambda-context';
import { provisionLocalResources } from '../../infra/local/provision';
import type { NotificationSenderConfig, SesFeedbackConfig } from '../../lib/config';
import type { FeedbackSummary } from '../../lib/notify/feedback/process-feedback';
import type { Notification } from '../../lib/notify/notification';
import type { SuppressionRecord } from '../../lib/notify/suppression-store';
import { ManualClock } from '../resilience/support';
import { RecordingMetrics } from '../unit/observability/recording-metrics';
import { CapturingLogger } from './capturing-logger';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** The notification functions wired to DynamoDB Local and the fake SES, SNS and Slack, for one test file. */
export interface NotifyHarness {
  ses: FakeSes;
  sns: FakeSns;
  slack: FakeSlack;
  /** URL of the `operations` Slack webhook, a secret. */
  operationsWebhookUrl: string;
  clock: ManualClock;
  /** Every delay that the resilience layer slept, in order. */
  sleeps: number[];
  logLines: string[];
  metrics: RecordingMetrics;
  tables: { users: string; suppressions: string };
  /** Runs the notification sender on one SQS batch of these notifications (or raw bodies). */
  send(...notifications: (Notification | string)[]): Promise<SQSBatchResponse>;
  /** Runs the SES feedback function on an SNS event. */
  feedback(event: SNSEvent): Promise<FeedbackSummary>;
  suppression(address: string): Promise<SuppressionRecord | undefined>;
  putUser(userId: string): Promise<void>;
  getUser(userId: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

/** Options of {@link startNotifyHarness}. */
export interface NotifyHarnessOptions {
  transientBounceLimit?: number;
  /** Tracer of the notification sender, such as a fake that records segments. */
  senderTracer?: Tracer;
  /** Tracer of the SES feedback function. */
  feedbackTracer?: Tracer;
}

/** Starts the fakes, creates the tables on DynamoDB Local under a fresh prefix, and wires both functions. */
export async function startNotifyHarness(options: NotifyHarnessOptions = {}): Promise<NotifyHarness> {
  const [ses, sns, slack] = await Promise.all([startFakeSes(), startFakeSns(), startFakeSlack()]);
  const operationsWebhookUrl = slack.createWebhook('operations');
  const prefix = `notify-${randomBytes(4).toString('hex')}`;
  const resources = await provisionLocalResources({ prefix });
  const tables = { users: resources.tables.users, suppressions: `${prefix}-suppressions` };
  const clock = new ManualClock(Date.now());
  const sleeps: number[] = [];
  const logLines: string[] = [];
  const metrics = new RecordingMetrics();
  const dynamodb = new DynamoDBClient({});
  const documents = DynamoDBDocumentClient.from(dynamodb);
  const sesClient = new SESv2Client({
    endpoint: ses.url,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });
  const snsClient = new SNSClient({
    endpoint: sns.url,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  });

  const senderConfig: NotificationSenderConfig = {
    tables: {
      users: resources.tables.users,
      idempotency: resources.tables.idempotency,
      resilience: resources.tables.resilience,
      suppressions: tables.suppressions,
    },
    emailFrom: 'Financy <reports@fin.example.net>',
    sesConfigurationSet: 'financy-test',
    smsSenderId: 'Financy',
    slackWebhooks: { kind: 'environment', webhooks: { operations: operationsWebhookUrl } },
    idempotencyRetentionSeconds: 3_600,
  };
  const feedbackConfig: SesFeedbackConfig = {
    suppressionsTable: tables.suppressions,
    transientBounceLimit: options.transientBounceLimit ?? 3,
  };
  const sender = createNotificationSenderHandler(senderConfig, {
    logger: new CapturingLogger('notification-sender', logLines),
    metrics,
    tracer: options.senderTracer,
    dynamodb,
    ses: sesClient,
    sns: snsClient,
    now: clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      await clock.sleep(ms);
    },
    random: () => 0.5,
  });
  const feedbackHandler = createSesFeedbackHandler(feedbackConfig, {
    logger: new CapturingLogger('ses-feedback', logLines),
    metrics,
    tracer: options.feedbackTracer,
    dynamodb,
    now: clock.now,
  });

  return {
    ses,
    sns,
    slack,
    operationsWebhookUrl,
    clock,
    sleeps,
    logLines,
    metrics,
    tables,
    send: (...notifications) =>
      sender(
        sqsEvent(notifications),
        localLambdaContext('notification-sender', 30),
      ) as Promise<SQSBatchResponse>,
    feedback: (event) =>
      feedbackHandler(event, localLambdaContext('ses-feedback', 30)) as Promise<FeedbackSummary>,
    async suppression(address) {
      const result = await documents.send(
        new GetCommand({ TableName: tables.suppressions, Key: { address }, ConsistentRead: true }),
      );
      return result.Item as SuppressionRecord | undefined;
    },
    async putUser(userId) {
      await documents.send(
        new PutCommand({ TableName: tables.users, Item: { userId, status: 'active', identities: [] } }),
      );
    },
    async getUser(userId) {
      const result = await documents.send(new GetCommand({ TableName: tables.users, Key: { userId } }));
      return result.Item;
    },
    async stop() {
      await Promise.all([ses.stop(), sns.stop(), slack.stop()]);
      sesClient.destroy();
      snsClient.destroy();
      documents.destroy();
      dynamodb.destroy();
    },
  };
}

/** Builds an SQS event with one record per notification, as the Lambda event source delivers it. */
export function sqsEvent(notifications: readonly (Notification | string)[]): SQSEvent {
  return {
    Records: notifications.map(
      (notification): SQSRecord => ({
        messageId: randomUUID(),
        receiptHandle: `receipt-${randomUUID()}`,
        body: typeof notification === 'string' ? notification : JSON.stringify(notification),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AIDAFAKE',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:notifications',
        awsRegion: 'us-east-1',
      }),
    ),
  };
}

/** Wraps SES notification messages (objects or raw strings) into an SNS event, one record each. */
export function snsEvent(messages: readonly (object | string)[]): SNSEvent {
  return {
    Records: messages.map(
      (message): SNSEventRecord => ({
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses-feedback:fake-subscription',
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses-feedback',
          Subject: '',
          Message: typeof message === 'string' ? message : JSON.stringify(message),
          Timestamp: new Date().toISOString(),
          SignatureVersion: '1',
          Signature: 'FAKE',
          SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/fake.pem',
          UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/fake-unsubscribe',
          MessageAttributes: {},
        },
      }),
    ),
  };
}
