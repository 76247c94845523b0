import type { FxProviderId } from '../config';
import { CircuitOpenError, DeferCallError, RetryBudgetExceededError } from '../resilience/errors';
import { type ResilienceLogger, SILENT_LOGGER } from '../resilience/logger';
import {
  FxApiKeyFormatError,
  type FxFailureClass,
  FxInvalidResponseError,
  FxProviderConfigurationError,
  FxProviderError,
  FxProviderUnavailableError,
  FxSnapshotConflictError,
} from './errors';
import type { FxRequestCounter } from './http';
import { mergeRates } from './merge';
import type { FxRateStore, ProviderStatus, RateSnapshot, StoredRate } from './rate-store';
import type { CurrencyRejection, ProviderRates, RateProvider } from './types';

/** Contribution of one provider to a refresh. */
export type ProviderOutcome =
  /** It gave at least one of the rates that were still needed. */
  | 'used'
  /** Its response was valid but had none of the rates that were still needed. */
  | 'unused'
  | 'failed'
  /** Skipped: a configuration failure was recorded and its configuration has not changed since. */
  | 'disabled'
  /** Skipped: earlier providers gave every rate. */
  | 'not-needed';

/** The report of one provider, in the order the providers were tried. */
export interface ProviderReport {
  provider: FxProviderId;
  outcome: ProviderOutcome;
  /** HTTP requests sent to the provider in this refresh, retries included. */
  requests: number;
  /** Currencies whose new rate came from this provider. */
  currencies: string[];
  /** Requested currencies that its response lacked or gave an unusable rate for. */
  rejected: Partial<Record<string, CurrencyRejection>>;
  failureClass?: FxFailureClass;
  errorType?: string;
  /** The error message; it never contains an API key. */
  message?: string;
  /** Change that an operator has to make, for configuration and quota failures. */
  fix?: string;
  /** For `disabled` providers and new configuration failures: when the provider is called again. */
  retryAfterEpochMs?: number;
}

/** A currency that kept its last good rate, with that rate's own time. */
export interface KeptRate {
  currency: string;
  provider: FxProviderId;
  fetchedAtEpochMs: number;
}

/** The result of one refresh. */
export interface FxRefreshResult {
  /**
   * `complete`: every currency got a new rate. `partial`: some kept their last good rate or have none.
   * `failed`: no provider gave a usable rate, and nothing was written.
   */
  status: 'complete' | 'partial' | 'failed';
  baseCurrency: string;
  fetchedAtEpochMs: number;
  /** Currencies with a new rate from this refresh. */
  updated: string[];
  keptLastGood: KeptRate[];
  /** Currencies without any stored rate. */
  unavailable: string[];
  providers: ProviderReport[];
  /** HTTP requests sent to all providers. */
  requests: number;
  /** Version of the latest rates after this refresh; absent when nothing is stored. */
  version?: number;
}

/** Options of {@link FxRefresher}. */
export interface FxRefresherOptions {
  /** Providers in the order they are tried. */
  providers: readonly RateProvider[];
  store: FxRateStore;
  counter: FxRequestCounter;
  baseCurrency: string;
  currencies: readonly string[];
  now?: () => number;
  /**
   * How long a provider stays disabled after a configuration failure when its configuration does not
   * change. A day: an operator is paged at once, and a fixed account is picked up within a day.
   * @default 86_400_000
   */
  disabledForMs?: number;
  /**
   * Receives a warning when a configuration failure cannot be recorded.
   * @default SILENT_LOGGER
   */
  logger?: ResilienceLogger;
}

/** Attempts to write the merged rates when other refreshes keep writing in between. */
const MAX_WRITE_ATTEMPTS = 3;

/**
 * Fetches the latest rates from the providers in order and stores them. A provider is asked only for the
 * currencies that earlier providers did not give, so a currency missing or null at the primary comes from
 * a fallback. A currency that no provider gives keeps its last good rate with its own time. Stored rates
 * are never replaced by missing, null, empty or partial data: only currencies with a valid new rate change.
 */
export class FxRefresher {
  readonly #options: FxRefresherOptions;
  readonly #now: () => number;
  readonly #logger: ResilienceLogger;

