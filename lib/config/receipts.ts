import { ConfigError, type Env, integer, optional, optionalUrl, required } from './environment';

/**
 * Source of the Google Cloud Vision API key: a Secrets Manager secret on AWS (a JSON object with `apiKey`),
 * or a plain variable on the local stack.
 */
export type VisionApiKeySource =
  | { kind: 'secrets-manager'; secretId: string; maxAgeSeconds: number }
  | { kind: 'environment'; apiKey: string };

/** Settings of Google Cloud Vision, present when a key source is configured. */
export interface VisionConfig {
  apiKey: VisionApiKeySource;
  /**
   * Base URL of a local Vision REST server such as `http://127.0.0.1:9400` (VISION_API_ENDPOINT). Unset,
   * the client calls `https://vision.googleapis.com`.
   */
  apiEndpoint?: string;
  /** Time one annotate request may take before it is aborted, in milliseconds (VISION_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
}

/**
 * OCR engine for receipt photos: Google Cloud Vision when a key is configured, otherwise tesseract.js in
 * the process.
 */
export type OcrEngineConfig = { engine: 'google-vision'; vision: VisionConfig } | { engine: 'tesseract' };

/** Server-side encryption of archived receipt images. */
export type ReceiptEncryption = { algorithm: 'AES256' } | { algorithm: 'aws:kms'; kmsKeyId: string };

/** Settings of the receipt image archive. */
export interface ReceiptArchiveConfig {
  /** Bucket of the archived images (RECEIPTS_BUCKET). */
  bucket: string;
  /** SSE-KMS with RECEIPTS_KMS_KEY_ID when set, otherwise SSE-S3 (AES256). */
  encryption: ReceiptEncryption;
  /**
   * S3 endpoint override (AWS_ENDPOINT_URL_S3), such as fauxqs on 127.0.0.1. When set, the client uses
   * path-style URLs, because an emulator has no per-bucket host names.
   */
  endpoint?: string;
}

/** Settings of receipt photo handling: OCR and the image archive. */
export interface ReceiptConfig {
  ocr: OcrEngineConfig;
  archive: ReceiptArchiveConfig;
}

function visionApiKeySource(env: Env): VisionApiKeySource | undefined {
  const secretId = optional(env, 'VISION_SECRET_ARN');
  if (secretId !== undefined) {
    return {
      kind: 'secrets-manager',
      secretId,
      maxAgeSeconds: integer(env, 'SECRETS_CACHE_SECONDS', 300, 0, 86_400),
    };
  }

  const apiKey = optional(env, 'VISION_API_KEY');

  return apiKey === undefined ? undefined : { kind: 'environment', apiKey };
}

/** Reads which OCR engine reads receipt photos and how to reach it. */
export function loadOcrEngineConfig(env: Env = process.env): OcrEngineConfig {
  const apiKey = visionApiKeySource(env);
  const apiEndpoint = optionalUrl(env, 'VISION_API_ENDPOINT');
  if (apiKey === undefined) {
    if (apiEndpoint !== undefined) {
      throw new ConfigError(
        'VISION_API_ENDPOINT',
        'is set but no Vision API key is: set VISION_API_KEY (any value the local server accepts) or VISION_SECRET_ARN, or unset VISION_API_ENDPOINT to read receipts offline with tesseract.js.',
      );
    }
    return { engine: 'tesseract' };
  }

  return {
    engine: 'google-vision',
    vision: {
      apiKey,
      apiEndpoint,
      requestTimeoutMs: integer(env, 'VISION_REQUEST_TIMEOUT_MS', 10_000, 1_000, 60_000),
    },
  };
}

/** Reads where receipt images are archived. */
export function loadReceiptArchiveConfig(env: Env = process.env): ReceiptArchiveConfig {
  const kmsKeyId = optional(env, 'RECEIPTS_KMS_KEY_ID');

  return {
    bucket: required(env, 'RECEIPTS_BUCKET'),
    encryption: kmsKeyId === undefined ? { algorithm: 'AES256' } : { algorithm: 'aws:kms', kmsKeyId },
    endpoint: optionalUrl(env, 'AWS_ENDPOINT_URL_S3'),
  };
}

/** Reads the settings of receipt photo handling. */
export function loadReceiptConfig(env: Env = process.env): ReceiptConfig {
  return { ocr: loadOcrEngineConfig(env), archive: loadReceiptArchiveConfig(env) };
}
