import { InvalidResilienceOptionError, RetryBudgetExceededError } from './errors';
import { classifyFailure, mayHaveTakenEffect, retryAfterMsOf } from './failure';
import { RESILIENCE_LIMITS } from './limits';

/** A retry about to happen, for logs and counters. */
export interface RetryEvent {
  /** Number of the attempt that failed, from 1. */
  attempt: number;
  /** Delay before the next attempt. */
  delayMs: number;
  error: unknown;
}

/** Options of {@link retryWithBackoff}. Durations are in milliseconds. */
export interface RetryOptions {
  /**
   * Whether sending the request twice has the same effect as sending it once. A non-idempotent request
   * whose error shows that it may have taken effect is not retried, unless `idempotencyKey` is set.
   */
  idempotent: boolean;
  /** Key that the operation sends with every attempt so that the provider drops duplicates. */
  idempotencyKey?: string;
  /** Attempts in total, including the first. Default 3. */
  maxAttempts?: number;
  /** Upper bound of the first retry's delay. Default 1,000. */
  baseDelayMs?: number;
  /** Upper bound of any backoff delay. Default 30,000. */
  maxDelayMs?: number;
  /**
   * Time from the first attempt after which no retry starts. A retry whose delay would end after it throws
   * {@link RetryBudgetExceededError} instead of sleeping. Default: no budget.
   */
  budgetMs?: number;
  /** Whether an error may succeed on a later attempt. Default: {@link classifyFailure} is `dependency-failure`. */
  isRetryable?: (error: unknown) => boolean;
  /** Delay that the error requests, such as a Retry-After header. Default: {@link retryAfterMsOf}. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** Whether the failed request may have been executed. Default: {@link mayHaveTakenEffect}. */
  mayHaveTakenEffect?: (error: unknown) => boolean;
  /** Uniform random number in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  onRetry?: (retry: RetryEvent) => void;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Returns the "full jitter" backoff before retry number `retryIndex` (0 for the first retry): a uniform
 * random delay in [0, min(maxDelayMs, baseDelayMs × 2^retryIndex)], rounded up to whole milliseconds.
 */
export function backoffDelayMs(
  retryIndex: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retryIndex);

  return Math.min(ceiling, Math.ceil(random() * ceiling));
}

/**
 * Runs `operation` and retries it on retryable errors with exponential backoff and full jitter. A delay
 * that the error requests (Retry-After) replaces the backoff when it is longer, so no attempt starts
 * before it. Rethrows the last error when attempts run out, when the error is not retryable, or when a
 * non-idempotent request may have taken effect.
 * @throws {RetryBudgetExceededError} when the next retry would start after `budgetMs`.
 * @example await retryWithBackoff(() => client.call('getMe', {}), { idempotent: true, budgetMs: 20_000 });
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? RESILIENCE_LIMITS.retry.maxAttempts;
  const baseDelayMs = options.baseDelayMs ?? RESILIENCE_LIMITS.retry.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? RESILIENCE_LIMITS.retry.maxDelayMs;
  validateRetryOptions(maxAttempts, baseDelayMs, maxDelayMs, options.budgetMs);

  const isRetryable = options.isRetryable ?? ((error) => classifyFailure(error) === 'dependency-failure');
  const requestedDelayMs = options.retryAfterMs ?? retryAfterMsOf;
  const tookEffect = options.mayHaveTakenEffect ?? mayHaveTakenEffect;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;
  const retrySafe = options.idempotent || options.idempotencyKey !== undefined;

  const startedAtMs = now();
  let sleptMs = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !isRetryable(error) || (!retrySafe && tookEffect(error))) {
        throw error;
      }

      const backoffMs = backoffDelayMs(attempt - 1, baseDelayMs, maxDelayMs, options.random);
      const requestedMs = requestedDelayMs(error);
      const delayMs =
        requestedMs !== undefined && requestedMs > backoffMs ? Math.ceil(requestedMs) : backoffMs;

      // A fake clock that sleep does not advance still runs down the budget through sleptMs.
      const elapsedMs = Math.max(now() - startedAtMs, sleptMs);
      if (options.budgetMs !== undefined && elapsedMs + delayMs > options.budgetMs) {
        throw new RetryBudgetExceededError(delayMs, attempt, options.budgetMs, elapsedMs, error);
      }

      options.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs);
      sleptMs += delayMs;
    }
  }
}

function validateRetryOptions(
  maxAttempts: number,
  baseDelayMs: number,
  maxDelayMs: number,
  budgetMs: number | undefined,
): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new InvalidResilienceOptionError('maxAttempts', maxAttempts, 'a whole number of at least 1');
  }
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) {
    throw new InvalidResilienceOptionError('baseDelayMs', baseDelayMs, 'a finite number of ms, 0 or more');
  }
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) {
    throw new InvalidResilienceOptionError(
      'maxDelayMs',
      maxDelayMs,
      `a finite number of ms, at least baseDelayMs (${baseDelayMs})`,
    );
  }
  if (budgetMs !== undefined && !(Number.isFinite(budgetMs) && budgetMs >= 0)) {
    throw new InvalidResilienceOptionError('budgetMs', budgetMs, 'a finite number of ms, 0 or more');
  }
}
