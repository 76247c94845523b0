/**
 * Errors of the resilience layer. Each "try later" error carries the delay after which the call may be
 * sent again, so a queue consumer can hand the message back with that visibility delay
 * ({@link deferDelayMs} reads it from any of them).
 */

/** Circuit state names, shared by the breaker and its errors. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * The circuit of `dependency` is open, or half-open with every trial slot taken, so the call was not sent.
 * `retryAfterMs` is the time until the breaker admits calls again (open) or a trial slot may free up
 * (half-open).
 */
export class CircuitOpenError extends Error {
  override readonly name: string = 'CircuitOpenError';

  constructor(
    readonly dependency: string,
    readonly retryAfterMs: number,
    readonly state: CircuitState,
    message = `Circuit of ${dependency} is ${state}, so the call was not sent; ` +
      `send it again in ${retryAfterMs} ms or later, for example by deferring the message.`,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The breaker could not read or write its state in DynamoDB, and `dependency` is configured to fail closed,
 * so the call was not sent. It extends {@link CircuitOpenError} so that handlers of open circuits defer it
 * the same way. `cause` contains the store error.
 */
export class BreakerStoreUnavailableError extends CircuitOpenError {
  override readonly name = 'BreakerStoreUnavailableError';

  constructor(dependency: string, retryAfterMs: number, cause: unknown) {
    super(
      dependency,
      retryAfterMs,
      'open',
      `Circuit state of ${dependency} could not be read from DynamoDB (${describe(cause)}), and ${dependency} ` +
        `fails closed, so the call was not sent; send it again in ${retryAfterMs} ms or later, and check ` +
        'that the resilience table is reachable.',
      { cause },
    );
  }
}

/**
 * A token bucket could not be read or updated in DynamoDB, and the dependency is configured to fail closed,
 * so the call was not sent. `cause` contains the store error.
 */
export class RateLimitStoreUnavailableError extends Error {
  override readonly name = 'RateLimitStoreUnavailableError';

  constructor(
    readonly dependency: string,
    readonly key: string,
    readonly retryAfterMs: number,
    cause: unknown,
  ) {
    super(
      `Token bucket ${key} of ${dependency} could not be updated in DynamoDB (${describe(cause)}), and ` +
        `${dependency} fails closed, so the call was not sent; send it again in ${retryAfterMs} ms or later, ` +
        'and check that the resilience table is reachable.',
      { cause },
    );
  }
}

/**
 * The rate limit `key` admits the call only after `delayMs`, which is longer than the call's remaining
 * budget. The caller should give the message back to the queue with a visibility delay of `delayMs`.
 */
export class DeferCallError extends Error {
  override readonly name = 'DeferCallError';

  constructor(
    readonly dependency: string,
    readonly key: string,
    readonly delayMs: number,
    readonly remainingBudgetMs: number,
  ) {
    super(
      `Rate limit ${key} of ${dependency} admits the call in ${delayMs} ms, more than the ` +
        `${remainingBudgetMs} ms left of its budget; defer the message by at least ${delayMs} ms.`,
    );
  }
}

/**
 * The next retry would start after the call's budget ran out, so retrying stopped before sleeping.
 * `waitMs` is the delay the retry needed; `cause` contains the error of the last attempt.
 */
export class RetryBudgetExceededError extends Error {
  override readonly name = 'RetryBudgetExceededError';

  constructor(
    readonly waitMs: number,
    readonly attempts: number,
    readonly budgetMs: number,
    readonly elapsedMs: number,
    cause: unknown,
  ) {
    super(
      `Retry after attempt ${attempts} needs a wait of ${waitMs} ms, but only ${Math.max(0, budgetMs - elapsedMs)} ms ` +
        `of the ${budgetMs} ms budget are left (last error: ${describe(cause)}); defer the work by at least ` +
        `${waitMs} ms instead.`,
      { cause },
    );
  }
}

/** A configuration value or argument of the resilience layer is invalid. */
export class InvalidResilienceOptionError extends Error {
  override readonly name = 'InvalidResilienceOptionError';

  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`Invalid ${option}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}.`);
  }
}

/**
 * Returns the delay in ms after which a call rejected by this layer may be sent again, or `undefined`
 * when `error` is not one of the layer's "try later" errors.
 */
export function deferDelayMs(error: unknown): number | undefined {
  if (error instanceof CircuitOpenError || error instanceof RateLimitStoreUnavailableError) {
    return error.retryAfterMs;
  }
  if (error instanceof DeferCallError) {
    return error.delayMs;
  }
  if (error instanceof RetryBudgetExceededError) {
    return error.waitMs;
  }

  return undefined;
}

/** Returns true for errors that this layer raises in place of sending a call. */
export function isRejectedByResilience(error: unknown): boolean {
  return (
    error instanceof CircuitOpenError ||
    error instanceof RateLimitStoreUnavailableError ||
    error instanceof DeferCallError ||
    error instanceof RetryBudgetExceededError ||
    error instanceof InvalidResilienceOptionError
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
