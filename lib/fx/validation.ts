/**
 * Validation rules shared by every provider. A response counts as a success only when it declares success
 * and contains a non-empty rates object quoted against the requested base. For providers whose documented
 * success body has no status field, the absence of every error marker counts as the declaration.
 * Each requested rate must be present, finite and above 0. The others are reported per currency, so they
 * can come from another provider.
 */
import { type FxProviderId, fxBaseUrlVariable } from '../config';
import { FxDecimal } from './decimal';
import {
  FxInvalidResponseError,
  FxProviderConfigurationError,
  type FxProviderError,
  FxQuotaExceededError,
} from './errors';
import { asJsonNumber, asObject, type JsonNumber } from './json';
import type { CurrencyRejection } from './types';

/** Status that a response body declares about itself. */
export type EnvelopeStatus =
  | { status: 'success' }
  | { status: 'error'; errorType: string }
  /** The body has neither a success flag nor an error marker. */
  | { status: 'absent' };

/**
 * Reads the status a body declares, in the two envelope styles that exchange-rate APIs use:
 * `{"result": "success" | "error", "error-type": …}` (ExchangeRate-API and its open endpoint) and
 * `{"success": true | false, "error": {"code", "type", "info"}}` (apilayer-style APIs such as
 * exchangeratesapi.io, which began to require an access key overnight). A bare `{"error": {…}}` or
 * `{"error": "…"}` also counts as an error.
 */
export function readEnvelope(body: Record<string, unknown>): EnvelopeStatus {
  const error = body.error;
  const errorObject = asObject(error);
  const errorTypeOf = (): string => {
    const candidates = [body['error-type'], errorObject?.type, errorObject?.code, error];
    for (const candidate of candidates) {
      if (typeof candidate === 'string' && candidate !== '') {
        return candidate;
      }
      const number = asJsonNumber(candidate);
      if (number !== undefined) {
        return number.source;
      }
    }

    return 'unknown-error';
  };

  if (
    body.result === 'error' ||
    body.success === false ||
    errorObject !== undefined ||
    typeof error === 'string'
  ) {
    return { status: 'error', errorType: errorTypeOf() };
  }
  if (body.result === 'success' || body.success === true) {
    return { status: 'success' };
  }

  return { status: 'absent' };
}

interface ErrorTypeRule {
  failureClass: 'quota' | 'permanent' | 'transient';
  fix: (context: ErrorContext) => string;
}

/** Provider and base currency that a fix message names. */
export interface ErrorContext {
  provider: FxProviderId;
  base: string;
}

const QUOTA_FIX =
  'the monthly request quota of the plan is used up; upgrade the plan or wait for the quota to reset';

const KEY_FIX =
  'put a valid key in the secret named by FX_SECRET_ARN (field apiKey) or in FX_EXCHANGERATE_API_KEY, or ' +
  'remove the provider from FX_PROVIDERS';

