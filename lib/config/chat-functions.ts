import {
  boolean,
  ConfigError,
  currency,
  type Env,
  integer,
  optional,
  optionalUrl,
  required,
  timeZone,
  url,
} from './environment';
import { loadProcessorAiConfig, type ProcessorAiConfig } from './processor-ai';
import { loadProcessorWhatsAppConfig, type ProcessorWhatsAppConfig } from './whatsapp';

/**
 * Source of the Telegram bot token and webhook secret: a Secrets Manager secret on AWS
 * (a JSON object with `botToken` and `webhookSecret`), or plain variables on the local stack.
 */
export type TelegramSecretSource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; botToken: string; webhookSecret: string };

function telegramSecretSource(env: Env): TelegramSecretSource {
  const secretId = optional(env, 'TELEGRAM_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const botToken = optional(env, 'TELEGRAM_BOT_TOKEN');
  const webhookSecret = optional(env, 'TELEGRAM_WEBHOOK_SECRET');
  if (botToken === undefined || webhookSecret === undefined) {
    throw new ConfigError(
      'TELEGRAM_SECRET_ARN',
      'set it to the Secrets Manager secret holding botToken and webhookSecret, ' +
        'or set both TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET for local use.',
    );
  }

  return { kind: 'environment', botToken, webhookSecret };
}

/** Settings of the Telegram webhook function. */
export interface TelegramWebhookConfig {
  inboundQueueUrl: string;
  secrets: TelegramSecretSource;
  /** Whether the source IP must be in Telegram's published webhook ranges. Off only for local use. */
  checkSourceIp: boolean;
  maxBodyBytes: number;
}

/** Reads the Telegram webhook function's settings. */
export function loadTelegramWebhookConfig(env: Env = process.env): TelegramWebhookConfig {
  return {
    inboundQueueUrl: required(env, 'INBOUND_QUEUE_URL'),
    secrets: telegramSecretSource(env),
    checkSourceIp: boolean(env, 'TELEGRAM_IP_CHECK', true),
    maxBodyBytes: integer(env, 'WEBHOOK_MAX_BODY_BYTES', 1_048_576, 1_024, 10_485_760),
  };
}

/** Deployed table names. */
export interface TableNames {
  users: string;
  identities: string;
  transactions: string;
  idempotency: string;
  resilience: string;
}

function tableNames(env: Env): TableNames {
  return {
    users: required(env, 'USERS_TABLE'),
    identities: required(env, 'IDENTITIES_TABLE'),
    transactions: required(env, 'TRANSACTIONS_TABLE'),
    idempotency: required(env, 'IDEMPOTENCY_TABLE'),
    resilience: required(env, 'RESILIENCE_TABLE'),
  };
}

/** Settings of the message processor function. */
export interface ProcessorConfig {
  tables: TableNames;
  secrets: TelegramSecretSource;
  telegramApiBaseUrl: string;
  /** How long an update claim is kept, far beyond SQS FIFO's 5-minute deduplication window. */
  idempotencyRetentionSeconds: number;
  defaultCurrency: string;
  defaultTimeZone: string;
  /**
   * The stored exchange rates that transactions in other currencies are converted with. Without it, such
   * transactions are listed apart in /balance and /stats, not converted.
   */
  fxRates?: ProcessorFxRatesConfig;
  /**
   * URL of the notification queue (NOTIFICATION_QUEUE_URL), which e-mail confirmation codes go to. Without
   * it, /settings replies that e-mail is not available.
   */
  notificationQueueUrl?: string;
  /**
   * URL of the inbound FIFO queue (INBOUND_QUEUE_URL), on which the processor queues the reading of an album
   * of receipt photos. Without it, each photo of an album is read on its own.
   */
  inboundQueueUrl?: string;
  /** WhatsApp settings, absent when WhatsApp is not configured: the processor then serves Telegram only. */
  whatsapp?: ProcessorWhatsAppConfig;
  /** AI understanding, voice, receipts and the per-user AI budget. */
  ai: ProcessorAiConfig;
}

/** Location of the exchange rates that the processor reads. Only the fx-refresh function writes them. */
export interface ProcessorFxRatesConfig {
  /** Table of the stored rates (FX_RATES_TABLE). */
  table: string;
  /** ISO 4217 code that the stored rates are quoted against (FX_BASE_CURRENCY), as the refresh writes them. */
  baseCurrency: string;
}

function processorFxRates(env: Env): ProcessorFxRatesConfig | undefined {
  const table = optional(env, 'FX_RATES_TABLE');
  if (table === undefined) {
    return undefined;
  }

  return { table, baseCurrency: currency(env, 'FX_BASE_CURRENCY', 'USD') };
}

/** Reads the message processor's settings. */
export function loadProcessorConfig(env: Env = process.env): ProcessorConfig {
  return {
    tables: tableNames(env),
    secrets: telegramSecretSource(env),
    telegramApiBaseUrl: url(env, 'TELEGRAM_API_BASE_URL', 'https://api.telegram.org'),
    idempotencyRetentionSeconds: integer(env, 'IDEMPOTENCY_RETENTION_HOURS', 168, 1, 8_760) * 3_600,
    defaultCurrency: currency(env, 'DEFAULT_CURRENCY', 'USD'),
    defaultTimeZone: timeZone(env, 'DEFAULT_TIME_ZONE', 'UTC'),
    fxRates: processorFxRates(env),
    notificationQueueUrl: optionalUrl(env, 'NOTIFICATION_QUEUE_URL'),
    inboundQueueUrl: optionalUrl(env, 'INBOUND_QUEUE_URL'),
    whatsapp: loadProcessorWhatsAppConfig(env),
    ai: loadProcessorAiConfig(env),
  };
}
