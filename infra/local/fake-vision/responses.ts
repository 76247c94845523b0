/**
 * Error bodies of the fake Vision server, in the JSON shape that Google APIs use for REST errors:
 * `{ "error": { "code": <HTTP status>, "message", "status": <google.rpc.Code name>, "details": [...] } }`,
 * where an `ErrorInfo` detail names the `reason`, such as `API_KEY_INVALID`.
 */

/** A request-level error that {@link FakeVision.failNext} injects or the fake sends on its own. */
export interface VisionRequestFailure {
  kind: 'request';
  /** HTTP status of the response. */
  status: number;
  /** `google.rpc.Code` name, such as `RESOURCE_EXHAUSTED`. */
  googleStatus: string;
  message: string;
  /** `ErrorInfo.reason`, sent in `details` when set. */
  reason?: string;
}

/** A failure of one image inside an otherwise successful batch: the response's `error` for that image. */
export interface VisionImageFailure {
  kind: 'image';
  /** `google.rpc.Code` number, such as 3 (INVALID_ARGUMENT). */
  code: number;
  message: string;
}

/** A failure that {@link FakeVision.failNext} can inject. */
export type VisionFailure = VisionRequestFailure | VisionImageFailure;

const VISION_SERVICE = 'vision.googleapis.com';

/**
 * Documented Vision failures, for {@link FakeVision.failNext}. The messages are Google's; the quota
 * message names a placeholder project.
 */
export const VISION_ERRORS = {
  /** The API key is not a key of any project. Google returns 400, not 403. */
  apiKeyInvalid: request(
    400,
    'INVALID_ARGUMENT',
    'API key not valid. Please pass a valid API key.',
    'API_KEY_INVALID',
  ),
  /** The request has no key and no other credentials. */
  credentialsMissing: request(
    403,
    'PERMISSION_DENIED',
    "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
  ),
  /** The key's API restrictions exclude Vision. */
  apiKeyServiceBlocked: request(
    403,
    'PERMISSION_DENIED',
    `Requests to this API ${VISION_SERVICE} method google.cloud.vision.v1.ImageAnnotator.BatchAnnotateImages are blocked.`,
    'API_KEY_SERVICE_BLOCKED',
  ),
  /** The Cloud Vision API is not enabled in the key's project. */
  serviceDisabled: request(
    403,
    'PERMISSION_DENIED',
    'Cloud Vision API has not been used in project 000000000000 before or it is disabled.',
    'SERVICE_DISABLED',
  ),
  /** The per-minute request quota is used up. */
  resourceExhausted: request(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric 'Requests' and limit 'Requests per minute' of service '${VISION_SERVICE}' for consumer 'project_number:000000000000'.`,
    'RATE_LIMIT_EXCEEDED',
  ),
  /** A transient outage. */
  unavailable: request(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
  /** An internal error of Vision. */
  internal: request(500, 'INTERNAL', 'Internal error encountered.'),
  /** One image whose bytes are not an image Vision can decode. */
  badImageData: { kind: 'image', code: 3, message: 'Bad image data.' } satisfies VisionImageFailure,
} as const;

function request(
  status: number,
  googleStatus: string,
  message: string,
  reason?: string,
): VisionRequestFailure {
  return { kind: 'request', status, googleStatus, message, reason };
}

/** Returns the JSON body of a request-level error. */
export function errorBody(failure: VisionRequestFailure): string {
  const details =
    failure.reason === undefined
      ? undefined
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: failure.reason,
            domain: 'googleapis.com',
            metadata: { service: VISION_SERVICE },
          },
        ];

  return JSON.stringify({
    error: { code: failure.status, message: failure.message, status: failure.googleStatus, details },
  });
}

/** Returns one `AnnotateImageResponse` with the text read, or `{}` when the image contains no text, as Vision does. */
export function textResponse(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    return {};
  }

  return {
    textAnnotations: [{ locale: 'en', description: text }],
    fullTextAnnotation: { pages: [], text },
  };
}
