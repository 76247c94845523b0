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

function optionalUrl(env: Env, name: string): string | undefined {
  return optional(env, name) === undefined ? undefined : url(env, name, '');
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
  };
}

/** Exchange-rate providers that the FX refresh can call, by id. */
export const FX_PROVIDER_IDS = ['exchangerate-api', 'frankfurter', 'currency-api'] as const;

/** An exchange-rate provider id. */
export type FxProviderId = (typeof FX_PROVIDER_IDS)[number];

/** Production base URL of each provider, overridden per provider by `FX_<PROVIDER>_BASE_URL`. */
const FX_DEFAULT_BASE_URLS: Readonly<Record<FxProviderId, string>> = {
  'exchangerate-api': 'https://v6.exchangerate-api.com',
  frankfurter: 'https://api.frankfurter.dev',
  'currency-api': 'https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@latest',
};

/** Environment variable that overrides a provider's base URL, such as `FX_FRANKFURTER_BASE_URL`. */
export function fxBaseUrlVariable(provider: FxProviderId): string {
  return `FX_${provider.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
}

/**
 * Source of the exchangerate-api key: a Secrets Manager secret on AWS (a JSON object with `apiKey`), or a
 * plain variable on the local stack.
 */
export type FxApiKeySource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; apiKey: string };

/** Settings of the FX refresh function. */
export interface FxRefreshConfig {
  /** Table of the stored rates (FX_RATES_TABLE). */
  ratesTable: string;
  /** Table of the circuit breakers and token buckets (RESILIENCE_TABLE). */
  resilienceTable: string;
  /** Providers in the order they are tried. The first is the primary. */
  providers: FxProviderId[];
  /** ISO 4217 code that every stored rate is quoted against. */
  baseCurrency: string;
  /** ISO 4217 codes to keep rates for, without the base currency. */
  currencies: string[];
  /** Source of the exchangerate-api key, set whenever `providers` contains exchangerate-api. */
  exchangerateApiKey?: FxApiKeySource;
  /** Base URL of each provider's API, without a trailing slash. */
  baseUrls: Record<FxProviderId, string>;
  /** Time one HTTP request to a provider may take before it is aborted, in milliseconds. */
  requestTimeoutMs: number;
}

function currencyList(env: Env, name: string): string[] {
  const raw = required(env, name);
  const codes = raw.split(',').map((code) => code.trim().toUpperCase());
  const invalid = codes.filter((code) => !/^[A-Z]{3}$/.test(code));
  if (invalid.length > 0) {
    throw new ConfigError(
      name,
      `expected comma-separated ISO 4217 codes such as EUR,GBP,BRL, got "${raw}" (invalid: ${invalid.join(', ')}).`,
    );
  }

  return [...new Set(codes)];
}

function fxProviderList(env: Env): FxProviderId[] {
  const raw = optional(env, 'FX_PROVIDERS') ?? FX_PROVIDER_IDS.join(',');
  const names = raw.split(',').map((name) => name.trim().toLowerCase());
  const known: readonly string[] = FX_PROVIDER_IDS;
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      'FX_PROVIDERS',
      `unknown provider "${unknown.join('", "')}"; use a comma-separated list of ${FX_PROVIDER_IDS.join(', ')}.`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new ConfigError('FX_PROVIDERS', `lists a provider twice: "${raw}".`);
  }

  return names as FxProviderId[];
}

function fxApiKeySource(env: Env): FxApiKeySource {
  const secretId = optional(env, 'FX_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const apiKey = optional(env, 'FX_EXCHANGERATE_API_KEY');
  if (apiKey === undefined) {
    throw new ConfigError(
      'FX_SECRET_ARN',
      'FX_PROVIDERS contains exchangerate-api, which needs an API key: set FX_SECRET_ARN to the Secrets ' +
        'Manager secret holding {"apiKey": "..."}, or set FX_EXCHANGERATE_API_KEY for local use, or remove ' +
        'exchangerate-api from FX_PROVIDERS.',
    );
  }

  return { kind: 'environment', apiKey };
}

/** Reads the FX refresh function's settings. */
export function loadFxRefreshConfig(env: Env = process.env): FxRefreshConfig {
  const providers = fxProviderList(env);
  const baseCurrency = currency(env, 'FX_BASE_CURRENCY', 'USD');
  const currencies = currencyList(env, 'FX_CURRENCIES').filter((code) => code !== baseCurrency);
  if (currencies.length === 0) {
    throw new ConfigError('FX_CURRENCIES', `lists no currency other than the base currency ${baseCurrency}.`);
  }
  const baseUrls = Object.fromEntries(
    FX_PROVIDER_IDS.map((provider) => [
      provider,
      url(env, fxBaseUrlVariable(provider), FX_DEFAULT_BASE_URLS[provider]),
    ]),
  ) as Record<FxProviderId, string>;

  return {
    ratesTable: required(env, 'FX_RATES_TABLE'),
    resilienceTable: required(env, 'RESILIENCE_TABLE'),
    providers,
    baseCurrency,
    currencies,
    exchangerateApiKey: providers.includes('exchangerate-api') ? fxApiKeySource(env) : undefined,
    baseUrls,
    requestTimeoutMs: integer(env, 'FX_REQUEST_TIMEOUT_MS', 5_000, 100, 30_000),
  };
}

/**
 * Source of the Slack incoming-webhook URLs, by webhook name: a Secrets Manager secret holding a JSON object
 * such as `{"operations": "https://hooks.slack.com/services/…"}` on AWS, or the same JSON in
 * `SLACK_WEBHOOK_URLS` on the local stack. The URLs are secrets, so no error message repeats them.
 */
export type SlackWebhookSource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; webhooks: Readonly<Record<string, string>> };

/** Names that a notification may use for a Slack webhook, and the bucket scope of its rate limit. */
export const SLACK_WEBHOOK_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function slackWebhookSource(env: Env): SlackWebhookSource {
  const secretId = optional(env, 'SLACK_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const raw = optional(env, 'SLACK_WEBHOOK_URLS');
  if (raw === undefined) {
    throw new ConfigError(
      'SLACK_SECRET_ARN',
      'set it to the Secrets Manager secret holding the Slack webhook URLs by name, ' +
        'or set SLACK_WEBHOOK_URLS to the same JSON object for local use.',
    );
  }

  return { kind: 'environment', webhooks: parseSlackWebhooks(raw, 'SLACK_WEBHOOK_URLS') };
}

/**
 * Parses a JSON object of Slack webhook names to absolute URLs, as `SLACK_WEBHOOK_URLS` and the Slack secret
 * hold it. Errors name the webhook but never its URL.
 * @throws {ConfigError} naming `source` when the JSON, a name or a URL is invalid.
 */
export function parseSlackWebhooks(raw: string, source: string): Readonly<Record<string, string>> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(
      source,
      'expected a JSON object of webhook names to URLs, but it is not valid JSON.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(source, 'expected a JSON object of webhook names to URLs.');
  }

  const webhooks: Record<string, string> = {};
  for (const [name, webhookUrl] of Object.entries(value)) {
    if (!SLACK_WEBHOOK_NAME.test(name)) {
      throw new ConfigError(
        source,
        `webhook name "${name}" is invalid; use lower-case letters, digits and dashes.`,
      );
    }
    if (typeof webhookUrl !== 'string' || !isHttpUrl(webhookUrl)) {
      throw new ConfigError(source, `the URL of webhook "${name}" is not an absolute http or https URL.`);
    }
    webhooks[name] = webhookUrl;
  }

  return webhooks;
}

function isHttpUrl(value: string): boolean {
  try {
    const parsed = new URL(value);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** Settings of the notification sender function. */
export interface NotificationSenderConfig {
  tables: Pick<TableNames, 'users' | 'idempotency' | 'resilience'> & { suppressions: string };
  /** Sender of every e-mail, such as `Financy <reports@example.com>`; SES must have its identity verified. */
  emailFrom: string;
  /** SES configuration set of every e-mail, which publishes bounces and complaints to the feedback topic. */
  sesConfigurationSet: string;
  /** Sender ID shown on SMS where the destination country supports one. */
  smsSenderId?: string;
  slackWebhooks: SlackWebhookSource;
  /** How long a sent notification's idempotency key is remembered. */
  idempotencyRetentionSeconds: number;
}

/** Reads the notification sender's settings. */
export function loadNotificationSenderConfig(env: Env = process.env): NotificationSenderConfig {
  const smsSenderId = optional(env, 'NOTIFY_SMS_SENDER_ID');
  // SNS sender IDs: 3 to 11 letters or digits, at least one of them a letter.
  if (smsSenderId !== undefined && !/^(?=.*[A-Za-z])[A-Za-z0-9]{3,11}$/.test(smsSenderId)) {
    throw new ConfigError(
      'NOTIFY_SMS_SENDER_ID',
      `expected 3 to 11 letters or digits with at least one letter, got "${smsSenderId}".`,
    );
  }

  return {
    tables: {
      users: required(env, 'USERS_TABLE'),
      idempotency: required(env, 'IDEMPOTENCY_TABLE'),
      resilience: required(env, 'RESILIENCE_TABLE'),
      suppressions: required(env, 'SUPPRESSIONS_TABLE'),
    },
    emailFrom: required(env, 'NOTIFY_EMAIL_FROM'),
    sesConfigurationSet: required(env, 'NOTIFY_SES_CONFIGURATION_SET'),
    smsSenderId,
    slackWebhooks: slackWebhookSource(env),
    idempotencyRetentionSeconds: integer(env, 'IDEMPOTENCY_RETENTION_HOURS', 168, 1, 8_760) * 3_600,
  };
}

/** Settings of the SES feedback function. */
export interface SesFeedbackConfig {
  suppressionsTable: string;
  /** Soft bounces (Transient or Undetermined) since the last delivery after which an address is suppressed. */
  transientBounceLimit: number;
}

/** Reads the SES feedback function's settings. */
export function loadSesFeedbackConfig(env: Env = process.env): SesFeedbackConfig {
  return {
    suppressionsTable: required(env, 'SUPPRESSIONS_TABLE'),
    transientBounceLimit: integer(env, 'NOTIFY_TRANSIENT_BOUNCE_LIMIT', 3, 1, 100),
  };
}

/** Settings of the weekly summary function. */
export interface WeeklySummaryConfig {
  tables: Pick<TableNames, 'users' | 'transactions' | 'idempotency'>;
  /** URL of the notification queue that the summaries go to (NOTIFICATION_QUEUE_URL). */
  notificationQueueUrl: string;
  /** https link to the notification settings, shown in the summary e-mail (WEEKLY_SUMMARY_SETTINGS_URL). */
  settingsUrl?: string;
}

/** Reads the weekly summary function's settings. */
export function loadWeeklySummaryConfig(env: Env = process.env): WeeklySummaryConfig {
  const settingsUrl = optionalUrl(env, 'WEEKLY_SUMMARY_SETTINGS_URL');
  if (settingsUrl !== undefined && !settingsUrl.startsWith('https://')) {
    throw new ConfigError('WEEKLY_SUMMARY_SETTINGS_URL', `expected an https URL, got "${settingsUrl}".`);
  }

  return {
    tables: {
      users: required(env, 'USERS_TABLE'),
      transactions: required(env, 'TRANSACTIONS_TABLE'),
      idempotency: required(env, 'IDEMPOTENCY_TABLE'),
    },
    notificationQueueUrl: url(env, 'NOTIFICATION_QUEUE_URL', required(env, 'NOTIFICATION_QUEUE_URL')),
    settingsUrl,
  };
}
