/**
 * OCR with Google Cloud Vision's DOCUMENT_TEXT_DETECTION, through the REST endpoint
 * `POST /v1/images:annotate` and the global `fetch`. Calling REST directly instead of `@google-cloud/vision`
 * keeps gax, gRPC and protobufjs out of the Lambda bundle, and lets a local fake server stand in for Google.
 */
import type { AiUsage } from '../../ai/usage';
import { RESILIENCE_LIMITS, rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import type { OcrEngine, OcrImage, OcrResult } from './engine';
import { OcrImageError, VisionApiKeyError, VisionResponseError } from './errors';
import { toVisionHttpError, toVisionNetworkError } from './vision-errors';

/** Options of {@link VisionOcrEngine}. */
export interface VisionOcrEngineOptions {
  /** Returns the API key; called before each request, so a rotated key is used once its cache expires. */
  apiKey: () => Promise<string>;
  /**
   * Base URL of a Vision REST server other than Google's, such as the fake on `http://127.0.0.1:9400`.
   * @default https://vision.googleapis.com
   */
  apiEndpoint?: string;
  /** Time one request may take before it is aborted, in milliseconds. */
  requestTimeoutMs: number;
  /** Resilience layer that every request goes through, with breaker key `vision`. */
  caller: ResilientCaller;
  /** Time one request may take with its retries and rate-limit waits, usually the invocation's remaining time. */
  budgetMs: () => number;
}

/** Billed feature, the `model` of the usage that Vision calls report. */
export const VISION_FEATURE = 'DOCUMENT_TEXT_DETECTION';

/** One entry of `BatchAnnotateImagesResponse.responses`, reduced to the fields that OCR reads. */
interface AnnotateImageResponse {
  fullTextAnnotation?: { text?: string | null } | null;
  textAnnotations?: Array<{ description?: string | null }> | null;
  error?: { code?: number | null; message?: string | null } | null;
}

/** Vision's REST endpoint, used when {@link VisionOcrEngineOptions.apiEndpoint} is not set. */
export const VISION_DEFAULT_ENDPOINT = 'https://vision.googleapis.com';

/**
 * {@link OcrEngine} backed by Google Cloud Vision. It sends up to 16 images per request (Vision's limit for
 * `images:annotate`) and sends the requests of larger calls in parallel, each through the resilience layer
 * with the `vision:requests` rate limit. Only the resilience layer retries.
 */
export class VisionOcrEngine implements OcrEngine {
  private readonly annotateUrl: string;

  constructor(private readonly options: VisionOcrEngineOptions) {
    const endpoint = (options.apiEndpoint ?? VISION_DEFAULT_ENDPOINT).replace(/\/+$/, '');
    this.annotateUrl = `${endpoint}/v1/images:annotate`;
  }

  /**
   * Reads every image with DOCUMENT_TEXT_DETECTION and returns one result per image, in order. An image
   * that Vision rejects gets a result with an {@link OcrImageError}, and the other images keep their text.
   * @throws {VisionApiKeyError} when the key is missing, invalid or blocked for Vision.
   * @throws {VisionRequestError} when Vision rejects or fails a request after the resilience layer's retries.
   * @throws {VisionUnavailableError} when Vision cannot be reached or times out, after the retries.
   * @throws the resilience layer's errors, such as `CircuitOpenError`.
   */
  async recognize(images: readonly OcrImage[]): Promise<OcrResult[]> {
    const batchSize = RESILIENCE_LIMITS.visionMaxImagesPerRequest;
    const batches: OcrImage[][] = [];
    for (let start = 0; start < images.length; start += batchSize) {
      batches.push(images.slice(start, start + batchSize));
    }

    const responses = await Promise.all(batches.map((batch) => this.annotate(batch)));

    return responses.flat().map((response, index) => toResult(response, index));
  }

  /**
   * Does nothing and stays for the callers that closed the former client. The engine keeps no connection
   * of its own: `fetch` pools connections in Node.js's global dispatcher.
   */
  async close(): Promise<void> {}

  private annotate(batch: readonly OcrImage[]): Promise<AnnotateImageResponse[]> {
    // Encoded once, outside the retried call, because the body is the same for every attempt.
    const body = JSON.stringify({
      requests: batch.map((image) => ({
        image: { content: Buffer.from(image.bytes).toString('base64') },
        features: [{ type: VISION_FEATURE }],
      })),
    });

    return this.options.caller.call(
      {
        dependency: 'vision',
        operation: 'annotate',
        rateLimits: rateLimitsFor('vision:requests'),
        // Reading text changes nothing at Google, so a repeated request is harmless.
        idempotent: true,
        budgetMs: this.options.budgetMs(),
      },
      async () => {
        const apiKey = await this.options.apiKey();
        const responses = await this.post(apiKey, body);
        if (responses.length !== batch.length) {
          throw new VisionResponseError(
            `Vision returned ${responses.length} responses for ${batch.length} images; it returns one per image, so the request is retried.`,
          );
        }

        return responses;
      },
    );
  }

  /** Sends one `images:annotate` request and returns its `responses`. The key goes only in a header. */
  private async post(apiKey: string, body: string): Promise<AnnotateImageResponse[]> {
    if (apiKey === '') {
      // The 403 status makes the resilience layer treat it as a caller error, as Google's own response would be.
      throw new VisionApiKeyError(
        403,
        'PERMISSION_DENIED',
        'CREDENTIALS_MISSING',
        'the configured API key is empty. Set VISION_API_KEY or the apiKey of VISION_SECRET_ARN.',
      );
    }

    const timeoutMs = this.options.requestTimeoutMs;
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.annotateUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-goog-api-key': apiKey },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw toVisionNetworkError(error, timeoutMs);
    }
    if (status < 200 || status > 299) {
      throw toVisionHttpError(status, text);
    }

    return readResponses(text, status);
  }
}

/** Reads `responses` from a 2xx body, or throws {@link VisionResponseError} when the body cannot be used. */
function readResponses(text: string, status: number): AnnotateImageResponse[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new VisionResponseError(
      `Vision returned ${status} with a body that is not JSON (${text.length} characters); the request is retried.`,
    );
  }

  const responses = (parsed as { responses?: unknown } | null)?.responses;
  if (responses === undefined) {
    // Vision omits empty fields, so a body without `responses` is the reply to a request without images.
    return [];
  }
  if (!Array.isArray(responses) || responses.some((entry) => typeof entry !== 'object' || entry === null)) {
    throw new VisionResponseError(
      `Vision returned ${status} with a \`responses\` field that is not a list of objects; the request is retried.`,
    );
  }

  return responses as AnnotateImageResponse[];
}

function toResult(response: AnnotateImageResponse, index: number): OcrResult {
  const error = response.error;
  if (error?.code !== undefined && error.code !== null && error.code !== 0) {
    return {
      text: '',
      usage: visionUsage(0),
      error: new OcrImageError(index, error.code, error.message ?? 'no message'),
    };
  }

  const text = response.fullTextAnnotation?.text ?? response.textAnnotations?.[0]?.description ?? '';

  return { text, usage: visionUsage(1) };
}

// NOTE: an image that Vision rejects is counted as 0 images. Google bills per feature applied to an
// image, and whether a failed image is billed is not documented on the pricing page.
function visionUsage(images: number): AiUsage {
  return { provider: 'google-vision', model: VISION_FEATURE, operation: 'ocr', images };
}
