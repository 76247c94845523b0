import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { OpenAiKeySource } from '../config';
import { parseSecretObject } from './secret-json';

/** Raised when the OpenAI key secret does not hold `{"apiKey": "..."}`. The message never quotes a value. */
export class OpenAiKeySecretFormatError extends Error {
  override readonly name = 'OpenAiKeySecretFormatError';

  constructor(secretId: string, problem: string) {
    super(
      `Secret ${secretId} must be a JSON object with a string field apiKey; ${problem}. ` +
        'Update it with aws secretsmanager put-secret-value.',
    );
  }
}

/** Returns the OpenAI API key, from Secrets Manager with caching or from the local configuration. */
export type OpenAiKeyLoader = () => Promise<string>;

/**
 * Creates a loader for the OpenAI API key. On AWS the secret is cached in the instance for
 * `maxAgeSeconds`, so a rotated key is picked up without a redeploy.
 */
export function createOpenAiKeyLoader(
  source: OpenAiKeySource,
  provider: SecretsProvider = new SecretsProvider(),
): OpenAiKeyLoader {
  if (source.kind === 'environment') {
    const key = source.apiKey;
    return async () => key;
  }

  return async () => {
    const raw = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    const value = parseSecretObject(
      raw,
      (problem) => new OpenAiKeySecretFormatError(source.secretId, problem),
    );
    if (typeof value.apiKey !== 'string' || value.apiKey === '') {
      throw new OpenAiKeySecretFormatError(source.secretId, 'apiKey is missing');
    }

    return value.apiKey;
  };
}
