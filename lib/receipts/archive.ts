/**
 * Archive of receipt images in S3. Telegram file ids and WhatsApp media ids expire, so the transaction
 * links the archived copy instead. Keys are content-addressed, `receipts/<userId>/<sha256>.<ext>`, so the
 * same photo sent twice is stored once.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ReceiptArchiveConfig } from '../config';
import type { ResilientCaller } from '../resilience/resilient-call';
import { InvalidReceiptImageError, ReceiptArchiveError } from './archive-errors';

/** Location and digest of an archived image, which the draft transaction stores. */
export interface ArchivedReceipt {
  bucket: string;
  key: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, lowercase hex; also the key's file name. */
  sha256: string;
  mimeType: string;
}

/** One image to archive. */
export interface ReceiptImageUpload {
  /** Owner of the receipt; part of the key, so it must be a plain id such as `telegram-42`. */
  userId: string;
  bytes: Uint8Array;
  /** Media type as the channel reported it, such as `image/jpeg`. */
  mimeType: string;
}

/** Options of {@link ReceiptArchive}. */
export interface ReceiptArchiveOptions {
  config: ReceiptArchiveConfig;
  /** Resilience layer of every S3 request, with breaker key `s3:receipts`. */
  caller: ResilientCaller;
  /** Time one S3 request may take with its retries, usually the invocation's remaining time. */
  budgetMs: () => number;
  /** @default a client for the config's endpoint, path-style when the endpoint is overridden */
  s3?: S3Client;
}

/** File extensions of the media types that Telegram and WhatsApp deliver for receipt photos and documents. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/gif': 'gif',
  'image/tiff': 'tiff',
  'application/pdf': 'pdf',
};
const USER_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
const DEPENDENCY = 's3:receipts';

/** Stores receipt images in the receipts bucket and reads them back. */
export class ReceiptArchive {
  private readonly s3: S3Client;

  constructor(private readonly options: ReceiptArchiveOptions) {
    this.s3 = options.s3 ?? createS3Client(options.config);
  }

  /**
   * Stores the image unless an object with its key exists already, and returns where it is. Encrypted
   * with the configured SSE-S3 or SSE-KMS setting.
   * @throws {InvalidReceiptImageError} for an empty image, an unknown media type or a user id that is not a plain id.
   * @throws {ReceiptArchiveError} when S3 fails after the resilience layer's retries.
   */
  async put(upload: ReceiptImageUpload): Promise<ArchivedReceipt> {
    const { bucket, encryption } = this.options.config;
    const extension = checkUpload(upload);
    const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
    const key = `receipts/${upload.userId}/${sha256}.${extension}`;
    const archived = { bucket, key, sizeBytes: upload.bytes.byteLength, sha256, mimeType: upload.mimeType };

    if (await this.exists(key)) {
      return archived;
    }

    await this.send('PutObject', key, () =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: upload.bytes,
          ContentType: upload.mimeType,
          ChecksumAlgorithm: 'SHA256',
          ServerSideEncryption: encryption.algorithm,
          SSEKMSKeyId: encryption.algorithm === 'aws:kms' ? encryption.kmsKeyId : undefined,
        }),
      ),
    );

    return archived;
  }

  /**
   * Returns the bytes of an archived image.
   * @throws {ReceiptArchiveError} when the object is missing or S3 fails.
   */
  async get(key: string): Promise<Uint8Array> {
    const response = await this.send('GetObject', key, () =>
      this.s3.send(new GetObjectCommand({ Bucket: this.options.config.bucket, Key: key })),
    );
    if (response.Body === undefined) {
      throw new ReceiptArchiveError('GetObject', this.options.config.bucket, key, 'the response has no body');
    }

    return response.Body.transformToByteArray();
  }

  private async exists(key: string): Promise<boolean> {
    return this.send('HeadObject', key, async () => {
      try {
        await this.s3.send(new HeadObjectCommand({ Bucket: this.options.config.bucket, Key: key }));
        return true;
      } catch (error) {
        // A missing object is the usual outcome, not a failure of S3.
        if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
          return false;
        }
        throw error;
      }
    });
  }

  private async send<T>(operation: string, key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await this.options.caller.call(
        // Writing the same bytes to the same key twice stores the same object, so every request is idempotent.
        { dependency: DEPENDENCY, operation, idempotent: true, budgetMs: this.options.budgetMs() },
        request,
      );
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ReceiptArchiveError(operation, this.options.config.bucket, key, detail, { cause: error });
    }
  }
}

/**
 * Creates the S3 client of the archive. The SDK reads the endpoint from AWS_ENDPOINT_URL_S3 itself; an
 * overridden endpoint such as fauxqs has no per-bucket host names, so the client uses path-style URLs.
 */
export function createS3Client(config: ReceiptArchiveConfig): S3Client {
  return new S3Client(
    config.endpoint === undefined ? {} : { endpoint: config.endpoint, forcePathStyle: true },
  );
}

function checkUpload(upload: ReceiptImageUpload): string {
  if (!USER_ID.test(upload.userId)) {
    throw new InvalidReceiptImageError(
      `user id "${upload.userId}" cannot be part of an S3 key; pass 1 to 128 letters, digits or _.:- characters.`,
    );
  }
  if (upload.bytes.byteLength === 0) {
    throw new InvalidReceiptImageError(
      `the image of user ${upload.userId} is empty; download the file again.`,
    );
  }
  const extension = EXTENSIONS[upload.mimeType.toLowerCase()];
  if (extension === undefined) {
    throw new InvalidReceiptImageError(
      `media type "${upload.mimeType}" is not a receipt image; expected one of ${Object.keys(EXTENSIONS).join(', ')}.`,
    );
  }

  return extension;
}
