/** Errors of the receipt image archive. */

/** The image cannot be archived as given. The message names the invalid value and what is accepted. */
export class InvalidReceiptImageError extends Error {
  override readonly name = 'InvalidReceiptImageError';

  constructor(detail: string) {
    super(`Cannot archive the receipt image: ${detail}`);
  }
}

/** An S3 request of the archive failed after the resilience layer's retries, or was rejected by it. */
export class ReceiptArchiveError extends Error {
  override readonly name = 'ReceiptArchiveError';

  constructor(
    readonly operation: string,
    readonly bucket: string,
    readonly key: string,
    detail: string,
    options?: { cause: unknown },
  ) {
    super(
      `S3 ${operation} of s3://${bucket}/${key} failed: ${detail}. Check that the bucket exists and the function may access it.`,
      options,
    );
  }
}
