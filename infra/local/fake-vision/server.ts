import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TesseractOcrEngine } from '../../../lib/receipts/ocr/tesseract';
import {
  errorBody,
  textResponse,
  VISION_ERRORS,
  type VisionFailure,
  type VisionRequestFailure,
} from './responses';

/**
 * A fake of the Google Cloud Vision REST API on 127.0.0.1: `POST /v1/images:annotate`, as the
 * Vision engine in lib/receipts/ocr/vision.ts sends it. It reads each image for real with
 * tesseract.js, so it returns a realistic text for any receipt image.
 *
 * It checks what Vision checks: the API key (`key` query parameter or `x-goog-api-key` header), at most 16
 * requests per batch, a body of at most 10 MiB, base64 `image.content` and a feature. Errors use Google's
 * JSON error shape, and a failed image gets an `error` in its own response while the others succeed.
 */

/** One `images:annotate` request and the status of the fake's response. */
export interface VisionCall {
  status: number;
  /** Images in the request's batch, 0 when the body could not be read. */
  images: number;
  at: number;
}

/** Options of {@link startFakeVision}. */
export interface FakeVisionOptions {
  /** TCP port on 127.0.0.1, 0 for a free one. @default 0 */
  port?: number;
  /** The key that requests must carry. @default 'fake-vision-key' */
  apiKey?: string;
  /**
   * Reads the text of one image and throws for bytes that are not an image.
   * @default a tesseract.js engine that the fake starts and stops
   */
  readText?: (image: Uint8Array) => Promise<string>;
}

/** A running fake. */
export interface FakeVision {
  /** Base URL, the value of VISION_API_ENDPOINT. */
  readonly url: string;
  readonly apiKey: string;
  readonly calls: VisionCall[];
  /**
   * Injects `failure` `times` times. A request failure replaces the response to the next requests, and an image failure
   * replaces the result of the next images read, in any request.
   */
  failNext(failure: VisionFailure, times?: number): void;
  /** Clears the calls and the injected failures. Texts already read stay cached. */
  reset(): void;
  stop(): Promise<void>;
}

