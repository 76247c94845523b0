import type { TableNames } from './chat-functions';
import {
  ConfigError,
  type Env,
  integer,
  isHttpUrl,
  optional,
  optionalUrl,
  required,
  url,
} from './environment';

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

/** Settings of the alarm-notifier function. */
export interface AlarmNotifierConfig {
  /** URL of the notification queue (NOTIFICATION_QUEUE_URL). */
  notificationQueueUrl: string;
  /** Deployment stage shown in the alerts (STAGE). */
  stage: string;
  /** Name of the Slack webhook in the Slack secret (SLACK_WEBHOOK_NAME). */
  slackWebhook: string;
  /** Names of the FX refresh functions (FX_REFRESH_FUNCTION_NAMES, comma-separated). */
  fxRefreshFunctionNames: string[];
}

/**
 * Reads the alarm notifier's settings.
 * @throws {ConfigError} naming the variable that is missing or invalid.
 */
export function loadAlarmNotifierConfig(env: Env = process.env): AlarmNotifierConfig {
  const notificationQueueUrl = required(env, 'NOTIFICATION_QUEUE_URL');
  const stage = optional(env, 'STAGE');
  if (stage === undefined || !/^[a-z0-9-]{1,32}$/.test(stage)) {
    throw new ConfigError('STAGE', `expected a stage name such as prod, got "${stage ?? ''}".`);
  }
  const slackWebhook = optional(env, 'SLACK_WEBHOOK_NAME') ?? 'operations';
  if (!SLACK_WEBHOOK_NAME.test(slackWebhook)) {
    throw new ConfigError(
      'SLACK_WEBHOOK_NAME',
      `"${slackWebhook}" is invalid; use lower-case letters, digits and dashes.`,
    );
  }
  const fxRefreshFunctionNames = (optional(env, 'FX_REFRESH_FUNCTION_NAMES') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');

  return { notificationQueueUrl, stage, slackWebhook, fxRefreshFunctionNames };
}