// apilayer's numeric codes: 101 missing or invalid key, 104 monthly limit reached, 106 rate limit reached.
const ERROR_TYPE_RULES: Readonly<Record<string, ErrorTypeRule>> = {
  'quota-reached': {
    failureClass: 'quota',
    fix: () => QUOTA_FIX,
  },
  usage_limit_reached: {
    failureClass: 'quota',
    fix: () => QUOTA_FIX,
  },
  '104': {
    failureClass: 'quota',
    fix: () => QUOTA_FIX,
  },
  rate_limit_reached: {
    failureClass: 'quota',
    fix: () => 'the provider throttled our requests; lower the refresh frequency',
  },
  '106': {
    failureClass: 'quota',
    fix: () => 'the provider throttled our requests; lower the refresh frequency',
  },
  'rate-limited': {
    failureClass: 'quota',
    fix: () => 'the provider answered 429 Too Many Requests; lower the refresh frequency',
  },
  'invalid-key': { failureClass: 'permanent', fix: () => `the API key is not valid; ${KEY_FIX}` },
  'inactive-account': {
    failureClass: 'permanent',
    fix: () =>
      'the account is inactive (its e-mail address is not confirmed, or the subscription ended); reactivate ' +
      'it in the provider dashboard or remove the provider from FX_PROVIDERS',
  },
  missing_access_key: {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider} now requires an access key that this project does not send; remove ${provider} from ` +
      'FX_PROVIDERS or change its base URL to a compatible free API',
  },
  invalid_access_key: {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider} rejected the access key; remove ${provider} from FX_PROVIDERS or change its base URL`,
  },
  '101': {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider} requires a valid access key; remove ${provider} from FX_PROVIDERS or change its base URL`,
  },
  'access-denied': {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider} answered 401 or 403 without an error body; check its key and ${fxBaseUrlVariable(provider)}`,
  },
  'unsupported-code': {
    failureClass: 'permanent',
    fix: ({ provider, base }) =>
      `${provider} does not support the base currency ${base} or a requested code; change FX_BASE_CURRENCY ` +
      `or FX_CURRENCIES, or remove ${provider} from FX_PROVIDERS`,
  },
  base_currency_access_restricted: {
    failureClass: 'permanent',
    fix: ({ provider, base }) =>
      `${provider}'s plan does not allow the base currency ${base}; upgrade the plan or change FX_BASE_CURRENCY`,
  },
  'plan-upgrade-required': {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider}'s plan does not include this endpoint; upgrade the plan or remove the provider from FX_PROVIDERS`,
  },
  'malformed-request': {
    failureClass: 'permanent',
    fix: ({ provider }) =>
      `${provider} could not parse the request URL; check ${fxBaseUrlVariable(provider)} and FX_BASE_CURRENCY`,
  },
  'base-mismatch': {
    failureClass: 'permanent',
    fix: ({ provider, base }) =>
      `${provider} answered with rates against another base than ${base}, which usually means it does not ` +
      `support ${base}; change FX_BASE_CURRENCY or remove ${provider} from FX_PROVIDERS`,
  },
};

/**
 * Returns the error for an error type that a provider reported. Types that are not in the table, such as
 * `no-data-available`, are transient: the next hour may succeed.
 */
export function errorForType(context: ErrorContext, errorType: string): FxProviderError {
  const rule = ERROR_TYPE_RULES[errorType];
  if (rule === undefined) {
    return new FxInvalidResponseError(
      context.provider,
      errorType,
      `the provider reported error ${errorType}`,
    );
  }
  if (rule.failureClass === 'quota') {
    return new FxQuotaExceededError(context.provider, errorType, rule.fix(context));
  }
  if (rule.failureClass === 'permanent') {
    return new FxProviderConfigurationError(context.provider, errorType, rule.fix(context));
  }

  return new FxInvalidResponseError(context.provider, errorType, rule.fix(context));
}

/** The rates part of a response and what it claims about itself. */
export interface RatesPayload {
  /** Base currency named in the response, as written. */
  reportedBase: unknown;
  rates: unknown;
}

/** Rates of the requested currencies that passed, and the reasons of those that did not. */
export interface ValidatedRates {
  rates: Map<string, string>;
  rejected: Map<string, CurrencyRejection>;
}

/**
 * Applies the whole-response rules, then the per-currency rules, to a payload. Currency keys are
 * compared in upper case, because some providers write them in lower case.
 * @throws {FxInvalidResponseError} when the rates object is missing, empty, or rates the base itself at
 * anything but 1.
 * @throws {FxProviderConfigurationError} `base-mismatch` when the response is quoted against another base.
 */
