/**
 * Errors of the FX rates module. Each provider error carries a failure class that decides what the refresh
 * does. After a `transient` failure it tries the next provider, and the same provider again next hour.
 * A `quota` failure does the same and alerts. A `permanent` failure alerts and stops calling the provider
 * until its configuration changes.
 */
import type { FxProviderId } from '../config';

/** Failure class of a provider error, which decides how the refresh handles it. */
export type FxFailureClass = 'transient' | 'quota' | 'permanent';

/** Base class of every failure of one provider call. */
export abstract class FxProviderError extends Error {
  abstract readonly failureClass: FxFailureClass;

  constructor(
    readonly provider: FxProviderId,
    /** Short machine-readable cause, such as `quota-reached`, `invalid-key` or `timeout`. */
    readonly errorType: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The provider could not be reached or returned a server error: a network failure, a timeout, a 5xx or
 * 408 status, or a 2xx body that is not JSON (such as an HTML error page). `status` is the HTTP status
 * where there was a response.
 */
export class FxProviderUnavailableError extends FxProviderError {
  override readonly name = 'FxProviderUnavailableError';
  readonly failureClass = 'transient';

  constructor(
    provider: FxProviderId,
    errorType: string,
    detail: string,
    readonly status?: number,
    options?: { cause: unknown },
  ) {
    super(provider, errorType, `${provider} is unavailable: ${detail}. The next provider is tried.`, options);
  }
}

/** The response arrived but cannot be used: malformed, empty, outdated, or an unexpected error body. */
export class FxInvalidResponseError extends FxProviderError {
  override readonly name = 'FxInvalidResponseError';
  readonly failureClass = 'transient';

  constructor(provider: FxProviderId, errorType: string, detail: string) {
    super(
      provider,
      errorType,
      `${provider} returned an unusable response: ${detail}. The next provider is tried.`,
    );
  }
}

/** The provider's request quota is used up, or it throttled us. Rates stay at their last good values. */
export class FxQuotaExceededError extends FxProviderError {
  override readonly name = 'FxQuotaExceededError';
  readonly failureClass = 'quota';

  constructor(
    provider: FxProviderId,
    errorType: string,
    readonly fix: string,
  ) {
    super(provider, errorType, `${provider} rejected the request with ${errorType}: ${fix}.`);
  }
}

/**
 * A configuration or credential problem that retrying cannot fix: an invalid or missing key, an inactive
 * account, an unsupported currency code, a base currency the provider silently replaced. `fix` names the
 * change that the operator has to make.
 */
export class FxProviderConfigurationError extends FxProviderError {
  override readonly name = 'FxProviderConfigurationError';
  readonly failureClass = 'permanent';

  constructor(
    provider: FxProviderId,
    errorType: string,
    readonly fix: string,
  ) {
    super(
      provider,
      errorType,
      `${provider} cannot be used until its configuration is fixed (${errorType}): ${fix}.`,
    );
  }
}

/** Problem with the exchangerate-api key secret. It describes the secret's shape, never its value. */
export type FxApiKeyProblem =
  | 'no-value'
  | 'not-json'
  | 'not-an-object'
  | 'missing-api-key'
  | 'invalid-api-key';

const API_KEY_PROBLEMS: Readonly<Record<FxApiKeyProblem, string>> = {
  'no-value': 'has no value',
  'not-json': 'is not valid JSON',
  'not-an-object': 'is not a JSON object',
  'missing-api-key': 'has no apiKey field',
  'invalid-api-key': 'has an apiKey field that is not a non-empty string',
};

/**
 * The secret named by FX_SECRET_ARN does not contain `{"apiKey": "<key>"}`. The message and `fix` name the
 * secret's ARN and the problem, never its value.
 */
export class FxApiKeyFormatError extends Error {
  override readonly name = 'FxApiKeyFormatError';
  /** Change that the operator has to make, without a trailing period. */
  readonly fix: string;

  constructor(
    readonly secretId: string,
    readonly problem: FxApiKeyProblem,
  ) {
    const fix =
      `the secret named by FX_SECRET_ARN (${secretId}) ${API_KEY_PROBLEMS[problem]}, so put ` +
      '{"apiKey": "<exchangerate-api key>"} in it with aws secretsmanager put-secret-value';
    super(`Cannot read the exchangerate-api key: ${fix}.`);
    this.fix = fix;
  }
}

/** Outcome of one provider in a refresh that got no usable rate from any provider. */
export interface FailedProviderSummary {
  provider: FxProviderId;
  outcome: string;
  errorType?: string;
}

/**
 * No provider gave a usable rate, so the stored rates were left as they were. The refresh function throws
 * it so that its invocation fails and counts in the function's errors metric.
 */
export class FxRefreshFailedError extends Error {
  override readonly name = 'FxRefreshFailedError';

  constructor(
    readonly baseCurrency: string,
    readonly providers: readonly FailedProviderSummary[],
  ) {
    const outcomes = providers
      .map(({ provider, outcome, errorType }) => `${provider}: ${errorType ?? outcome}`)
      .join('; ');
    super(
      `No provider returned a usable rate against ${baseCurrency} (${outcomes || 'no provider configured'}). ` +
        'The stored rates were kept; see the provider outcomes in the log for what to fix.',
    );
  }
}

/**
 * Base class of the errors that {@link FxRateReader} raises instead of inventing a rate. A caller that
 * converts a stored amount keeps the original amount and currency, marked as conversion pending.
 */
export abstract class FxRateUnavailableError extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    message: string,
  ) {
    super(message);
  }
}

/** No rate was ever stored for a currency of the pair, or none for the requested day. */
export class FxRateMissingError extends FxRateUnavailableError {
  override readonly name = 'FxRateMissingError';

  constructor(from: string, to: string, detail: string) {
    super(from, to, `No exchange rate from ${from} to ${to}: ${detail}.`);
  }
}

/** The stored rate is older than the fresh and stale windows together, so it is no longer served. */
export class FxRateExpiredError extends FxRateUnavailableError {
  override readonly name = 'FxRateExpiredError';

  constructor(
    from: string,
    to: string,
    readonly fetchedAtEpochMs: number,
    readonly maxAgeMs: number,
  ) {
    super(
      from,
      to,
      `The exchange rate from ${from} to ${to} was last fetched at ${new Date(fetchedAtEpochMs).toISOString()}, ` +
        `more than ${maxAgeMs / 60_000} minutes ago, so it is not served. Check the fx-refresh function's ` +
        'provider outcomes in its log.',
    );
  }
}

/** Another refresh wrote the latest rates between our read and our write. */
export class FxSnapshotConflictError extends Error {
  override readonly name = 'FxSnapshotConflictError';

  constructor(
    readonly baseCurrency: string,
    readonly expectedVersion: number,
  ) {
    super(
      `The latest ${baseCurrency} rates changed since version ${expectedVersion} was read; read them again ` +
        'and merge before writing.',
    );
  }
}
