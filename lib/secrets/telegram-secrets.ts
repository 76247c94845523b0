import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { TelegramSecretSource } from '../config';
import { parseSecretObject } from './secret-json';

/** The Telegram bot token and the webhook secret token. */
export interface TelegramSecrets {
  botToken: string;
  webhookSecret: string;
}

/** Raised when the Secrets Manager secret does not hold the expected JSON. */
export class TelegramSecretFormatError extends Error {
  override readonly name = 'TelegramSecretFormatError';

  constructor(secretId: string, problem: string) {
    super(
      `Secret ${secretId} must be a JSON object with string fields botToken and webhookSecret; ${problem}. ` +
        'Update it with aws secretsmanager put-secret-value.',
    );
  }
}

/** Returns the Telegram secrets, read from Secrets Manager with caching, or from the local configuration. */
export type TelegramSecretsLoader = () => Promise<TelegramSecrets>;

/**
 * Creates a loader for the Telegram secrets. On AWS the secret is fetched once and cached in the instance
 * for `maxAgeSeconds`, so a rotated value is picked up without a redeploy.
 */
export function createTelegramSecretsLoader(
  source: TelegramSecretSource,
  provider: SecretsProvider = new SecretsProvider(),
): TelegramSecretsLoader {
  if (source.kind === 'environment') {
    const secrets = { botToken: source.botToken, webhookSecret: source.webhookSecret };
    return async () => secrets;
  }

  return async () => {
    const raw = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    const value = parseSecretObject(
      raw,
      (problem) => new TelegramSecretFormatError(source.secretId, problem),
    );
    for (const field of ['botToken', 'webhookSecret']) {
      if (typeof value[field] !== 'string' || value[field] === '') {
        throw new TelegramSecretFormatError(source.secretId, `${field} is missing`);
      }
    }

    return { botToken: value.botToken as string, webhookSecret: value.webhookSecret as string };
  };
}
