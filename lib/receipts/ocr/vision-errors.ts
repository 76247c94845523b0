/**
 * Maps failures of Vision's REST endpoint `images:annotate` to the OCR error classes. Neither mapping keeps
 * the original error as `cause`, and none of them reads the request, so the API key, which travels only in
 * the `x-goog-api-key` header, cannot reach a message or a log.
 */
import { VisionApiKeyError, VisionRequestError, VisionUnavailableError } from './errors';

/** Google's JSON error body of a REST call, reduced to the fields that the mapping reads. */
interface GoogleErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    status?: unknown;
    details?: unknown;
  };
}

/** Canonical `google.rpc.Code` names that Google's HTTP mapping gives each status, for bodies without `status`. */
const GOOGLE_STATUS_BY_HTTP_STATUS: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Maximum length of the detail taken from a body that is not Google's JSON error, such as a proxy's HTML page. */
const MAX_PLAIN_DETAIL_CHARS = 200;

/**
 * Turns a non-2xx response of `images:annotate` into a {@link VisionRequestError} with the HTTP status, so
 * the resilience layer classifies it: 429 and 5xx are retried and count against the breaker, other 4xx are
 * not. 401, 403 and any `API_KEY_*` reason (Google rejects an invalid key with 400 and `API_KEY_INVALID`)
 * become {@link VisionApiKeyError}. `body` is the response text, Google's
 * `{ error: { code, message, status, details: [{ reason, retryDelay, … }] } }` when Google sent it.
 */
export function toVisionHttpError(status: number, body: string): VisionRequestError {
  const error = parseErrorBody(body);
  const detail =
    typeof error?.message === 'string' && error.message !== '' ? error.message : plainDetail(body, status);
  const googleStatus =
    typeof error?.status === 'string' && error.status !== ''
      ? error.status
      : (GOOGLE_STATUS_BY_HTTP_STATUS[status] ?? 'UNKNOWN');
  const details = Array.isArray(error?.details) ? (error.details as unknown[]) : [];
  const reason = reasonOf(details);
  const options = { retryAfterMs: retryDelayMsOf(details) };
  const isKeyProblem = status === 401 || status === 403 || reason?.startsWith('API_KEY_') === true;
  if (isKeyProblem) {
    return new VisionApiKeyError(
      status,
      googleStatus,
      reason,
      `${detail} Check VISION_API_KEY or VISION_SECRET_ARN.`,
      options,
    );
  }

  return new VisionRequestError(status, googleStatus, reason, detail, options);
}

/**
 * Turns an error thrown by `fetch` or by reading the response body, such as a refused connection or the
 * request timeout, into a {@link VisionUnavailableError}, a dependency failure that the resilience layer
 * retries. `timeoutMs` names the timeout in the message when the request's signal aborted it.
 */
export function toVisionNetworkError(error: unknown, timeoutMs: number): VisionUnavailableError {
  const name = error instanceof Error ? error.name : undefined;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new VisionUnavailableError(
      `no response within the request timeout of ${timeoutMs} ms`,
      'ETIMEDOUT',
    );
  }

  const code = networkCodeOf(error);
  const message = error instanceof Error ? error.message : 'unknown error';

  return new VisionUnavailableError(code === undefined ? message : `${message} (${code})`, code);
}

function parseErrorBody(body: string): GoogleErrorBody['error'] | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    const error =
      typeof parsed === 'object' && parsed !== null ? (parsed as GoogleErrorBody).error : undefined;

    return typeof error === 'object' && error !== null ? error : undefined;
  } catch {
    return undefined;
  }
}

function plainDetail(body: string, status: number): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') {
    return `HTTP ${status} with an empty body`;
  }

  return text.length > MAX_PLAIN_DETAIL_CHARS ? `${text.slice(0, MAX_PLAIN_DETAIL_CHARS)}…` : text;
}

/** Returns the `reason` of the first `google.rpc.ErrorInfo` detail, such as `API_KEY_INVALID`. */
function reasonOf(details: readonly unknown[]): string | undefined {
  for (const detail of details) {
    const reason = (detail as { reason?: unknown } | null)?.reason;
    if (typeof reason === 'string' && reason !== '') {
      return reason;
    }
  }

  return undefined;
}

/**
 * Reads the delay of a `google.rpc.RetryInfo` detail. JSON carries the `Duration` as a string such as
 * `"34s"` or `"1.500s"`; the object form `{ seconds, nanos }` is read too.
 */
function retryDelayMsOf(details: readonly unknown[]): number | undefined {
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    const milliseconds = durationMs(delay);
    if (milliseconds !== undefined) {
      return milliseconds;
    }
  }

  return undefined;
}

function durationMs(delay: unknown): number | undefined {
  if (typeof delay === 'string') {
    const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());

    return match?.[1] === undefined ? undefined : Math.round(Number(match[1]) * 1_000);
  }
  if (typeof delay === 'object' && delay !== null) {
    const { seconds, nanos } = delay as { seconds?: unknown; nanos?: unknown };
    const secondsValue = Number(seconds ?? 0);
    const nanosValue = Number(nanos ?? 0);
    if (
      Number.isFinite(secondsValue) &&
      Number.isFinite(nanosValue) &&
      secondsValue >= 0 &&
      nanosValue >= 0
    ) {
      return secondsValue * 1_000 + Math.round(nanosValue / 1_000_000);
    }
  }

  return undefined;
}

/** Returns the first string `code`, such as `ECONNREFUSED`, in the error or its `cause` chain. */
function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }

  return undefined;
}
