/**
 * Failure classification of dependency calls. Network errors, timeouts, 5xx and 429 responses count against
 * the dependency: they trip its circuit breaker and may be retried. A 4xx response caused by our own
 * request is a caller error: the dependency worked, so it neither trips the breaker nor is retried.
 */

/** Outcome class of a failed call. */
export type FailureClass = 'dependency-failure' | 'caller-error';

/** Classifies a failed call's error. Each provider may supply its own. */
export type FailureClassifier = (error: unknown) => FailureClass;

/** Fields that provider errors commonly expose, all optional. */
interface ErrorFields {
  code?: unknown;
  status?: unknown;
  statusCode?: unknown;
  errorCode?: unknown;
  retryable?: unknown;
  message?: unknown;
  retryAfterMs?: unknown;
  retryAfterSeconds?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  parameters?: { retry_after?: unknown };
  cause?: unknown;
}

// Node.js error codes of a connection that failed before the request was sent.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Returns the HTTP status of an error: `status`, `statusCode`, a numeric `errorCode` (as on
 * `TelegramApiError`), or the AWS SDK's `$metadata.httpStatusCode`.
 */
export function statusOf(error: unknown): number | undefined {
  const fields = asFields(error);
  const candidates = [
    fields?.status,
    fields?.statusCode,
    fields?.errorCode,
    fields?.$metadata?.httpStatusCode,
  ];

  return candidates.find((value): value is number => typeof value === 'number' && Number.isInteger(value));
}

/**
 * Default {@link FailureClassifier}. In order:
 * - 408, 429 and 5xx statuses are dependency failures, any other 4xx status is a caller error;
 * - without a status, a boolean `retryable` decides (true: dependency failure);
 * - anything else, network errors and timeouts included, is a dependency failure. Unknown errors count
 *   too, because fetch reports network errors as a plain `TypeError`.
 */
export function classifyFailure(error: unknown): FailureClass {
  const status = statusOf(error);
  if (status !== undefined && status >= 400) {
    return status === 408 || status === 429 || status >= 500 ? 'dependency-failure' : 'caller-error';
  }

  const retryable = asFields(error)?.retryable;
  if (typeof retryable === 'boolean') {
    return retryable ? 'dependency-failure' : 'caller-error';
  }

  return 'dependency-failure';
}

/**
 * Returns false only when the error shows that the request never reached the dependency or was rejected
 * unexecuted: a 429 response, or a connection that failed before sending (`ECONNREFUSED`, `ENOTFOUND`, …).
 * Timeouts, resets and 5xx responses return true, because the dependency may have executed the request.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (statusOf(error) === 429) {
    return false;
  }

  return !hasNetworkCode(error, NOT_SENT_CODES);
}

/**
 * Returns the delay in ms that an error requests before the next attempt: `retryAfterMs`,
 * `retryAfterSeconds` (as on `TelegramRateLimitError`) or a Bot API `parameters.retry_after`.
 */
export function retryAfterMsOf(error: unknown): number | undefined {
  const fields = asFields(error);
  const milliseconds = fields?.retryAfterMs;
  if (isNonNegativeNumber(milliseconds)) {
    return milliseconds;
  }

  const seconds = fields?.retryAfterSeconds ?? fields?.parameters?.retry_after;
  return isNonNegativeNumber(seconds) ? seconds * 1_000 : undefined;
}

// Looks for a code such as ECONNREFUSED in the error, its `cause` chain (undici nests it) or its message
// (TelegramNetworkError keeps only the reason text, for example "connect ECONNREFUSED 127.0.0.1:443").
function hasNetworkCode(error: unknown, codes: ReadonlySet<string>): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth += 1) {
    const fields = asFields(current);
    if (typeof fields?.code === 'string' && codes.has(fields.code)) {
      return true;
    }
    const message = typeof fields?.message === 'string' ? fields.message : '';
    if ([...codes].some((code) => message.includes(code))) {
      return true;
    }
    current = fields?.cause;
  }

  return false;
}

function asFields(error: unknown): ErrorFields | undefined {
  return typeof error === 'object' && error !== null ? (error as ErrorFields) : undefined;
}

function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}
