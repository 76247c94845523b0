import type { FxProviderId } from '../config';

export type { FxProviderId } from '../config';

/** A request for the latest rates of `currencies` against `base`. */
export interface RateRequest {
  /** ISO 4217 code that the rates are quoted against. */
  base: string;
  /** ISO 4217 codes that the caller needs, without `base`. */
  currencies: readonly string[];
}

/** Reason that a requested currency of an otherwise valid response cannot be used. */
export type CurrencyRejection = 'missing' | 'null' | 'not-a-number' | 'not-finite' | 'not-positive';

/** The usable part of one provider response. */
export interface ProviderRates {
  provider: FxProviderId;
  base: string;
  /**
   * The provider's own time of the rates, in ISO 8601: a date-time where the provider gives one, else the
   * date of the rates (`YYYY-MM-DD`).
   */
  providerUpdatedAt: string;
  /** Requested currencies whose rate is present, finite and above 0: units of the currency per 1 `base`. */
  rates: ReadonlyMap<string, string>;
  /** Requested currencies that the response did not give a usable rate for, with the reason. */
  rejected: ReadonlyMap<string, CurrencyRejection>;
}

/**
 * One exchange-rate API. Implementations send one logical request per call, validate the response with
 * every rule that applies to their protocol, and throw a {@link FxProviderError} subclass when the
 * response as a whole cannot be used.
 */
export interface RateProvider {
  readonly id: FxProviderId;
  /**
   * Fetches the latest rates.
   * @throws {FxProviderError} when the provider failed or its response cannot be used at all.
   */
  fetchLatest(request: RateRequest): Promise<ProviderRates>;
  /**
   * Returns a digest of the settings that a configuration failure of this provider depends on (base URL,
   * API key), so that a changed setting re-enables a provider that was disabled for a bad one.
   */
  configurationFingerprint(): Promise<string>;
}