  constructor(options: FxRefresherOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#logger = options.logger ?? SILENT_LOGGER;
  }

  async refresh(): Promise<FxRefreshResult> {
    const { baseCurrency, currencies, store } = this.#options;
    const fetchedAtEpochMs = this.#now();
    const [previous, statuses] = await Promise.all([
      store.getLatest(baseCurrency),
      store.getProviderStatuses(baseCurrency),
    ]);

    const obtained: Record<string, StoredRate> = {};
    const reports: ProviderReport[] = [];
    for (const provider of this.#options.providers) {
      const remaining = currencies.filter((currency) => obtained[currency] === undefined);
      reports.push(
        await this.#tryProvider(provider, remaining, statuses.get(provider.id), obtained, fetchedAtEpochMs),
      );
    }

    const updated = currencies.filter((currency) => obtained[currency] !== undefined);
    const stored = updated.length === 0 ? previous : await this.#write(previous, obtained, fetchedAtEpochMs);

    return this.#result(stored, updated, reports, fetchedAtEpochMs);
  }

  async #tryProvider(
    provider: RateProvider,
    remaining: readonly string[],
    status: ProviderStatus | undefined,
    obtained: Record<string, StoredRate>,
    fetchedAtEpochMs: number,
  ): Promise<ProviderReport> {
    const { baseCurrency, counter, store } = this.#options;
    const report: ProviderReport = {
      provider: provider.id,
      outcome: 'not-needed',
      requests: 0,
      currencies: [],
      rejected: {},
    };
    if (remaining.length === 0) {
      return report;
    }

    const requestsBefore = counter.count(provider.id);
    let response: ProviderRates;
    try {
      if (status !== undefined && (await this.#isStillDisabled(provider, status, fetchedAtEpochMs))) {
        return {
          ...report,
          outcome: 'disabled',
          failureClass: 'permanent',
          errorType: status.errorType,
          fix: status.fix,
          retryAfterEpochMs: status.retryAfterEpochMs,
        };
      }

      response = await provider.fetchLatest({ base: baseCurrency, currencies: remaining });
    } catch (error) {
      const failure = toProviderError(provider.id, error);
      const failed: ProviderReport = {
        ...report,
        outcome: 'failed',
        requests: counter.count(provider.id) - requestsBefore,
        failureClass: failure.failureClass,
        errorType: failure.errorType,
        message: failure.message,
        fix: 'fix' in failure && typeof failure.fix === 'string' ? failure.fix : undefined,
      };
      if (failure instanceof FxProviderConfigurationError) {
        failed.retryAfterEpochMs = await this.#disable(provider, failure, status, fetchedAtEpochMs);
      }

      return failed;
    }

    for (const [currency, rate] of response.rates) {
      obtained[currency] = {
        rate,
        provider: provider.id,
        providerUpdatedAt: response.providerUpdatedAt,
        fetchedAtEpochMs,
      };
    }
    // The provider returned a valid response again, so a recorded configuration failure no longer applies.
    if (status !== undefined) {
      await store.deleteProviderStatus(baseCurrency, provider.id);
    }

    return {
      ...report,
      outcome: response.rates.size > 0 ? 'used' : 'unused',
      requests: counter.count(provider.id) - requestsBefore,
      currencies: [...response.rates.keys()],
      rejected: Object.fromEntries(response.rejected),
    };
  }

  async #isStillDisabled(provider: RateProvider, status: ProviderStatus, nowMs: number): Promise<boolean> {
    return (
      nowMs < status.retryAfterEpochMs &&
      status.configurationFingerprint === (await provider.configurationFingerprint())
    );
  }

  /**
   * Records the configuration failure so that later refreshes skip the provider until its configuration
   * changes, and returns when it is tried again. When the provider's configuration fingerprint cannot be
   * computed, for example because its key secret cannot be read, it records nothing and returns undefined.
   * The provider is then tried again at the next refresh, and this refresh goes on with the others.
   */
  async #disable(
    provider: RateProvider,
    failure: FxProviderConfigurationError,
    previous: ProviderStatus | undefined,
    nowMs: number,
  ): Promise<number | undefined> {
    let configurationFingerprint: string;
    try {
      configurationFingerprint = await provider.configurationFingerprint();
    } catch (error) {
      // Only the error's name: the message of a failed secret read may quote the secret's value.
      this.#logger.warn('Could not record the FX provider configuration failure', {
        provider: provider.id,
        baseCurrency: this.#options.baseCurrency,
        errorType: failure.errorType,
        fingerprintError: error instanceof Error ? error.name : typeof error,
      });
      return undefined;
    }

    const retryAfterEpochMs = nowMs + (this.#options.disabledForMs ?? 86_400_000);
    await this.#options.store.putProviderStatus(this.#options.baseCurrency, {
      provider: provider.id,
      errorType: failure.errorType,
      fix: failure.fix,
      firstFailedAtEpochMs: previous?.firstFailedAtEpochMs ?? nowMs,
      lastFailedAtEpochMs: nowMs,
      retryAfterEpochMs,
      configurationFingerprint,
    });

    return retryAfterEpochMs;
  }

  // Another refresh may write between our read and our write; then its newer rates are merged with ours,
  // each currency keeping the rate fetched last.
  async #write(
    previous: RateSnapshot | undefined,
    obtained: Record<string, StoredRate>,
    nowMs: number,
  ): Promise<RateSnapshot> {
    const { baseCurrency, store } = this.#options;
    let current = previous;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await store.saveLatest(
          { baseCurrency, rates: mergeRates(current?.rates ?? {}, obtained), updatedAtEpochMs: nowMs },
          current?.version ?? 0,
        );
      } catch (error) {
        if (!(error instanceof FxSnapshotConflictError) || attempt >= MAX_WRITE_ATTEMPTS) {
          throw error;
        }
        current = await store.getLatest(baseCurrency);
      }
    }
  }

  #result(
    stored: RateSnapshot | undefined,
    updated: string[],
    providers: ProviderReport[],
    fetchedAtEpochMs: number,
  ): FxRefreshResult {
    const { baseCurrency, currencies } = this.#options;
    const keptLastGood: KeptRate[] = [];
    const unavailable: string[] = [];
    for (const currency of currencies) {
      if (updated.includes(currency)) {
        continue;
      }
      const rate = stored?.rates[currency];
      if (rate === undefined) {
        unavailable.push(currency);
      } else {
        keptLastGood.push({ currency, provider: rate.provider, fetchedAtEpochMs: rate.fetchedAtEpochMs });
      }
    }

    let status: FxRefreshResult['status'] = 'partial';
    if (updated.length === 0) {
      status = 'failed';
    } else if (updated.length === currencies.length) {
      status = 'complete';
    }

    return {
      status,
      baseCurrency,
      fetchedAtEpochMs,
      updated,
      keptLastGood,
      unavailable,
      providers,
      requests: providers.reduce((total, report) => total + report.requests, 0),
      version: stored?.version,
    };
  }
}

/**
 * Converts anything that a provider call threw into a provider error. Rejections of the resilience layer
 * (open circuit, rate limit, retry budget) and failures to read the API key are transient. A key secret in
 * the wrong format (no `apiKey`, for example) is a configuration error, because an operator has to fix it.
 */
export function toProviderError(provider: FxProviderId, error: unknown): FxProviderError {
  if (error instanceof FxProviderError) {
    return error;
  }
  if (error instanceof RetryBudgetExceededError && error.cause instanceof FxProviderError) {
    return error.cause;
  }
  if (error instanceof FxApiKeyFormatError) {
    return new FxProviderConfigurationError(provider, 'secret-format', error.fix);
  }
  if (error instanceof CircuitOpenError) {
    return new FxProviderUnavailableError(provider, 'circuit-open', `its circuit is ${error.state}`);
  }
  if (error instanceof DeferCallError) {
    return new FxProviderUnavailableError(
      provider,
      'rate-limit-wait',
      `the fx:requests rate limit admits the next request in ${error.delayMs} ms`,
    );
  }

  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new FxInvalidResponseError(provider, 'unexpected-error', detail);
}