/** Images per request that Vision accepts. */
export const VISION_MAX_IMAGES_PER_REQUEST = 16;
/** Body size that Vision accepts, 10 MiB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ANNOTATE_PATH = '/v1/images:annotate';
/** Text features by name and by the number that the client sends with `enum-encoding=int`. */
const TEXT_FEATURES = new Set<unknown>(['DOCUMENT_TEXT_DETECTION', 11, 'TEXT_DETECTION', 5]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Starts the fake Vision server on 127.0.0.1. */
export async function startFakeVision(options: FakeVisionOptions = {}): Promise<FakeVision> {
  const apiKey = options.apiKey ?? 'fake-vision-key';
  const ownEngine = options.readText === undefined ? new TesseractOcrEngine() : undefined;
  const readText = options.readText ?? ((image: Uint8Array) => (ownEngine as TesseractOcrEngine).read(image));
  const calls: VisionCall[] = [];
  const requestFailures: VisionRequestFailure[] = [];
  const imageFailures: Array<Extract<VisionFailure, { kind: 'image' }>> = [];
  // Reading takes about half a second per image, and tests send the same fixtures many times.
  const textsBySha256 = new Map<string, Promise<string>>();

  const readCached = (image: Buffer): Promise<string> => {
    const digest = createHash('sha256').update(image).digest('hex');
    let text = textsBySha256.get(digest);
    if (text === undefined) {
      text = readText(image);
      textsBySha256.set(digest, text);
      text.catch(() => textsBySha256.delete(digest));
    }

    return text;
  };

  const annotateOne = async (entry: unknown): Promise<Record<string, unknown>> => {
    const injected = imageFailures.shift();
    if (injected !== undefined) {
      return { error: { code: injected.code, message: injected.message } };
    }

    const { content, features } = readAnnotateRequest(entry);
    if (content === undefined) {
      return imageError(VISION_ERRORS.badImageData.message);
    }
    if (!features.some((feature) => TEXT_FEATURES.has(feature))) {
      // The fake implements only the text features; any other feature gets an empty response.
      return features.length === 0 ? imageError('No feature specified.') : {};
    }

    try {
      return textResponse(await readCached(content));
    } catch {
      return imageError(VISION_ERRORS.badImageData.message);
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const at = Date.now();
    const reject = (failure: VisionRequestFailure, images = 0) => {
      calls.push({ status: failure.status, images, at });
      sendJson(response, failure.status, errorBody(failure));
    };
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(request);
    if (request.method !== 'POST' || url.pathname !== ANNOTATE_PATH) {
      reject(failure(404, 'NOT_FOUND', `The fake Vision server implements only POST ${ANNOTATE_PATH}.`));
      return;
    }
    const key = url.searchParams.get('key') ?? headerValue(request, 'x-goog-api-key');
    if (key === undefined || key === '') {
      reject(VISION_ERRORS.credentialsMissing);
      return;
    }
    if (!sameSecret(key, apiKey)) {
      reject(VISION_ERRORS.apiKeyInvalid);
      return;
    }
    if (body === undefined) {
      reject(
        failure(400, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${MAX_BODY_BYTES} bytes.`),
      );
      return;
    }

    const entries = readRequests(body);
    if (typeof entries === 'string') {
      reject(failure(400, 'INVALID_ARGUMENT', entries));
      return;
    }
    if (entries.length > VISION_MAX_IMAGES_PER_REQUEST) {
      reject(
        failure(
          400,
          'INVALID_ARGUMENT',
          `Too many images per request: ${entries.length}, the maximum is ${VISION_MAX_IMAGES_PER_REQUEST}.`,
        ),
        entries.length,
      );
      return;
    }
    const injected = requestFailures.shift();
    if (injected !== undefined) {
      reject(injected, entries.length);
      return;
    }

    const responses = await Promise.all(entries.map(annotateOne));
    calls.push({ status: 200, images: entries.length, at });
    sendJson(response, 200, JSON.stringify({ responses }));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) {
        sendJson(response, 500, errorBody(VISION_ERRORS.internal));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    calls,
    failNext(injected, times = 1) {
      for (let count = 0; count < times; count += 1) {
        if (injected.kind === 'request') {
          requestFailures.push(injected);
        } else {
          imageFailures.push(injected);
        }
      }
    },
    reset() {
      calls.length = 0;
      requestFailures.length = 0;
      imageFailures.length = 0;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await ownEngine?.terminate();
    },
  };
}

function failure(status: number, googleStatus: string, message: string): VisionRequestFailure {
  return { kind: 'request', status, googleStatus, message };
}

function imageError(message: string): Record<string, unknown> {
  return { error: { code: VISION_ERRORS.badImageData.code, message } };
}

/** Returns the `requests` array of the body, or the reason it is invalid. */
function readRequests(body: string): unknown[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'Invalid JSON payload received.';
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return 'Invalid JSON payload received: "requests" must be a non-empty list.';
  }

  return requests;
}

/** Returns the decoded `image.content` (undefined when missing or not base64) and the feature types. */
function readAnnotateRequest(entry: unknown): { content: Buffer | undefined; features: unknown[] } {
  const request = (typeof entry === 'object' && entry !== null ? entry : {}) as {
    image?: { content?: unknown };
    features?: unknown;
  };
  const encoded = request.image?.content;
  const content =
    typeof encoded === 'string' && encoded !== '' && BASE64.test(encoded)
      ? Buffer.from(encoded, 'base64')
      : undefined;
  const features = Array.isArray(request.features)
    ? request.features.map((feature) => (feature as { type?: unknown } | null)?.type)
    : [];

  return { content, features };
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];

  return Array.isArray(value) ? value[0] : value;
}

// Compares digests so that the time taken depends on neither key's length nor content.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();

  return timingSafeEqual(digest(given), digest(expected));
}

/** Returns the body, or undefined when it is larger than Vision accepts. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total <= MAX_BODY_BYTES) {
      chunks.push(chunk as Buffer);
    }
  }

  return total > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  response.end(body);
}
