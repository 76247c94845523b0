import type { Update } from '@grammyjs/types';
import { ConfigError } from '../../config';
import type { TelegramSecrets, TelegramSecretsLoader } from '../../secrets/telegram-secrets';
import { TelegramApiClient, type TelegramLogger } from './api-client';
import { TelegramApiError, TelegramNetworkError, TelegramServerError } from './errors';

/**
 * Bot token that the deployed secret starts with. While the secret still contains it, registration is
 * skipped, so the first deploy succeeds before anyone has pasted the real token.
 */
export const BOT_TOKEN_PLACEHOLDER = 'REPLACE_ME';

/** Bot API server used when TELEGRAM_API_BASE_URL is not set. */
export const DEFAULT_TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

/**
 * Properties of the `Custom::TelegramWebhook` resource. CloudFormation passes them to the handler as
 * strings (lists stay lists). A change to any of them makes CloudFormation send an Update, which
 * re-registers the webhook.
 */
export interface WebhookRegistrationProperties {
  /** ARN of the secret containing `{"botToken": "...", "webhookSecret": "..."}`. */
  SecretArn: string;
  /** Public HTTPS URL of `POST /webhooks/telegram`. */
  WebhookUrl: string;
  /** Update types passed to setWebhook as `allowed_updates`. */
  AllowedUpdates: string[];
  /** Any value the operator changes to force a re-registration, for example the secret's VersionId. */
  SecretVersion: string;
}

/** CloudFormation request type of a custom resource event. */
export type RegistrationRequestType = 'Create' | 'Update' | 'Delete';

/** Parsed registration request. */
export interface WebhookRegistrationRequest {
  requestType: RegistrationRequestType;
  webhookUrl: string;
  allowedUpdates: readonly string[];
}

/** Outcome reported back to CloudFormation as the resource's `Status` and `Message` attributes. */
export interface WebhookRegistrationResult {
  status: 'registered' | 'deleted' | 'skipped';
  message: string;
}

/** Dependencies of {@link reconcileTelegramWebhook}. */
export interface WebhookRegistrationDependencies {
  /** Reads the bot token and webhook secret. Called once per request, so pass a loader without caching. */
  loadSecrets: TelegramSecretsLoader;
  /** Bot API server. Tests pass a fake server on 127.0.0.1. */
  apiBaseUrl: string;
  fetch?: typeof fetch;
  /** Waits between attempts. Tests inject it to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  logger?: TelegramLogger;
  /**
   * Maximum requests per Bot API call when Telegram returns 5xx or no response arrives.
   * @default 3
   */
  maxAttempts?: number;
}

/** Raised when a custom resource property is missing or has the wrong type. */
export class InvalidRegistrationPropertyError extends Error {
  override readonly name = 'InvalidRegistrationPropertyError';

  constructor(
    readonly property: keyof WebhookRegistrationProperties,
    expected: string,
    readonly value: unknown,
  ) {
    super(
      `Custom::TelegramWebhook property ${property} is invalid: expected ${expected}, got ${JSON.stringify(value)}. ` +
        'Set it in the TelegramWebhookRegistration construct and redeploy.',
    );
  }
}

/** Raised when the stored webhook secret contains characters that Telegram rejects in `secret_token`. */
export class InvalidWebhookSecretError extends Error {
  override readonly name = 'InvalidWebhookSecretError';

  constructor(readonly length: number) {
    // The value itself stays out of the message because it is a credential.
    super(
      `webhookSecret in the Telegram bot secret is invalid (${length} characters): Telegram accepts 1 to 256 ` +
        'characters from A-Z, a-z, 0-9, _ and -. Put a value of that form in the secret and redeploy.',
    );
  }
}

// Character set and length of setWebhook's secret_token, per the Bot API documentation.
const WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

// Maximum wait before the one retry after a 429. The registration function's 2-minute timeout leaves
// room for it plus the 5xx retries.
const RATE_LIMIT_BUDGET_MS = 20_000;

const FIRST_RETRY_DELAY_MS = 1_000;

/**
 * Validates the custom resource's properties.
 * @throws InvalidRegistrationPropertyError naming the first invalid property.
 */
export function parseRegistrationProperties(
  properties: Record<string, unknown>,
): WebhookRegistrationProperties {
  const secretArn = properties.SecretArn;
  if (typeof secretArn !== 'string' || secretArn === '') {
    throw new InvalidRegistrationPropertyError('SecretArn', 'a Secrets Manager secret ARN', secretArn);
  }

  const webhookUrl = properties.WebhookUrl;
  if (
    typeof webhookUrl !== 'string' ||
    !URL.canParse(webhookUrl) ||
    new URL(webhookUrl).protocol !== 'https:'
  ) {
    throw new InvalidRegistrationPropertyError('WebhookUrl', 'an https:// URL', webhookUrl);
  }

  const allowedUpdates = properties.AllowedUpdates;
  const isStringList =
    Array.isArray(allowedUpdates) && allowedUpdates.every((item) => typeof item === 'string');
  if (!isStringList) {
    throw new InvalidRegistrationPropertyError('AllowedUpdates', 'a list of update types', allowedUpdates);
  }

  const secretVersion = properties.SecretVersion;

  return {
    SecretArn: secretArn,
    WebhookUrl: webhookUrl,
    AllowedUpdates: allowedUpdates,
    SecretVersion: typeof secretVersion === 'string' ? secretVersion : '',
  };
}

/**
 * Validates TELEGRAM_API_BASE_URL and returns it without trailing slashes.
 * @throws ConfigError when the value is not an absolute URL.
 */
