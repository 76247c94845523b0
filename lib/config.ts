/**
 * The one place that reads environment variables. Each function reads what it needs once, at module load
 * in the handler, and fails fast with the variable's name when a value is missing or invalid.
 * The README's configuration table lists every variable below.
 */

/** Raised when an environment variable is missing or has an invalid value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();

  return value === '' ? undefined : value;
}

function required(env: Env, name: string): string {
  const value = optional(env, name);
  if (value === undefined) {
    throw new ConfigError(name, 'environment variable is required but not set.');
  }

  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = optional(env, name);
  if (raw === undefined) {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}".`);
  }

  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name)?.toLowerCase();
  if (raw === undefined) {
    return fallback;
  }
  if (['true', '1', 'yes', 'on'].includes(raw)) {
    return true;
  }
  if (['false', '0', 'no', 'off'].includes(raw)) {
    return false;
  }

  throw new ConfigError(name, `expected true or false, got "${raw}".`);
}

function currency(env: Env, name: string, fallback: string): string {
  const value = (optional(env, name) ?? fallback).toUpperCase();
  if (!/^[A-Z]{3}$/.test(value)) {
    throw new ConfigError(name, `expected an ISO 4217 code such as EUR, got "${value}".`);
  }

  return value;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch {
    throw new ConfigError(name, `"${value}" is not an IANA time zone such as Europe/Lisbon.`);
  }

  return value;
}

function url(env: Env, name: string, fallback: string): string {
  const value = optional(env, name) ?? fallback;
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `expected an absolute URL, got "${value}".`);
  }

  return value.replace(/\/+$/, '');
}

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
  };
}
