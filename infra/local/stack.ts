import { randomBytes } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { FX_REFRESH_SERVICE } from '../../functions/fx-refresh/create-handler';
import { createProcessorHandler, PROCESSOR_SERVICE } from '../../functions/message-processor/create-handler';
import { NOTIFICATION_SENDER_SERVICE } from '../../functions/notification-sender/create-handler';
import {
  createTelegramWebhookHandler,
  TELEGRAM_WEBHOOK_SERVICE,
} from '../../functions/telegram-webhook/create-handler';
import {
  createWhatsAppWebhookHandler,
  WHATSAPP_WEBHOOK_SERVICE,
} from '../../functions/whatsapp-webhook/create-handler';
import { loadProcessorConfig, loadTelegramWebhookConfig, loadWhatsAppWebhookConfig } from '../../lib/config';
import type { MetricsSink } from '../../lib/observability/metric-names';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import type { CircuitBreakerSettings } from '../../lib/resilience/circuit-breaker';
import { PROCESSOR_BATCH_SIZE, PROCESSOR_TIMEOUT_SECONDS } from '../definitions';
import { type GatewayRoute, type LocalGateway, startLocalGateway } from './gateway';
import { type LocalFxRefresh, type LocalFxRefreshOutcome, startLocalFxRefresh } from './local-fx-refresh';
import { type LocalNotifications, startLocalNotifications } from './local-notifications';
import { type LocalStackWhatsAppOptions, WHATSAPP_WEBHOOK_PATH, whatsAppEnvironment } from './local-whatsapp';
import { type LocalResources, provisionLocalResources } from './provision';
import { createLocalSqsClient } from './sqs-client';
import { type SqsPoller, startSqsPoller } from './sqs-poller';

/** Path of the Telegram webhook route, the same as on API Gateway. */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';

export type { LocalStackWhatsAppOptions } from './local-whatsapp';
export { WHATSAPP_WEBHOOK_PATH } from './local-whatsapp';

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** Bot token the processor uses against `telegramApiBaseUrl`. */
  botToken: string;
  /** Base URL of the Bot API: the fake server's, or the real one. */
  telegramApiBaseUrl: string;
  /**
   * Secret token the webhook expects.
   * @default a random value
   */
  webhookSecret?: string;
  /**
   * Prefix of table and queue names.
   * @default a random `local-…` prefix
   */
  prefix?: string;
  /**
   * Inbound queue visibility timeout, so a failed record comes back quickly on one machine.
   * @default 5
   */
  visibilityTimeoutSeconds?: number;
  /**
   * Deliveries before a record moves to the dead-letter queue.
   * @default the deployed value
   */
  maxReceiveCount?: number;
  /** Loggers for the two functions; Powertools loggers writing to stdout when omitted. */
  webhookLogger?: Logger;
  processorLogger?: Logger;
  /**
   * Receives the EMF line of every metric data point of every function, the way Lambda puts them into
   * the function's log stream. `npm start` passes its log file.
   * @default a line on stdout, where Powertools writes EMF in Lambda
   */
  writeMetricLine?: (line: string) => void;
  /**
   * Receives the data points of every function in place of EMF lines, for example a recorder in tests.
   * @default Powertools sinks, one per function, that write to `writeMetricLine`
   */
  metrics?: MetricsSink;
  /** Tracers for the two functions. When omitted, Powertools tracers, which do nothing outside Lambda. */
  webhookTracer?: Tracer;
  processorTracer?: Tracer;
  /**
   * Extra environment for every function, for example `DEFAULT_CURRENCY`. It replaces the local values,
   * FX_BASE_CURRENCY and FX_CURRENCIES of fx-refresh and NOTIFY_EMAIL_FROM of notification-sender included.
   */
  environment?: Record<string, string>;
  /**
   * Processor timeout, which bounds how long a call may wait in-process before the record is deferred.
   * @default the deployed value from infra/definitions.ts
   */
  processorTimeoutSeconds?: number;
  /** Circuit breaker settings in place of the defaults, for example a short open period in tests. */
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /**
   * Whether to run the processor on the inbound queue. Off, updates stay on the queue for inspection.
   * @default true
   */
  startProcessor?: boolean;
  /** Called with errors of the local SQS poller itself. */
  onPollerError?: (error: unknown) => void;
  /**
   * Runs fx-refresh against fake FX providers on 127.0.0.1, once before the stack is returned and then
   * hourly, and gives the processor the rate table (FX_RATES_TABLE, FX_BASE_CURRENCY).
   * @default off, and the processor gets no rate table
   */
  fxRefresh?: LocalStackFxRefreshOptions;
  /**
   * Creates the notification queue, runs notification-sender on it against fake SES, SNS and Slack
   * servers on 127.0.0.1, and gives the processor NOTIFICATION_QUEUE_URL.
   * @default off, and the processor gets no notification queue
   */
  notifications?: LocalStackNotificationOptions;
  /**
   * Serves GET and POST /webhooks/whatsapp with the whatsapp-webhook function and gives the processor the
   * WhatsApp credentials and state table, so WhatsApp messages take the same path as Telegram updates.
   * @default off: the stack serves Telegram only
   */
  whatsapp?: LocalStackWhatsAppOptions;
}

