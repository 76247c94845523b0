import { FxApiKeyFormatError, FxInvalidResponseError } from '../errors';
import type { FxHttpClient } from '../http';
import type { ProviderRates, RateProvider, RateRequest } from '../types';
import { providerTimestamp } from '../validation';
import { checkEnvelope, fingerprint, requireObjectBody, toProviderRates } from './shared';

/** Options of {@link ExchangerateApiProvider}. */
export interface ExchangerateApiProviderOptions {
  /** API root, such as `https://v6.exchangerate-api.com`. */
  baseUrl: string;
  /** Returns the API key, possibly from a cached secret. */
  apiKey: () => Promise<string>;
  http: FxHttpClient;
  now?: () => number;
}

/**
 * ExchangeRate-API v6, the primary provider: `GET /v6/<key>/latest/<BASE>` returns
 * `{"result": "success", "time_last_update_unix", "base_code", "conversion_rates": {…}}`. Errors come as
 * `{"result": "error", "error-type": …}`, `quota-reached` with HTTP 200. A body counts as a success only
 * with `result: "success"`.
 */
export class ExchangerateApiProvider implements RateProvider {
  readonly id = 'exchangerate-api';
  readonly #options: ExchangerateApiProviderOptions;
  readonly #now: () => number;

  constructor(options: ExchangerateApiProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async fetchLatest(request: RateRequest): Promise<ProviderRates> {
    const context = { provider: this.id, base: request.base } as const;
    const apiKey = await this.#options.apiKey();
    const response = await this.#options.http.get({
      provider: this.id,
      url: `${this.#options.baseUrl}/v6/${encodeURIComponent(apiKey)}/latest/${encodeURIComponent(request.base)}`,
      secrets: [apiKey, encodeURIComponent(apiKey)],
    });

    const body = requireObjectBody(context, response);
    checkEnvelope(context, response, body, true);
    if (body.conversion_rates === undefined) {
      throw new FxInvalidResponseError(this.id, 'malformed-response', 'the body has no conversion_rates');
    }
    const updatedAt = providerTimestamp(this.id, body.time_last_update_unix, this.#now());

    return toProviderRates(
      this.id,
      request,
      { reportedBase: body.base_code, rates: body.conversion_rates },
      updatedAt,
    );
  }

  /**
   * Digests the base URL and the key. A key secret in the wrong format digests to a value of its own, so
   * the provider stays disabled while the secret is unchanged and is tried again once it contains a key.
   */
  async configurationFingerprint(): Promise<string> {
    let apiKey: string;
    try {
      apiKey = await this.#options.apiKey();
    } catch (error) {
      if (!(error instanceof FxApiKeyFormatError)) {
        throw error;
      }
      return fingerprint([this.id, this.#options.baseUrl, 'api-key-secret-invalid', error.problem]);
    }

    return fingerprint([this.id, this.#options.baseUrl, apiKey]);
  }
}
