import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { FxApiKeySource } from '../config';
import { FxApiKeyFormatError } from './errors';

/** Returns the exchangerate-api key. */
export type FxApiKeyLoader = () => Promise<string>;

/**
 * Creates a loader for the exchangerate-api key. On AWS the secret (JSON `{"apiKey": "..."}`) is read once
 * and cached for `maxAgeSeconds`, so a rotated key is picked up without a redeploy.
 */
export function createFxApiKeyLoader(
  source: FxApiKeySource,
  provider: SecretsProvider = new SecretsProvider(),
): FxApiKeyLoader {
  if (source.kind === 'environment') {
    const { apiKey } = source;
    return async () => apiKey;
  }

  return async () => {
    const value = (await provider.get(source.secretId, {
      maxAge: source.maxAgeSeconds,
      transform: 'json',
    })) as Record<string, unknown> | undefined;
    const apiKey = value?.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new FxApiKeyFormatError(source.secretId);
    }

    return apiKey;
  };
}
