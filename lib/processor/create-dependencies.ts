import type { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TelegramApiClient } from '../channels/telegram/api-client';
import { TelegramChannel } from '../channels/telegram/telegram-channel';
import { WhatsAppDeliveryTracker } from '../channels/whatsapp/delivery-tracker';
import { GraphApiClient } from '../channels/whatsapp/graph-client';
import { WhatsAppStateStore } from '../channels/whatsapp/state-store';
import { WhatsAppChannel } from '../channels/whatsapp/whatsapp-channel';
import type { ProcessorConfig } from '../config';
import { FxRateReader } from '../fx/rate-reader';
import { DynamoFxRateStore } from '../fx/rate-store';
import { SqsNotificationQueue } from '../notify/preferences/notification-queue';
import { DISCARDING_METRICS, type MetricsSink } from '../observability/metric-names';
import { NO_TRACING, type Tracing } from '../observability/tracing';
import type { CircuitBreakerSettings } from '../resilience/circuit-breaker';
import { createDynamoResilientCaller } from '../resilience/dynamo-caller';
import type { ResilientCaller } from '../resilience/resilient-call';
import type { OpenAiKeyLoader } from '../secrets/openai-key';
import { createTelegramSecretsLoader, type TelegramSecretsLoader } from '../secrets/telegram-secrets';
import { createWhatsAppSecretsLoader, type WhatsAppSecretsLoader } from '../secrets/whatsapp-secrets';
import { AlbumStore } from '../store/album-store';
import { createDocumentClient } from '../store/clients';
import { IdempotencyStore } from '../store/idempotency-store';
import { DynamoTransactionStore } from '../store/transaction-store';
import { UserStore } from '../store/user-store';
import { createProcessorAi } from './ai/create-ai';
import { AlbumQueue } from './albums/album-queue';
import { RecordDeferrer } from './deferral';
import { ChannelNotConfiguredError, type ProcessorDependencies } from './dependencies';

/**
 * How long an album's record is kept, so the ✅ Confirm all button of its summary keeps working: 90 days,
 * longer than a draft is likely to wait.
 */
const ALBUM_RETENTION_SECONDS = 90 * 86_400;

/** Optional overrides of {@link createProcessorDependencies}, for tests and the local stack. */
export interface ProcessorDependencyOverrides {
  dynamodb?: DynamoDBClient;
  /**
   * SQS client for deferring records and for the notification queue. The emulator needs one that ignores
   * queue URL hosts.
   */
  sqs?: SQSClient;
  loadSecrets?: TelegramSecretsLoader;
  /** Loader of the WhatsApp credentials in place of the configured source. */
  loadWhatsAppSecrets?: WhatsAppSecretsLoader;
  /** Loader of the OpenAI key in place of the configured source. */
  loadOpenAiKey?: OpenAiKeyLoader;
  /** fetch for the Bot API and the Graph API. */
  fetch?: typeof fetch;
  now?: () => number;
  /** Circuit breaker settings in place of the defaults, for example a short open period in tests. */
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /** Sleep used for rate-limit waits and retry delays. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Destination of the processor's and the resilience layer's metrics.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Tracing of records and Telegram calls.
   * @default NO_TRACING
   */
  tracing?: Tracing;
}

/**
 * Builds the processor's stores and channels from configuration. `budgetMs` returns how long an outbound
 * call may still wait (for a Telegram 429) in the current invocation.
 */
