import { FxInvalidResponseError } from '../errors';
import type { FxHttpClient } from '../http';
import type { ProviderRates, RateProvider, RateRequest } from '../types';
import { providerTimestamp } from '../validation';
import { checkEnvelope, fingerprint, requireObjectBody, toProviderRates } from './shared';

/** Options of {@link CurrencyApiProvider}. */
export interface CurrencyApiProviderOptions {
  /** Root of the published files, such as `https://cdn.jsdelivr.net/npm/@fawazahmed0/currency-api@latest`. */
  baseUrl: string;
  http: FxHttpClient;
  now?: () => number;
}

/**
 * fawazahmed0's currency-api, static files updated daily and served by jsDelivr without a key:
 * `GET /v1/currencies/<base>.min.json` returns `{"date": "YYYY-MM-DD", "<base>": {"eur": 0.92, …}}` with
 * lower-case codes. An unknown base is a 404 from the CDN, usually not JSON. The body has no status field
 * and names its base only through the key of the rates object, so the base check looks for that key.
 * NOTE: the project also publishes a Cloudflare mirror (`https://currency-api.pages.dev`); point
 * FX_CURRENCY_API_BASE_URL at it when jsDelivr fails for long.
 */
export class CurrencyApiProvider implements RateProvider {
  readonly id = 'currency-api';
  readonly #options: CurrencyApiProviderOptions;
  readonly #now: () => number;

  constructor(options: CurrencyApiProviderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async fetchLatest(request: RateRequest): Promise<ProviderRates> {
    const context = { provider: this.id, base: request.base } as const;
    const baseKey = request.base.toLowerCase();
    const response = await this.#options.http.get({
      provider: this.id,
      url: `${this.#options.baseUrl}/v1/currencies/${encodeURIComponent(baseKey)}.min.json`,
    });

    const body = requireObjectBody(context, response);
    checkEnvelope(context, response, body, false);
    const rateKeys = Object.keys(body).filter((key) => key !== 'date');
    if (rateKeys.length !== 1) {
      throw new FxInvalidResponseError(
        this.id,
        'malformed-response',
        `expected one rates object beside "date", found ${rateKeys.length}`,
      );
    }
    const reportedBase = rateKeys[0]!;
    const updatedAt = providerTimestamp(this.id, body.date, this.#now());

    return toProviderRates(this.id, request, { reportedBase, rates: body[reportedBase] }, updatedAt);
  }

  async configurationFingerprint(): Promise<string> {
    return fingerprint([this.id, this.#options.baseUrl]);
  }
}
