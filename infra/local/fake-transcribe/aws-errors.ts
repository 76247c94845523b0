/**
 * Errors of the fake Amazon Transcribe in the AWS JSON 1.1 protocol: HTTP 400 (500 for internal failures),
 * an `x-amzn-ErrorType` header, and a body `{ "__type": name, "Message": text }`, from which the AWS SDK
 * builds the modelled exception class of that name.
 */

/** Exceptions that Amazon Transcribe's batch operations document, plus the protocol's own. */
export type TranscribeErrorName =
  | 'BadRequestException'
  | 'ConflictException'
  | 'InternalFailureException'
  | 'LimitExceededException'
  | 'NotFoundException'
  | 'MissingAuthenticationTokenException'
  | 'SerializationException'
  | 'UnknownOperationException';

/** An error response of the fake. */
export class TranscribeApiError extends Error {
  override readonly name = 'TranscribeApiError';

  constructor(
    readonly errorName: TranscribeErrorName,
    message: string,
    readonly status = errorName === 'InternalFailureException' ? 500 : 400,
  ) {
    super(message);
  }

  /** The JSON body that AWS sends. */
  get body(): { __type: TranscribeErrorName; Message: string } {
    return { __type: this.errorName, Message: this.message };
  }
}

/** BadRequestException with the validation message that AWS sends for a constraint a field breaks. */
export function validationError(field: string, value: unknown, constraint: string): TranscribeApiError {
  return new TranscribeApiError(
    'BadRequestException',
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Messages of the documented failures, worded as Amazon Transcribe words them. */
export const TRANSCRIBE_MESSAGES = {
  conflict: 'The requested job name already exists. Use a different job name.',
  notFound: "The requested job couldn't be found. Check the job name and try your request again.",
  limitExceeded:
    'You have exceeded the maximum request rate for this operation. Try your request again later.',
  mediaNotFound:
    "The S3 URI that you provided can't be accessed. Make sure that you have read permission and try your request again.",
  mediaFormatMismatch:
    "The media format that you specified doesn't match the detected media format. Check the media format and try your request again.",
} as const;
