import { FxInvalidResponseError } from '../errors';
import type { FxHttpClient } from '../http';
import type { ProviderRates, RateProvider, RateRequest } from '../types';
import { errorForType, providerTimestamp } from '../validation';
import { checkEnvelope, fingerprint, requireObjectBody, toProviderRates } from './shared';

/** Options of {@link FrankfurterProvider}. */
export interface FrankfurterProviderOptions {
  /** API root, such as `https://api.frankfurter.dev`. */
  baseUrl: string;
  http: FxHttpClient;
  now?: () => number;
}

/**
 * Frankfurter v1, the European Central Bank's reference rates (about 30 currencies, published on working
 * days around 16:00 CET): `GET /v1/latest?base=<BASE>` returns `{"amount": 1.0, "base", "date", "rates"}`.
 * Errors are `{"message": "not found"}` with 404 for an unsupported currency and `{"message": …}` with 422
 * for invalid parameters. Its success body has no status field, so any error marker rejects it.
 *
 * The request fetches every currency instead of passing `symbols`, because Frankfurter returns 404 when it
 * covers none of the symbols, which would read as a configuration error. Currencies outside the ECB set
 * are then simply missing and come from the next provider.
 */
export class FrankfurterProvider implements RateProvider {
  readonly id = 'frankfurter';
  readonly #options: FrankfurterProviderOptions;
  readonly #now: () => number;

  constructor(options: FrankfurterProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async fetchLatest(request: RateRequest): Promise<ProviderRates> {
    const context = { provider: this.id, base: request.base } as const;
    const response = await this.#options.http.get({
      provider: this.id,
      url: `${this.#options.baseUrl}/v1/latest?base=${encodeURIComponent(request.base)}`,
    });

    const body = requireObjectBody(context, response);
    if (typeof body.message === 'string' && body.rates === undefined) {
      throw errorForType(context, response.status === 404 ? 'unsupported-code' : 'malformed-request');
    }
    checkEnvelope(context, response, body, false);
    if (body.rates === undefined) {
      throw new FxInvalidResponseError(this.id, 'malformed-response', 'the body has no rates');
    }
    const updatedAt = providerTimestamp(this.id, body.date, this.#now());

    return toProviderRates(this.id, request, { reportedBase: body.base, rates: body.rates }, updatedAt);
  }

  async configurationFingerprint(): Promise<string> {
    return fingerprint([this.id, this.#options.baseUrl]);
  }
}