export function createProcessorDependencies(
  config: ProcessorConfig,
  logger: Logger,
  budgetMs: () => number,
  overrides: ProcessorDependencyOverrides = {},
): ProcessorDependencies {
  const client = createDocumentClient(overrides.dynamodb);
  const now = overrides.now ?? Date.now;
  const loadSecrets = overrides.loadSecrets ?? createTelegramSecretsLoader(config.secrets);
  const metrics = overrides.metrics ?? DISCARDING_METRICS;
  const tracing = overrides.tracing ?? NO_TRACING;
  const sqs = overrides.sqs ?? new SQSClient({});
  let telegram: { token: string; channel: TelegramChannel } | undefined;
  const whatsapp = config.whatsapp;
  const loadWhatsAppSecrets =
    whatsapp === undefined
      ? undefined
      : (overrides.loadWhatsAppSecrets ?? createWhatsAppSecretsLoader(whatsapp.secrets));
  const whatsappState =
    whatsapp === undefined
      ? undefined
      : new WhatsAppStateStore({ client, tableName: whatsapp.stateTable, now });
  let whatsappChannel: { token: string; channel: WhatsAppChannel } | undefined;
  const resilienceLogger = {
    debug: (message: string, extra: Record<string, unknown>) => logger.debug(message, extra),
    info: (message: string, extra: Record<string, unknown>) => logger.info(message, extra),
    warn: (message: string, extra: Record<string, unknown>) => logger.warn(message, extra),
    error: (message: string, extra: Record<string, unknown>) => logger.error(message, extra),
  };
  const resilience: ResilientCaller = createDynamoResilientCaller({
    client,
    tableName: config.tables.resilience,
    logger: resilienceLogger,
    now,
    sleep: overrides.sleep,
    breakerSettings: overrides.breakerSettings,
    metrics,
    tracing,
  });

  const idempotency = new IdempotencyStore({
    client,
    tableName: config.tables.idempotency,
    retentionSeconds: config.idempotencyRetentionSeconds,
    now,
  });

  return {
    users: new UserStore({
      client,
      usersTable: config.tables.users,
      identitiesTable: config.tables.identities,
      defaultCurrency: config.defaultCurrency,
      defaultTimeZone: config.defaultTimeZone,
      now,
    }),
    transactions: new DynamoTransactionStore({ client, tableName: config.tables.transactions, now }),
    // No revalidate: the processor has no provider keys, so it relies on the hourly refresh and the
    // reader's stale window, and marks a conversion pending when the rate has expired.
    rates:
      config.fxRates === undefined
        ? undefined
        : new FxRateReader({
            store: new DynamoFxRateStore(client, config.fxRates.table),
            baseCurrency: config.fxRates.baseCurrency,
            now,
            logger: resilienceLogger,
          }),
    idempotency,
    logger,
    metrics,
    tracing,
    now,
    deferrer: new RecordDeferrer(sqs),
    notificationQueue:
      config.notificationQueueUrl === undefined
        ? undefined
        : new SqsNotificationQueue({ sqs, queueUrl: config.notificationQueueUrl }),
    deliveries: whatsappState === undefined ? undefined : new WhatsAppDeliveryTracker(whatsappState),
    ai: createProcessorAi(config.ai, {
      client,
      usersTable: config.tables.users,
      resilience,
      budgetMs,
      metrics,
      logger: resilienceLogger,
      now,
      loadOpenAiKey: overrides.loadOpenAiKey,
      markers: idempotency,
    }),
    albums:
      config.inboundQueueUrl === undefined
        ? undefined
        : {
            store: new AlbumStore({
              client,
              tableName: config.tables.idempotency,
              retentionSeconds: ALBUM_RETENTION_SECONDS,
              now,
            }),
            queue: new AlbumQueue(sqs, config.inboundQueueUrl, now),
          },
    async channel(channel) {
      if (channel === 'whatsapp') {
        if (whatsapp === undefined || loadWhatsAppSecrets === undefined || whatsappState === undefined) {
          throw new ChannelNotConfiguredError(channel);
        }
        // Read per call through the cached loader, so a rotated access token is picked up.
        const { accessToken } = await loadWhatsAppSecrets();
        if (whatsappChannel?.token !== accessToken) {
          const client = new GraphApiClient({
            accessToken,
            baseUrl: whatsapp.graphApiBaseUrl,
            apiVersion: whatsapp.graphApiVersion,
            fetch: overrides.fetch,
            logger: resilienceLogger,
            now,
          });
          whatsappChannel = {
            token: accessToken,
            channel: new WhatsAppChannel({
              client,
              resilience,
              budgetMs,
              state: whatsappState,
              templates: whatsapp.templates,
              now,
              logger: resilienceLogger,
            }),
          };
        }
        return whatsappChannel.channel;
      }

      // The token is read per call through the cached loader, so a rotated token is picked up.
      const { botToken } = await loadSecrets();
      if (telegram?.token !== botToken) {
        const api = new TelegramApiClient({
          token: botToken,
          baseUrl: config.telegramApiBaseUrl,
          fetch: overrides.fetch,
          logger: {
            debug: (message, extra) => logger.debug(message, extra ?? {}),
            info: (message, extra) => logger.info(message, extra ?? {}),
            warn: (message, extra) => logger.warn(message, extra ?? {}),
            error: (message, extra) => logger.error(message, extra ?? {}),
          },
        });
        telegram = { token: botToken, channel: new TelegramChannel(api, resilience, budgetMs) };
      }

      return telegram.channel;
    },
  };
}
