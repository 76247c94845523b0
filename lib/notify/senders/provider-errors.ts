import { classifyFailure, type FailureClass } from '../../resilience/failure';

/**
 * SES errors that stop every send of the account, not just this one: count them against the circuit
 * breaker so that a paused or suspended account stops the sender instead of failing each message alone.
 */
const SES_ACCOUNT_ERRORS = new Set(['AccountSuspendedException', 'SendingPausedException']);

/** Name of an AWS SDK error, such as `TooManyRequestsException`, or `undefined`. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Classifies SES v2 errors. TooManyRequestsException (429) and 5xx are dependency failures, and so are
 * AccountSuspendedException and SendingPausedException (both 400). MessageRejected,
 * MailFromDomainNotVerifiedException, BadRequestException and NotFoundException are caller errors.
 */
export function classifySesError(error: unknown): FailureClass {
  const name = awsErrorName(error);
  if (name !== undefined && SES_ACCOUNT_ERRORS.has(name)) {
    return 'dependency-failure';
  }

  return classifyFailure(error);
}

/** Returns true for an error that an AWS service returned, which the SDK marks with `$metadata`. */
export function isServiceError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { $metadata?: unknown }).$metadata === 'object'
  );
}