/** Options of the stack's fx-refresh. The base currency is FX_BASE_CURRENCY of `environment`, or USD. */
export interface LocalStackFxRefreshOptions {
  /** @default a Powertools logger writing to stdout */
  logger?: Logger;
  /** @default a Powertools tracer, which does nothing outside Lambda */
  tracer?: Tracer;
  /** Time between refreshes after the first one, in milliseconds. @default one hour */
  intervalMs?: number;
  /** Called after every refresh, the one at start included. */
  onRefresh?: (outcome: LocalFxRefreshOutcome) => void;
}

/** Options of the stack's notification sender. */
export interface LocalStackNotificationOptions {
  /** @default a Powertools logger writing to stdout */
  logger?: Logger;
  /** @default a Powertools tracer, which does nothing outside Lambda */
  tracer?: Tracer;
}

/** The running local stack. */
export interface LocalStack {
  /** Full URL of POST /webhooks/telegram. */
  webhookUrl: string;
  /** Full URL of GET and POST /webhooks/whatsapp, when the `whatsapp` option was given. */
  whatsappWebhookUrl?: string;
  webhookSecret: string;
  resources: LocalResources;
  /** Environment of the webhook and the processor, as their configuration reads it. */
  environment: Readonly<Record<string, string>>;
  /** fx-refresh and its fake providers, when the `fxRefresh` option was given. */
  fxRefresh?: LocalFxRefresh;
  /** The notification queue, its consumer and the fake providers, when the `notifications` option was given. */
  notifications?: LocalNotifications;
  /** Waits until the inbound queue is empty and the processor is idle; throws after `timeoutMs`. */
  settle(timeoutMs?: number): Promise<void>;
  /** Number of records in the dead-letter queue. */
  deadLetterCount(): Promise<number>;
  stop(): Promise<void>;
}

/** Raised when the inbound queue does not drain in time. */
export class SettleTimeoutError extends Error {
  override readonly name = 'SettleTimeoutError';
}