export function parseApiBaseUrl(value: string | undefined): string {
  const trimmed = value?.trim() || DEFAULT_TELEGRAM_API_BASE_URL;
  if (!URL.canParse(trimmed)) {
    throw new ConfigError('TELEGRAM_API_BASE_URL', `expected an absolute URL, got "${trimmed}".`);
  }

  return trimmed.replace(/\/+$/, '');
}

/**
 * Sets the bot's webhook on Create and Update, and deletes it on Delete.
 *
 * While the secret still contains {@link BOT_TOKEN_PLACEHOLDER}, nothing is sent and the result is
 * `skipped`. On Delete, every failure also ends as `skipped` with the reason, because a failing
 * delete would block the stack's deletion or rollback.
 * @throws TelegramApiError subclasses when setWebhook fails, InvalidWebhookSecretError, and the
 *   loader's errors when the secret cannot be read on Create or Update.
 */
export async function reconcileTelegramWebhook(
  request: WebhookRegistrationRequest,
  dependencies: WebhookRegistrationDependencies,
): Promise<WebhookRegistrationResult> {
  if (request.requestType === 'Delete') {
    return deleteWebhook(dependencies);
  }

  const secrets = await dependencies.loadSecrets();
  if (secrets.botToken === BOT_TOKEN_PLACEHOLDER) {
    return {
      status: 'skipped',
      message:
        'skipped: the secret still contains the placeholder bot token. Set botToken in the secret, then redeploy ' +
        'with -c telegramSecretVersion=<new VersionId> to register the webhook.',
    };
  }

  if (!WEBHOOK_SECRET_PATTERN.test(secrets.webhookSecret)) {
    throw new InvalidWebhookSecretError(secrets.webhookSecret.length);
  }

  const client = createClient(secrets, dependencies);
  await withRetries('setWebhook', dependencies, () =>
    client.call(
      'setWebhook',
      {
        url: request.webhookUrl,
        secret_token: secrets.webhookSecret,
        // The names arrive as plain strings from CloudFormation and go to Telegram unchecked.
        allowed_updates: request.allowedUpdates as readonly Exclude<keyof Update, 'update_id'>[],
        // Updates that queued while the webhook was unset or failing are still wanted.
        drop_pending_updates: false,
      },
      { budgetMs: RATE_LIMIT_BUDGET_MS },
    ),
  );

  return {
    status: 'registered',
    message: `registered ${request.webhookUrl} for ${request.allowedUpdates.join(', ')}`,
  };
}

async function deleteWebhook(
  dependencies: WebhookRegistrationDependencies,
): Promise<WebhookRegistrationResult> {
  let secrets: TelegramSecrets;
  try {
    secrets = await dependencies.loadSecrets();
  } catch (error) {
    dependencies.logger?.warn('Reading the Telegram secret failed; skipping deleteWebhook', {
      error: describe(error),
    });
    return {
      status: 'skipped',
      message: `skipped deleteWebhook: the secret could not be read (${describe(error)}).`,
    };
  }

  if (secrets.botToken === BOT_TOKEN_PLACEHOLDER) {
    return {
      status: 'skipped',
      message: 'skipped deleteWebhook: the secret contains the placeholder bot token.',
    };
  }

  try {
    const client = createClient(secrets, dependencies);
    await withRetries('deleteWebhook', dependencies, () =>
      client.call('deleteWebhook', { drop_pending_updates: false }, { budgetMs: RATE_LIMIT_BUDGET_MS }),
    );
  } catch (error) {
    dependencies.logger?.warn('Telegram deleteWebhook failed; continuing the deletion', {
      error: describe(error),
    });
    return {
      status: 'skipped',
      message:
        `skipped deleteWebhook after it failed (${describe(error)}). Telegram may keep sending updates to the ` +
        'removed URL until you call deleteWebhook with the bot token yourself.',
    };
  }

  return { status: 'deleted', message: 'deleted the webhook; Telegram keeps pending updates for getUpdates' };
}

function createClient(
  secrets: TelegramSecrets,
  dependencies: WebhookRegistrationDependencies,
): TelegramApiClient {
  return new TelegramApiClient({
    token: secrets.botToken,
    baseUrl: dependencies.apiBaseUrl,
    fetch: dependencies.fetch,
    logger: dependencies.logger,
    sleep: dependencies.sleep,
  });
}

/**
 * Runs `call` again after 5xx responses and network failures, doubling the delay from 1 s.
 * Repeating is safe because setWebhook and deleteWebhook are idempotent. A 429 is not retried
 * here because the client already waited for it once within its budget.
 */
async function withRetries<T>(
  method: string,
  dependencies: WebhookRegistrationDependencies,
  call: () => Promise<T>,
): Promise<T> {
  const maxAttempts = dependencies.maxAttempts ?? 3;
  const sleep = dependencies.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const transient = error instanceof TelegramServerError || error instanceof TelegramNetworkError;
      if (!transient || attempt >= maxAttempts) {
        throw error;
      }

      const delayMs = FIRST_RETRY_DELAY_MS * 2 ** (attempt - 1);
      dependencies.logger?.warn('Telegram request failed; retrying', {
        method,
        attempt,
        delayMs,
        error: error.message,
      });
      await sleep(delayMs);
    }
  }
}

/** Describes an error for a result message. TelegramApiError messages never contain the token. */
function describe(error: unknown): string {
  if (error instanceof TelegramApiError) {
    return error.message;
  }

  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
