/**
 * Errors of the OCR engines. A request error stops the whole call and carries the HTTP status, so the
 * resilience layer's default classifier retries 429 and 5xx and leaves 4xx alone. An image error belongs to
 * one image of a batch and never fails the others.
 */

/** Base class of every OCR failure. */
export abstract class OcrError extends Error {}

/**
 * Google Cloud Vision rejected or failed a whole request. `status` is the HTTP status, which
 * `classifyFailure` reads: 429 and 5xx are dependency failures (retried, counted by the breaker), 400 and
 * 403 are caller errors. `reason` is Google's `ErrorInfo.reason`, such as `API_KEY_INVALID`, when given.
 */
export class VisionRequestError extends OcrError {
  override readonly name: string = 'VisionRequestError';
  /** Delay that Google's `RetryInfo` error detail requested, which the retry honours. */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly status: number,
    /** Google's canonical status name, such as `RESOURCE_EXHAUSTED` or `PERMISSION_DENIED`. */
    readonly googleStatus: string,
    readonly reason: string | undefined,
    detail: string,
    options?: { retryAfterMs?: number },
  ) {
    super(`Google Cloud Vision returned ${status} ${googleStatus}${reason ? ` (${reason})` : ''}: ${detail}`);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** The Vision API key is missing, invalid or not allowed to call the API. Retrying does not help. */
export class VisionApiKeyError extends VisionRequestError {
  override readonly name = 'VisionApiKeyError';
}

/**
 * Vision could not read one image of a batch: the response's `error` for that image, a `google.rpc.Status`
 * such as `{ code: 3, message: 'Bad image data.' }`. The other images of the batch keep their text.
 */
export class OcrImageError extends OcrError {
  override readonly name = 'OcrImageError';

  constructor(
    /** Position of the image in the list given to `recognize`. */
    readonly imageIndex: number,
    /** The `google.rpc.Code` number, such as 3 (INVALID_ARGUMENT). */
    readonly code: number,
    detail: string,
  ) {
    super(
      `Image ${imageIndex} could not be read (code ${code}): ${detail}. Ask the user for a sharper photo of the receipt.`,
    );
  }
}

/** The offline engine failed to start or to read an image. */
export class TesseractError extends OcrError {
  override readonly name = 'TesseractError';
}

/** The Secrets Manager secret of the Vision API key cannot be used. The message never contains its value. */
export class VisionApiKeyFormatError extends OcrError {
  override readonly name = 'VisionApiKeyFormatError';

  constructor(
    readonly secretId: string,
    problem: string,
  ) {
    super(
      `The Vision API key secret ${secretId} cannot be used because ${problem}. Store it as {"apiKey": "<key>"}.`,
    );
  }
}

/** Vision returned 2xx with a body that OCR cannot use. It counts as a dependency failure and is retried. */
export class VisionResponseError extends OcrError {
  override readonly name = 'VisionResponseError';
}

/**
 * Vision could not be reached or did not respond in time. It has no HTTP status, so the resilience layer
 * counts it as a dependency failure and retries it. `code` is the Node.js network code, such as
 * `ECONNREFUSED`, when there is one.
 */
export class VisionUnavailableError extends OcrError {
  override readonly name = 'VisionUnavailableError';

  constructor(
    detail: string,
    readonly code: string | undefined,
  ) {
    super(
      `Google Cloud Vision could not be reached: ${detail}. The request is retried; check VISION_API_ENDPOINT if it persists.`,
    );
  }
}
