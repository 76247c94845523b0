import { VisionApiKeyError, VisionRequestError, VisionUnavailableError } from './errors';

/** Fields of gax's `GoogleError` that the mapping reads. */
interface GoogleErrorFields {
  code?: unknown;
  httpStatusCode?: unknown;
  reason?: unknown;
  message?: unknown;
  statusDetails?: unknown;
}

/** Canonical names of the `google.rpc.Code` values that Vision returns. */
const GOOGLE_STATUS_NAMES: Readonly<Record<number, string>> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/**
 * Turns an error of `batchAnnotateImages` into a {@link VisionRequestError} with the HTTP status, so the
 * resilience layer classifies it: 429 and 5xx are retried and count against the breaker, other 4xx are
 * not. 401, 403 and any `API_KEY_*` reason (Google rejects an invalid key with 400 and `API_KEY_INVALID`)
 * become {@link VisionApiKeyError}. Errors without an HTTP status, such as a refused connection or gax's
 * timeout, become {@link VisionUnavailableError}, a dependency failure.
 *
 * The result keeps only the message and codes, never the original error as `cause`: gaxios errors carry
 * the request, whose `x-goog-api-key` header gaxios 8 does not redact and whose body contains the image.
 */
export function toVisionRequestError(error: unknown): Error {
  const fields = typeof error === 'object' && error !== null ? (error as GoogleErrorFields) : undefined;
  const detail = typeof fields?.message === 'string' ? fields.message : 'no message';
  const status = fields?.httpStatusCode;
  if (typeof status !== 'number') {
    return new VisionUnavailableError(detail, networkCodeOf(error));
  }

  const code = typeof fields?.code === 'number' ? fields.code : undefined;
  const googleStatus = (code === undefined ? undefined : GOOGLE_STATUS_NAMES[code]) ?? 'UNKNOWN';
  const reason = typeof fields?.reason === 'string' ? fields.reason : undefined;
  const options = { retryAfterMs: retryDelayMsOf(fields?.statusDetails) };
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

/** Reads the delay of a `google.rpc.RetryInfo` detail, which gax decodes to `{ retryDelay: { seconds, nanos } }`. */
function retryDelayMsOf(details: unknown): number | undefined {
  if (!Array.isArray(details)) {
    return undefined;
  }

  for (const detail of details) {
    const delay = (detail as { retryDelay?: { seconds?: unknown; nanos?: unknown } } | null)?.retryDelay;
    if (delay !== undefined && delay !== null) {
      const seconds = Number(delay.seconds ?? 0);
      const nanos = Number(delay.nanos ?? 0);
      if (Number.isFinite(seconds) && Number.isFinite(nanos) && seconds >= 0 && nanos >= 0) {
        return seconds * 1_000 + Math.round(nanos / 1_000_000);
      }
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
