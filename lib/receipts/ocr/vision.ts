/**
 * OCR with Google Cloud Vision's DOCUMENT_TEXT_DETECTION, through `@google-cloud/vision` in REST mode
 * (`POST /v1/images:annotate`). The REST transport lets a local fake server stand in for Google, and needs
 * no gRPC channel in Lambda.
 */
import { ImageAnnotatorClient } from '@google-cloud/vision';
import type { AiUsage } from '../../ai/usage';
import { RESILIENCE_LIMITS, rateLimitsFor } from '../../resilience/limits';
import type { ResilientCaller } from '../../resilience/resilient-call';
import type { OcrEngine, OcrImage, OcrResult } from './engine';
import { OcrImageError, VisionApiKeyError, VisionResponseError } from './errors';
import { toVisionRequestError } from './vision-errors';

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

/**
 * {@link OcrEngine} backed by Google Cloud Vision. It sends up to 16 images per request (Vision's limit for
 * `images:annotate`) and sends the requests of larger calls in parallel, each through the resilience layer
 * with the `vision:requests` rate limit. gax's own retries are off, so only the resilience layer retries.
 */
export class VisionOcrEngine implements OcrEngine {
  private client: { apiKey: string; instance: ImageAnnotatorClient } | undefined;

  constructor(private readonly options: VisionOcrEngineOptions) {}

  /**
   * Reads every image with DOCUMENT_TEXT_DETECTION and returns one result per image, in order. An image
   * that Vision rejects gets a result with an {@link OcrImageError}, and the other images keep their text.
   * @throws {VisionApiKeyError} when the key is missing, invalid or blocked for Vision.
   * @throws {VisionRequestError} when Vision rejects or fails a request after the resilience layer's retries.
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

  /** Closes the client's HTTP connections. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.instance.close();
  }

  private annotate(batch: readonly OcrImage[]): Promise<AnnotateImageResponse[]> {
    const requests = batch.map((image) => ({
      image: { content: image.bytes },
      features: [{ type: VISION_FEATURE } as const],
    }));

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
        const client = await this.currentClient();
        let responses: AnnotateImageResponse[] | null | undefined;
        try {
          // An empty retryCodes list turns off gax's retries, which would hide the HTTP status.
          const [result] = await client.batchAnnotateImages(
            { requests },
            { retry: { retryCodes: [] }, timeout: this.options.requestTimeoutMs },
          );
          responses = result.responses;
        } catch (error) {
          throw toVisionRequestError(error);
        }
        if (responses?.length !== batch.length) {
          throw new VisionResponseError(
            `Vision returned ${responses?.length ?? 0} responses for ${batch.length} images; it returns one per image, so the request is retried.`,
          );
        }

        return responses;
      },
    );
  }

  private async currentClient(): Promise<ImageAnnotatorClient> {
    const apiKey = await this.options.apiKey();
    if (apiKey === '') {
      // Without a key google-auth-library would look for other credentials, the metadata server included.
      // The 403 status makes the resilience layer treat it as a caller error, as Google's own response would be.
      throw new VisionApiKeyError(
        403,
        'PERMISSION_DENIED',
        'CREDENTIALS_MISSING',
        'the configured API key is empty. Set VISION_API_KEY or the apiKey of VISION_SECRET_ARN.',
      );
    }
    if (this.client?.apiKey === apiKey) {
      return this.client.instance;
    }

    const previous = this.client?.instance;
    this.client = { apiKey, instance: createClient(apiKey, this.options.apiEndpoint) };
    await previous?.close();

    return this.client.instance;
  }
}

function createClient(apiKey: string, apiEndpoint: string | undefined): ImageAnnotatorClient {
  const common = {
    fallback: 'rest' as const,
    apiKey,
    // With an API key the key's project is billed. The placeholder projectId stops google-auth-library
    // from looking a project up, which would run the gcloud CLI.
    projectId: 'vision-api-key',
    // gaxios 8 otherwise loads node-fetch with a dynamic import(), which Jest's module sandbox rejects.
    // Node 22's own fetch does the same job.
    clientOptions: { transporterOptions: { fetchImplementation: fetch } },
  };
  if (apiEndpoint === undefined) {
    return new ImageAnnotatorClient(common);
  }

  const url = new URL(apiEndpoint);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  const defaultPort = protocol === 'http' ? 80 : 443;
  const port = url.port === '' ? defaultPort : Number(url.port);

  return new ImageAnnotatorClient({ ...common, apiEndpoint: url.hostname, port, protocol });
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