async function queueCounts(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const result = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );

  return {
    visible: Number(result.Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(result.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/**
 * Runs the product on one machine. It provisions tables and queues on the emulators named by the
 * `AWS_ENDPOINT_URL_*` variables and serves the webhook function behind a local HTTP API on 127.0.0.1.
 * It then feeds the inbound queue to the processor the way the Lambda event source does.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const sqs = createLocalSqsClient();
  const webhookSecret = options.webhookSecret ?? randomBytes(24).toString('base64url');
  const prefix = options.prefix ?? `local-${randomBytes(4).toString('hex')}`;
  const resources = await provisionLocalResources({
    prefix,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
    maxReceiveCount: options.maxReceiveCount,
    sqs,
  });
  const writeMetricLine = options.writeMetricLine ?? ((line: string) => process.stdout.write(`${line}\n`));
  const metricsOf = (serviceName: string) =>
    options.metrics ?? new PowertoolsMetricsSink({ serviceName, writeLine: writeMetricLine });
  const { fxRefresh, notifications } = await startOptionalFunctions(
    options,
    prefix,
    resources,
    sqs,
    metricsOf,
  );
  const environment = {
    INBOUND_QUEUE_URL: resources.inboundQueueUrl,
    USERS_TABLE: resources.tables.users,
    IDENTITIES_TABLE: resources.tables.identities,
    TRANSACTIONS_TABLE: resources.tables.transactions,
    IDEMPOTENCY_TABLE: resources.tables.idempotency,
    RESILIENCE_TABLE: resources.tables.resilience,
    TELEGRAM_BOT_TOKEN: options.botToken,
    TELEGRAM_WEBHOOK_SECRET: webhookSecret,
    TELEGRAM_API_BASE_URL: options.telegramApiBaseUrl,
    // Local requests come from 127.0.0.1, never from Telegram's networks.
    TELEGRAM_IP_CHECK: 'false',
    ...(fxRefresh === undefined
      ? {}
      : { FX_RATES_TABLE: fxRefresh.ratesTable, FX_BASE_CURRENCY: fxRefresh.baseCurrency }),
    ...(notifications === undefined ? {} : { NOTIFICATION_QUEUE_URL: notifications.queueUrl }),
    ...whatsAppEnvironment(options.whatsapp, resources),
    ...options.environment,
  };

  const webhook = createTelegramWebhookHandler(loadTelegramWebhookConfig(environment), {
    sqs,
    logger: options.webhookLogger,
    metrics: metricsOf(TELEGRAM_WEBHOOK_SERVICE),
    tracer: options.webhookTracer,
  });
  const processor = createProcessorHandler(loadProcessorConfig(environment), {
    logger: options.processorLogger,
    sqs,
    breakerSettings: options.breakerSettings,
    metrics: metricsOf(PROCESSOR_SERVICE),
    tracer: options.processorTracer,
  });
  const routes: GatewayRoute[] = [
    {
      method: 'POST',
      path: TELEGRAM_WEBHOOK_PATH,
      functionName: 'telegram-webhook',
      handler: webhook,
      timeoutSeconds: 5,
    },
  ];
  if (options.whatsapp !== undefined) {
    const whatsappWebhook = createWhatsAppWebhookHandler(loadWhatsAppWebhookConfig(environment), {
      sqs,
      logger: options.whatsapp.webhookLogger,
      metrics: metricsOf(WHATSAPP_WEBHOOK_SERVICE),
      tracer: options.whatsapp.webhookTracer,
    });
    for (const method of ['GET', 'POST']) {
      routes.push({
        method,
        path: WHATSAPP_WEBHOOK_PATH,
        functionName: WHATSAPP_WEBHOOK_SERVICE,
        handler: whatsappWebhook,
        timeoutSeconds: 5,
      });
    }
  }
  const gateway: LocalGateway = await startLocalGateway(routes);
  const inboundArn = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: resources.inboundQueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const poller: SqsPoller | undefined =
    options.startProcessor === false
      ? undefined
      : startSqsPoller({
          sqs,
          queueUrl: resources.inboundQueueUrl,
          queueArn: inboundArn.Attributes?.QueueArn ?? '',
          handler: processor,
          functionName: 'message-processor',
          timeoutSeconds: options.processorTimeoutSeconds ?? PROCESSOR_TIMEOUT_SECONDS,
          batchSize: PROCESSOR_BATCH_SIZE,
          onError: options.onPollerError,
        });

  return {
    webhookUrl: `${gateway.url}${TELEGRAM_WEBHOOK_PATH}`,
    whatsappWebhookUrl: options.whatsapp === undefined ? undefined : `${gateway.url}${WHATSAPP_WEBHOOK_PATH}`,
    webhookSecret,
    resources,
    environment,
    fxRefresh,
    notifications,
    async settle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let quietChecks = 0;
      while (Date.now() < deadline) {
        const counts = await queueCounts(sqs, resources.inboundQueueUrl);
        quietChecks =
          (poller?.idle() ?? true) && counts.visible === 0 && counts.inFlight === 0 ? quietChecks + 1 : 0;
        if (quietChecks >= 2) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new SettleTimeoutError(`The inbound queue did not drain within ${timeoutMs} ms.`);
    },
    async deadLetterCount() {
      const counts = await queueCounts(sqs, resources.deadLetterQueueUrl);
      return counts.visible + counts.inFlight;
    },
    async stop() {
      await poller?.stop();
      await processor.close();
      await gateway.stop();
      await notifications?.stop();
      await fxRefresh?.stop();
      sqs.destroy();
    },
  };
}

/**
 * Starts the parts that the `fxRefresh` and `notifications` options ask for. provisionLocalResources
 * creates every table of lib/store/tables.ts as `<prefix>-<table id>`, the FX rates and suppressions tables
 * included.
 */
async function startOptionalFunctions(
  options: LocalStackOptions,
  prefix: string,
  resources: LocalResources,
  sqs: SQSClient,
  metricsOf: (serviceName: string) => MetricsSink,
): Promise<{ fxRefresh?: LocalFxRefresh; notifications?: LocalNotifications }> {
  const fxRefresh =
    options.fxRefresh === undefined
      ? undefined
      : await startLocalFxRefresh({
          ratesTable: `${prefix}-fxRates`,
          resilienceTable: resources.tables.resilience,
          baseCurrency: options.environment?.FX_BASE_CURRENCY,
          environment: options.environment,
          intervalMs: options.fxRefresh.intervalMs,
          metrics: metricsOf(FX_REFRESH_SERVICE),
          logger: options.fxRefresh.logger,
          tracer: options.fxRefresh.tracer,
          onRefresh: options.fxRefresh.onRefresh,
        });
  if (options.notifications === undefined) {
    return { fxRefresh };
  }

  try {
    const notifications = await startLocalNotifications({
      prefix,
      sqs,
      tables: {
        users: resources.tables.users,
        idempotency: resources.tables.idempotency,
        resilience: resources.tables.resilience,
        suppressions: `${prefix}-suppressions`,
      },
      visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
      maxReceiveCount: options.maxReceiveCount,
      environment: options.environment,
      metrics: metricsOf(NOTIFICATION_SENDER_SERVICE),
      logger: options.notifications.logger,
      tracer: options.notifications.tracer,
      onPollerError: options.onPollerError,
    });
    return { fxRefresh, notifications };
  } catch (error) {
    await fxRefresh?.stop();
    throw error;
  }
}
