import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { NotificationSenderConfig } from '../config';
import type { MetricsSink } from '../observability/metric-names';
import { NO_TRACING, type Tracing } from '../observability/tracing';
import { RecordDeferrer } from '../processor/deferral';
import { type CircuitBreakerSettings, DynamoCircuitBreaker } from '../resilience/circuit-breaker';
import type { ResilienceLogger } from '../resilience/logger';
import { createResilientCaller, type ResilientCaller } from '../resilience/resilient-call';
import { DynamoTokenBucket } from '../resilience/token-bucket';
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
 * Returns a view of `caller` whose calls name `operation` unless they name their own, which completes the
 * trace subsegment name `<dependency>.<operation>`. The SNS and Slack senders each call one provider
 * operation, so they get such a view. The SES sender calls two (GetSuppressedDestination and SendEmail)
 * without naming them, so its subsegments are named `ses`, and the traced SES client adds a subsegment with
 * the operation below each.
 */
function withOperation(caller: ResilientCaller, operation: string): ResilientCaller {
  return {
    call: (options, run) => caller.call({ operation, ...options }, run),
    get stats() {
      return caller.stats;
    },
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
  // One breaker and one set of buckets per instance, so their caches serve every invocation it runs.
  const resilience = createResilientCaller({
    breaker: new DynamoCircuitBreaker({
      client,
      tableName: config.tables.resilience,
      now,
      logger: resilienceLogger,
      settings: overrides.breakerSettings,
      metrics,
    }),
    buckets: new DynamoTokenBucket({
      client,
      tableName: config.tables.resilience,
      now,
      logger: resilienceLogger,
    }),
    logger: resilienceLogger,
    now,
    sleep: overrides.sleep,
    random: overrides.random,
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
        resilience: withOperation(resilience, 'Publish'),
      }),
      sms: new SnsSmsSender({
        sns,
        resilience: withOperation(resilience, 'Publish'),
        senderId: config.smsSenderId,
      }),
      slack: new SlackSender({
        client: new SlackWebhookClient({ fetch: overrides.fetch, now }),
        resolveWebhook: createSlackWebhookResolver(config.slackWebhooks, overrides.secretsProvider),
        resilience: withOperation(resilience, 'incomingWebhook'),
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
