/**
 * Typed errors of OpenAI calls. Each carries what the resilience layer reads: `status` for the default
 * classification, `retryAfterMs` for a requested wait, `retryable` where no status applies. Messages never
 * contain the API key, and never the provider's message for a 401, because OpenAI echoes part of the key.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { parseGoDuration, parseRetryAfter, parseRetryAfterMs } from '../../resilience/retry-after';

/**
 * 429 `rate_limit_exceeded`: too many requests or tokens per minute. Retryable after `retryAfterMs`,
 * which the resilience layer's retry honours.
 */
export class OpenAiRateLimitError extends Error {
  override readonly name = 'OpenAiRateLimitError';
  readonly status = 429;

  constructor(
    readonly retryAfterMs: number | undefined,
    readonly requestId: string | undefined,
    options?: { cause: unknown },
  ) {
    super(
      `OpenAI rate limit reached (429 rate_limit_exceeded); retry after ${retryAfterMs ?? 'a backoff of'} ms.`,
      options,
    );
  }
}

/**
 * How long a quota error asks callers to wait. The quota comes back only when someone adds credit, so the
 * wait is longer than any call budget: the resilience layer's retry sees a wait that does not fit and
 * stops at once, without a second request and without sleeping.
 */
export const QUOTA_RETRY_AFTER_MS = 60 * 60 * 1_000;

/**
 * 429 `insufficient_quota`: the account has no credit left. It keeps `status` 429, so the resilience layer
 * counts it as a dependency failure and the circuit breaker opens after its threshold. It is not retried:
 * {@link QUOTA_RETRY_AFTER_MS} exceeds every call budget, so the retry stops before a second attempt, and
 * {@link OpenAiClient} rethrows this error in place of the layer's budget error. While the circuit is open,
 * calls fail with `CircuitOpenError` and send nothing, so callers fall back to the local parser.
 */
export class OpenAiQuotaExceededError extends Error {
  override readonly name = 'OpenAiQuotaExceededError';
  readonly status = 429;
  readonly retryAfterMs = QUOTA_RETRY_AFTER_MS;

  constructor(
    readonly requestId: string | undefined,
    options?: { cause: unknown },
  ) {
    super(
      'OpenAI quota exhausted (429 insufficient_quota); add credit to the OpenAI account in its billing ' +
        'settings. Retrying does not help until then.',
      options,
    );
  }
}

/** 401: the API key is missing, wrong or revoked. A configuration error, never retried. */
export class OpenAiAuthenticationError extends Error {
  override readonly name = 'OpenAiAuthenticationError';
  readonly status = 401;

  constructor(readonly requestId: string | undefined) {
    super(
      'OpenAI rejected the API key (401); check OPENAI_SECRET_ARN (or OPENAI_API_KEY locally) and that the ' +
        'key is active.',
    );
  }
}

/** 400 and other 4xx: our request was invalid. A caller error, never retried. */
export class OpenAiRequestError extends Error {
  override readonly name = 'OpenAiRequestError';

  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly param: string | undefined,
    providerMessage: string,
    readonly requestId: string | undefined,
  ) {
    super(
      `OpenAI rejected the request (${status}${code === undefined ? '' : ` ${code}`}` +
        `${param === undefined ? '' : `, parameter ${param}`}): ${providerMessage}; fix the request.`,
    );
  }
}

/** Kind of failure behind an {@link OpenAiUnavailableError}. */
export type UnavailableReason = 'server-error' | 'timeout' | 'network';

/**
 * 5xx, a timeout or a network error. Retryable with backoff and jitter. A timeout or network error has no
 * status, so `retryable` tells the default classifier that it is a dependency failure.
 */
export class OpenAiUnavailableError extends Error {
  override readonly name = 'OpenAiUnavailableError';
  readonly retryable = true;

  constructor(
    readonly reason: UnavailableReason,
    readonly status: number | undefined,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(`OpenAI unavailable (${reason}): ${detail}; the call is retried with backoff.`, options);
  }
}

/**
 * Converts an error of the `openai` package into one of this module's errors. Other errors (already
 * converted ones included) are returned unchanged. `timedOut` marks a connection error that ended when the
 * client's timeout ran out. The SDK recognises its own abort only when the abort error comes from its own
 * JavaScript realm, so under a test VM it reports a plain connection error instead.
 */
export function toOpenAiError(error: unknown, nowMs: number, timedOut = false): unknown {
  if (error instanceof APIConnectionTimeoutError || (error instanceof APIConnectionError && timedOut)) {
    return new OpenAiUnavailableError('timeout', undefined, 'no response before the client timeout', {
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new OpenAiUnavailableError('network', undefined, error.message, { cause: error });
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    return error;
  }

  const status = error.status;
  const requestId = error.requestID ?? undefined;
  if (status === 401) {
    return new OpenAiAuthenticationError(requestId);
  }
  if (status === 429) {
    const isQuota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
    return isQuota
      ? new OpenAiQuotaExceededError(requestId, { cause: error })
      : new OpenAiRateLimitError(rateLimitWaitMs(error.headers, error.type, nowMs), requestId, {
          cause: error,
        });
  }
  if (status >= 500 || status === 408) {
    return new OpenAiUnavailableError('server-error', status, `${status} ${error.type ?? 'server_error'}`, {
      cause: error,
    });
  }

  return new OpenAiRequestError(
    status,
    error.code ?? undefined,
    error.param ?? undefined,
    error.error !== undefined ? String((error.error as { message?: unknown }).message ?? '') : error.message,
    requestId,
  );
}

/**
 * Returns the wait that a 429 response requests, in this order: a valid `retry-after-ms`; `Retry-After`
 * in seconds or as an HTTP date; the reset header of the exhausted limit (`x-ratelimit-reset-requests` or
 * `-tokens`, Go durations such as `6m0s`), or the longer of both when the body does not say which.
 * Returns `undefined` when no header is usable, so the retry uses its own backoff.
 */
export function rateLimitWaitMs(
  headers: Headers | undefined,
  limitType: string | undefined,
  nowMs: number,
): number | undefined {
  const milliseconds = parseRetryAfterMs(headers?.get('retry-after-ms'));
  if (milliseconds !== undefined) {
    return milliseconds;
  }
  const retryAfter = parseRetryAfter(headers?.get('retry-after'), nowMs);
  if (retryAfter !== undefined) {
    return retryAfter;
  }

  const requests = parseGoDuration(headers?.get('x-ratelimit-reset-requests'));
  const tokens = parseGoDuration(headers?.get('x-ratelimit-reset-tokens'));
  if (limitType === 'requests' && requests !== undefined) {
    return requests;
  }
  if (limitType === 'tokens' && tokens !== undefined) {
    return tokens;
  }
  const both = [requests, tokens].filter((value): value is number => value !== undefined && value >= 0);

  return both.length === 0 ? undefined : Math.max(...both);
}
