/**
 * Classification of Amazon Transcribe and S3 errors for the resilience layer, and their conversion into the
 * transcriber's errors.
 */
import { isRejectedByResilience } from '../../resilience/errors';
import { classifyFailure, type FailureClass, retryAfterMsOf, statusOf } from '../../resilience/failure';
import { TranscriptionFailedError, TranscriptionTimeoutError, UnsupportedAudioError } from './errors';

/**
 * Error names that mean "try again later". Amazon Transcribe reports throttling as LimitExceededException
 * with HTTP 400, which the default classifier would take for a caller error.
 */
const RETRYABLE_AWS_ERRORS = new Set([
  'LimitExceededException',
  'InternalFailureException',
  'ThrottlingException',
  'ServiceUnavailable',
  'SlowDown',
  'RequestTimeout',
]);

/** {@link FailureClassifier} of AWS SDK errors: throttling names first, then the default classifier. */
export function classifyAwsFailure(error: unknown): FailureClass {
  return isRetryableAwsError(error) ? 'dependency-failure' : classifyFailure(error);
}

function isRetryableAwsError(error: unknown): boolean {
  const fields = error as { name?: unknown; $retryable?: unknown; $fault?: unknown } | null;
  if (typeof fields !== 'object' || fields === null) {
    return false;
  }

  return (
    (typeof fields.name === 'string' && RETRYABLE_AWS_ERRORS.has(fields.name)) ||
    (typeof fields.$retryable === 'object' && fields.$retryable !== null) ||
    fields.$fault === 'server'
  );
}

/** Returns true when `error` is an AWS SDK error with this exception name. */
export function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * Converts a failed AWS call into the transcriber's errors. The resilience layer's rejections and the
 * transcriber's own errors stay as they are, so the processor can defer the message.
 */
export function toAwsTranscriptionError(error: unknown, step: string): unknown {
  if (
    isRejectedByResilience(error) ||
    error instanceof TranscriptionFailedError ||
    error instanceof TranscriptionTimeoutError ||
    error instanceof UnsupportedAudioError
  ) {
    return error;
  }

  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);

  return new TranscriptionFailedError('aws-transcribe', `${step} failed with ${name} (${message})`, {
    status: statusOf(error),
    retryAfterMs: retryAfterMsOf(error),
    retryable: classifyAwsFailure(error) === 'dependency-failure',
    cause: error,
  });
}

/**
 * Matches the failure reasons of a job whose media Transcribe could not decode, such as "The media format
 * that you specified doesn't match the detected media format".
 */
const MEDIA_FAILURE = /media format|could not decode|couldn't decode|unsupported|invalid media/i;

/** Converts the `FailureReason` of a FAILED job into the transcriber's error. */
export function failedJobError(jobName: string, mimeType: string, reason: string | undefined): Error {
  const detail = `job ${jobName} FAILED: ${reason ?? 'no reason given'}`;
  if (reason !== undefined && MEDIA_FAILURE.test(reason)) {
    return new UnsupportedAudioError(mimeType, `Amazon Transcribe could not decode it (${detail}).`);
  }

  return new TranscriptionFailedError('aws-transcribe', detail, { retryable: false });
}
