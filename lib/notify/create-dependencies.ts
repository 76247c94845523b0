import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { NotificationSenderConfig } from '../config';
import type { MetricsSink } from '../observability/metric-names';
import { NO_TRACING, type Tracing } from '../observability/tracing';
import { RecordDeferrer } from '../processor/deferral';
import type { CircuitBreakerSettings } from '../resilience/circuit-breaker';
import { createDynamoResilientCaller, withDefaultOperation } from '../resilience/dynamo-caller';
import type { ResilienceLogger } from '../resilience/logger';
import type { ResilientCaller } from '../resilience/resilient-call';
import { createDocumentClient } from '../store/clients';
import { IdempotencyStore } from '../store/idempotency-store';
import type { NotificationProcessorDependencies } from './process-notification';
import { DynamoPushChannels } from './push-channel-store';
import { SesEmailSender } from './senders/ses-email-sender';
import { SlackWebhookClient } from './senders/slack-client';
import { SlackSender } from './senders/slack-sender';
import { createSlackWebhookResolver, type SecretReader } from './senders/slack-webhooks';
import { SnsPushSender } from './senders/sns-push-sender';
import { SnsSmsSender } from './senders/sns-sms-sender';
import { DynamoSuppressionStore } from './suppression-store';

/** Optional overrides of {@link createNotificationDependencies}, for tests and the local stack. */
export interface NotificationDependencyOverrides {
  dynamodb?: DynamoDBClient;
  ses?: SESv2Client;
  sns?: SNSClient;
  /** SQS client for deferring records; the emulator needs one that ignores queue URL hosts. */
  sqs?: SQSClient;
  fetch?: typeof fetch;
  secretsProvider?: SecretReader;
  now?: () => number;
  /** Sleep used for rate-limit waits and retry delays. */
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for the retry jitter. */
  random?: () => number;
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /**
   * Tracing of each record and each provider call.
   * @default NO_TRACING
   */
  tracing?: Tracing;
}

/** Seconds a notification claim lasts: above the sender function's timeout, which the CDK part sets. */
const CLAIM_LEASE_SECONDS = 120;

/** Adapts a Powertools logger to the resilience layer's logger shape. */
export function resilienceLoggerOf(logger: Logger): ResilienceLogger {
  return {
    debug: (message, extra) => logger.debug(message, extra),
    info: (message, extra) => logger.info(message, extra),
    warn: (message, extra) => logger.warn(message, extra),
    error: (message, extra) => logger.error(message, extra),
  };
}

/**
 * Builds the notification sender's senders, stores and resilience layer from configuration. The SES and
 * SNS clients make one attempt per call (`maxAttempts: 1`), so retries happen only in the resilience layer,
 * within the invocation's budget. Endpoints come from the SDK's `AWS_ENDPOINT_URL_SESV2` and
 * `AWS_ENDPOINT_URL_SNS` variables, so the local fakes need no code path of their own.
 *
 * `metrics` receives the notification metrics and the resilience layer's breaker, rate-limit and deferral
 * metrics, each with the call's `dependency` (`ses`, `sns` or `slack`).
 */
export function createNotificationDependencies(
  config: NotificationSenderConfig,
  logger: Logger,
  metrics: MetricsSink,
  budgetMs: () => number,
  overrides: NotificationDependencyOverrides = {},
): NotificationProcessorDependencies & { resilience: ResilientCaller } {
  const client = createDocumentClient(overrides.dynamodb);
  const now = overrides.now ?? Date.now;
  const resilienceLogger = resilienceLoggerOf(logger);
  const tracing = overrides.tracing ?? NO_TRACING;
  const resilience = createDynamoResilientCaller({
    client,
    tableName: config.tables.resilience,
    logger: resilienceLogger,
    now,
    sleep: overrides.sleep,
    random: overrides.random,
    breakerSettings: overrides.breakerSettings,
    metrics,
    tracing,
  });
  const ses = overrides.ses ?? new SESv2Client({ maxAttempts: 1 });
  const sns = overrides.sns ?? new SNSClient({ maxAttempts: 1 });

  return {
    resilience,
    senders: {
      email: new SesEmailSender({
        ses,
        suppressions: new DynamoSuppressionStore({ client, tableName: config.tables.suppressions, now }),
        resilience,
        fromAddress: config.emailFrom,
        configurationSetName: config.sesConfigurationSet,
      }),
      push: new SnsPushSender({
        sns,
        channels: new DynamoPushChannels({ client, usersTable: config.tables.users, now }),
        resilience: withDefaultOperation(resilience, 'Publish'),
      }),
      sms: new SnsSmsSender({
        sns,
        resilience: withDefaultOperation(resilience, 'Publish'),
        senderId: config.smsSenderId,
      }),
      slack: new SlackSender({
        client: new SlackWebhookClient({ fetch: overrides.fetch, now }),
        resolveWebhook: createSlackWebhookResolver(config.slackWebhooks, overrides.secretsProvider),
        resilience: withDefaultOperation(resilience, 'incomingWebhook'),
      }),
    },
    idempotency: new IdempotencyStore({
      client,
      tableName: config.tables.idempotency,
      retentionSeconds: config.idempotencyRetentionSeconds,
      now,
    }),
    deferrer: new RecordDeferrer(overrides.sqs ?? new SQSClient({})),
    logger,
    metrics,
    tracing,
    budgetMs,
    claimLeaseSeconds: CLAIM_LEASE_SECONDS,
  };
}