export function validateRates(
  context: ErrorContext,
  payload: RatesPayload,
  currencies: readonly string[],
): ValidatedRates {
  const { provider, base } = context;
  if (typeof payload.reportedBase !== 'string' || payload.reportedBase === '') {
    throw new FxInvalidResponseError(provider, 'malformed-response', 'the response names no base currency');
  }
  if (payload.reportedBase.toUpperCase() !== base) {
    throw new FxProviderConfigurationError(
      provider,
      'base-mismatch',
      `${ERROR_TYPE_RULES['base-mismatch']!.fix(context)} (requested ${base}, got ${payload.reportedBase})`,
    );
  }

  const rawRates = asObject(payload.rates);
  if (rawRates === undefined) {
    throw new FxInvalidResponseError(provider, 'malformed-response', 'the response has no rates object');
  }
  const byCode = new Map(Object.entries(rawRates).map(([code, value]) => [code.toUpperCase(), value]));
  if (byCode.size === 0) {
    throw new FxInvalidResponseError(provider, 'empty-rates', 'the rates object is empty');
  }
  const baseRate = byCode.get(base);
  if (baseRate !== undefined && !isExactlyOne(baseRate)) {
    throw new FxInvalidResponseError(
      provider,
      'inconsistent-base',
      `the response rates the base ${base} itself at ${describeValue(baseRate)} instead of 1`,
    );
  }

  const rates = new Map<string, string>();
  const rejected = new Map<string, CurrencyRejection>();
  for (const code of currencies) {
    const outcome = checkRate(byCode.get(code), byCode.has(code));
    if (typeof outcome === 'string') {
      rejected.set(code, outcome);
    } else {
      rates.set(code, new FxDecimal(outcome.source).toString());
    }
  }

  return { rates, rejected };
}

function checkRate(value: unknown, present: boolean): JsonNumber | CurrencyRejection {
  if (!present || value === undefined) {
    return 'missing';
  }
  if (value === null) {
    return 'null';
  }
  const number = asJsonNumber(value);
  if (number === undefined) {
    return 'not-a-number';
  }
  if (!Number.isFinite(number.toNumber())) {
    return 'not-finite';
  }
  if (!new FxDecimal(number.source).greaterThan(0)) {
    return 'not-positive';
  }

  return number;
}

function isExactlyOne(value: unknown): boolean {
  const number = asJsonNumber(value);

  return number !== undefined && new FxDecimal(number.source).equals(1);
}

function describeValue(value: unknown): string {
  return asJsonNumber(value)?.source ?? JSON.stringify(value) ?? String(value);
}

/**
 * Maximum age of a provider's own rates time when we fetch them. The ECB publishes no rates on weekends
 * and TARGET holidays, so up to 4 days without a new date are normal.
 */
export const MAX_PROVIDER_DATA_AGE_MS = 7 * 86_400_000;

/**
 * Returns the provider's timestamp in ISO 8601 and rejects data older than {@link MAX_PROVIDER_DATA_AGE_MS}
 * at `nowMs`, which a provider stuck on an old data set would otherwise pass off as fresh.
 * @param updatedAt Epoch seconds (a {@link JsonNumber}) or a `YYYY-MM-DD` date string.
 */
export function providerTimestamp(provider: FxProviderId, updatedAt: unknown, nowMs: number): string {
  let epochMs: number;
  let iso: string;
  const seconds = asJsonNumber(updatedAt);
  if (seconds !== undefined && Number.isInteger(seconds.toNumber())) {
    epochMs = seconds.toNumber() * 1_000;
    iso = new Date(epochMs).toISOString();
  } else if (typeof updatedAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(updatedAt)) {
    epochMs = Date.parse(`${updatedAt}T00:00:00Z`);
    iso = updatedAt;
  } else {
    throw new FxInvalidResponseError(
      provider,
      'malformed-response',
      `the response has no valid rates time (got ${describeValue(updatedAt)})`,
    );
  }

  if (!Number.isFinite(epochMs)) {
    throw new FxInvalidResponseError(
      provider,
      'malformed-response',
      `the rates date ${iso} is not a valid date`,
    );
  }
  if (nowMs - epochMs > MAX_PROVIDER_DATA_AGE_MS) {
    throw new FxInvalidResponseError(
      provider,
      'stale-data',
      `the rates are from ${iso}, more than ${MAX_PROVIDER_DATA_AGE_MS / 86_400_000} days ago`,
    );
  }

  return iso;
}
