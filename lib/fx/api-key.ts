import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { FxApiKeySource } from '../config';
import { FxApiKeyFormatError, type FxApiKeyProblem } from './errors';

/** Returns the exchangerate-api key. */
export type FxApiKeyLoader = () => Promise<string>;

/**
 * Creates a loader for the exchangerate-api key. On AWS the secret (JSON `{"apiKey": "..."}`) is read once
 * and cached for `maxAgeSeconds`, so a rotated key is picked up without a redeploy.
 * @throws {FxApiKeyFormatError} from the loader when the secret has no usable `apiKey`.
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
    // The secret is parsed here and not with Powertools' `transform: 'json'`, because the SyntaxError of
    // JSON.parse quotes the start of its input: a key stored as plain text would reach the logs.
    const value = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    const result = readApiKey(value);
    if (typeof result !== 'string') {
      throw new FxApiKeyFormatError(source.secretId, result.problem);
    }

    return result;
  };
}

/** Returns the `apiKey` field of the secret's value, or what is wrong with the value. */
function readApiKey(value: string | Uint8Array | undefined): string | { problem: FxApiKeyProblem } {
  if (value === undefined) {
    return { problem: 'no-value' };
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : new TextDecoder().decode(value));
  } catch {
    return { problem: 'not-json' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { problem: 'not-an-object' };
  }

  const apiKey = (parsed as Record<string, unknown>).apiKey;
  if (apiKey === undefined) {
    return { problem: 'missing-api-key' };
  }
  if (typeof apiKey !== 'string' || apiKey === '') {
    return { problem: 'invalid-api-key' };
  }

  return apiKey;
}
