import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { VisionApiKeySource } from '../../config';
import { parseSecretObject } from '../../secrets/secret-json';
import { VisionApiKeyFormatError } from './errors';

/** Returns the Google Cloud Vision API key. */
export type VisionApiKeyLoader = () => Promise<string>;

/**
 * Creates a loader for the Vision API key. On AWS the secret (JSON `{"apiKey": "..."}`) is read once and
 * cached for `maxAgeSeconds`, so a rotated key is picked up without a redeploy.
 * @throws {VisionApiKeyFormatError} from the loader when the secret has no usable `apiKey`.
 */
export function createVisionApiKeyLoader(
  source: VisionApiKeySource,
  provider: SecretsProvider = new SecretsProvider(),
): VisionApiKeyLoader {
  if (source.kind === 'environment') {
    const { apiKey } = source;
    return async () => apiKey;
  }

  return async () => {
    const raw = await provider.get(source.secretId, { maxAge: source.maxAgeSeconds });
    const secret = parseSecretObject(raw, (problem) => new VisionApiKeyFormatError(source.secretId, problem));
    const apiKey = secret.apiKey;
    if (typeof apiKey !== 'string' || apiKey === '') {
      throw new VisionApiKeyFormatError(source.secretId, 'it has no non-empty string field "apiKey"');
    }

    return apiKey;
  };
}
