import { DISCARDING_METRICS, METRICS, type MetricsSink } from '../observability/metric-names';
import { NO_TRACING, type TraceFailureFlag, type Tracing } from '../observability/tracing';
import { StoreError } from '../store/errors';
import type { BreakerPermit, DynamoCircuitBreaker } from './circuit-breaker';
import {
  BreakerStoreUnavailableError,
  CircuitOpenError,
  DeferCallError,
  deferDelayMs,
  InvalidResilienceOptionError,
  isRejectedByResilience,
  RateLimitStoreUnavailableError,
  RetryBudgetExceededError,
} from './errors';
import { classifyFailure, type FailureClassifier, retryAfterMsOf, statusOf } from './failure';
import { type KeyedRateLimit, RESILIENCE_LIMITS, type StoreFailureMode, storeFailureModeOf } from './limits';
import { type ResilienceLogger, ThrottledWarning } from './logger';
import { sleep as realSleep, retryWithBackoff } from './retry';
import type { DynamoTokenBucket } from './token-bucket';

/** The breaker operations the caller uses, which {@link DynamoCircuitBreaker} provides. */
export type CircuitBreaker = Pick<DynamoCircuitBreaker, 'acquire' | 'dynamoRequests'>;

/** The bucket operations the caller uses, which {@link DynamoTokenBucket} provides. */
export type TokenBuckets = Pick<DynamoTokenBucket, 'take' | 'dynamoRequests'>;

/** Options of {@link createResilientCaller}. */
export interface ResilientCallerOptions {
  breaker: CircuitBreaker;
  buckets: TokenBuckets;
  logger: ResilienceLogger;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for the retry jitter. Default `Math.random`. */
  random?: () => number;
  /** Overrides of `RESILIENCE_LIMITS.retry`. */
  retry?: Partial<{ maxAttempts: number; baseDelayMs: number; maxDelayMs: number }>;
  /** Store failure modes applied when a token bucket cannot be updated. Default `RESILIENCE_LIMITS.storeFailureModes`. */
  storeFailureModes?: Readonly<Record<string, StoreFailureMode>> & { default: StoreFailureMode };
  /**
   * Receives ShortCircuitedCalls, ProviderRateLimited and CallsDeferred, each with the call's
   * `dependency` as its only dimension.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
  /**
   * Wraps each attempt in a subsegment named `<dependency>.<operation>`, without URL, body or ids.
   * @default NO_TRACING
   */
  tracing?: Tracing;
}

/** One call through the resilience layer. */
export interface ResilientCallOptions {
  /**
   * Breaker key, such as `telegram` or `telegram:getFile`. It is also the `dependency` dimension of the
   * layer's metrics and the start of the trace subsegment's name, so it never contains a chat id or other
   * per-user value. Such values belong in rate-limit keys.
   */
  dependency: string;
  /** Provider method, such as `sendMessage`, that completes the trace subsegment's name. */
  operation?: string;
  /** Buckets to take from before each attempt, in this order. */
  rateLimits?: readonly KeyedRateLimit[];
  /** Whether sending the request twice has the same effect as once. See {@link retryWithBackoff}. */
  idempotent: boolean;
  /** Key that the operation sends so the provider drops duplicates, which makes retries safe. */
  idempotencyKey?: string;
  /**
   * Time the call may take, rate-limit waits and retry delays included. A wait that does not fit throws
   * {@link DeferCallError} or {@link RetryBudgetExceededError}, so the message can go back to the queue.
   */
  budgetMs: number;
  /** Classifier of the operation's errors. Default {@link classifyFailure}. */
  classify?: FailureClassifier;
  /** Attempts in total, including the first. Default: the caller's retry settings (3). */
  maxAttempts?: number;
}

/** Counters of what the caller did, since it was created. */
export interface ResilienceStats {
  /** Calls started. */
  calls: number;
  /** Calls that returned a result. */
  succeeded: number;
  /** Calls that threw, rejections by this layer included. */
  failed: number;
  /** Invocations of operations, retries included. */
  attempts: number;
  /** Attempts rejected by an open circuit without running the operation. */
  shortCircuits: number;
  /** In-process waits for a token bucket, and their total duration. */
  rateLimitWaits: number;
  rateLimitWaitedMs: number;
  /** Calls rejected with {@link DeferCallError}. */
  deferrals: number;
  /** Retries started after a failed attempt. */
  retries: number;
  /** Calls stopped with {@link RetryBudgetExceededError}. */
  budgetExhausted: number;
  /** Operation errors classified as dependency failures, and as caller errors. */
  dependencyFailures: number;
  callerErrors: number;
  /** Token bucket takes that failed in DynamoDB. */
  bucketStoreFailures: number;
  /**
   * DynamoDB requests of the breaker and bucket instances given to this caller, including requests that
   * other callers sharing those instances made.
   */
  dynamoRequests: number;
}

/** A caller that sends operations through the breaker, the rate limits and retries. */
export interface ResilientCaller {
  /**
   * Runs `operation` through the circuit breaker, the token buckets and retries with backoff. Per attempt:
   * acquire a breaker permit, take from each bucket (waiting in-process while the wait fits the budget),
   * run the operation, report the outcome to the breaker. Dependency failures are retried within the
   * budget, caller errors are rethrown at once.
   * @throws {CircuitOpenError} when the circuit rejects the call.
   * @throws {DeferCallError} when a rate limit's wait does not fit the remaining budget.
   * @throws {RetryBudgetExceededError} when the next retry does not fit the remaining budget.
   * @throws {RateLimitStoreUnavailableError} when a bucket's store fails and the dependency fails closed.
   * @throws the operation's last error otherwise.
   */
  call<T>(options: ResilientCallOptions, operation: (attempt: number) => Promise<T>): Promise<T>;
  /** A snapshot of the counters. */
  readonly stats: ResilienceStats;
}

/**
 * Creates a {@link ResilientCaller}.
 * @example
 * const caller = createResilientCaller({ breaker, buckets, logger });
 * await caller.call(
 *   { dependency: 'telegram', rateLimits: rateLimitsFor('telegram:chat', chatId), idempotent: false, budgetMs: 5_000 },
 *   () => telegram.call('sendMessage', { chat_id: chatId, text }),
 * );
 */
export function createResilientCaller(options: ResilientCallerOptions): ResilientCaller {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const retrySettings = { ...RESILIENCE_LIMITS.retry, ...options.retry };
  const storeFailureModes = options.storeFailureModes ?? RESILIENCE_LIMITS.storeFailureModes;
  const storeWarnings = new ThrottledWarning(options.logger, now);
  const metrics = options.metrics ?? DISCARDING_METRICS;
  const tracing = options.tracing ?? NO_TRACING;
  const counters: Omit<ResilienceStats, 'dynamoRequests'> = {
    calls: 0,
    succeeded: 0,
    failed: 0,
    attempts: 0,
    shortCircuits: 0,
    rateLimitWaits: 0,
    rateLimitWaitedMs: 0,
    deferrals: 0,
    retries: 0,
    budgetExhausted: 0,
    dependencyFailures: 0,
    callerErrors: 0,
    bucketStoreFailures: 0,
  };

  async function call<T>(
    request: ResilientCallOptions,
    operation: (attempt: number) => Promise<T>,
  ): Promise<T> {
    if (!(Number.isFinite(request.budgetMs) && request.budgetMs >= 0)) {
      throw new InvalidResilienceOptionError(
        'budgetMs',
        request.budgetMs,
        'a finite number of ms, 0 or more',
      );
    }
    counters.calls += 1;

    const startedAtMs = now();
    let sleptMs = 0;
    // Time spent on the call. Sleeps count even when an injected clock does not advance during them.
    const elapsedMs = () => Math.max(now() - startedAtMs, sleptMs);
    const trackedSleep = async (ms: number) => {
      await sleep(ms);
      sleptMs += ms;
    };
    const classify = request.classify ?? classifyFailure;
    const subsegmentName =
      request.operation === undefined ? request.dependency : `${request.dependency}.${request.operation}`;

    const attempt = async (attemptNumber: number): Promise<T> => {
      const permit = await acquire(request.dependency);
      try {
        await takeRateLimits(request, () => request.budgetMs - elapsedMs(), trackedSleep);
      } catch (error) {
        await permit.release();
        throw error;
      }

      counters.attempts += 1;
      let result: T;
      try {
        result = await tracing.inSubsegment(subsegmentName, () => operation(attemptNumber), {
          remote: true,
          failureFlag: (error) => traceFailureFlag(error, classify),
        });
      } catch (error) {
        if (statusOf(error) === 429) {
          metrics.record(METRICS.providerRateLimited, { dependency: request.dependency });
        }
        await reportFailure(permit, classify(error));
        throw error;
      }
      await permit.succeeded();
      return result;
    };

    try {
      const result = await retryWithBackoff(attempt, {
        ...retrySettings,
        maxAttempts: request.maxAttempts ?? retrySettings.maxAttempts,
        idempotent: request.idempotent,
        idempotencyKey: request.idempotencyKey,
        budgetMs: request.budgetMs,
        isRetryable: (error) => !isRejectedByResilience(error) && classify(error) === 'dependency-failure',
        random: options.random,
        sleep: trackedSleep,
        now: () => startedAtMs + elapsedMs(),
        onRetry: ({ attempt: failedAttempt, delayMs, error }) => {
          counters.retries += 1;
          options.logger.info('Retrying call after a dependency failure', {
            dependency: request.dependency,
            attempt: failedAttempt,
            delayMs,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      });
      counters.succeeded += 1;
      return result;
    } catch (error) {
      counters.failed += 1;
      if (error instanceof RetryBudgetExceededError) {
        counters.budgetExhausted += 1;
      }
      if (requestsDelay(error)) {
        metrics.record(METRICS.callsDeferred, { dependency: request.dependency });
      }
      throw error;
    }
  }

  async function acquire(dependency: string): Promise<BreakerPermit> {
    try {
      return await options.breaker.acquire(dependency);
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        counters.shortCircuits += 1;
        // A fail-closed breaker also rejects when its table failed. The circuit is not open then, so only the
        // breaker's log line reports it.
        if (!(error instanceof BreakerStoreUnavailableError)) {
          metrics.record(METRICS.shortCircuitedCalls, { dependency });
        }
      }
      throw error;
    }
  }

  async function reportFailure(permit: BreakerPermit, failureClass: string): Promise<void> {
    if (failureClass === 'dependency-failure') {
      counters.dependencyFailures += 1;
      await permit.failed();
    } else {
      counters.callerErrors += 1;
      await permit.release();
    }
  }

  async function takeRateLimits(
    request: ResilientCallOptions,
    remainingBudgetMs: () => number,
    wait: (ms: number) => Promise<void>,
  ): Promise<void> {
    for (const { key, limit, cost } of request.rateLimits ?? []) {
      for (;;) {
        const taken = await takeOrApplyStoreFailureMode(request.dependency, key, () =>
          options.buckets.take(key, limit, cost),
        );
        if (taken.granted) {
          break;
        }

        const remainingMs = remainingBudgetMs();
        if (taken.waitMs > remainingMs) {
          counters.deferrals += 1;
          throw new DeferCallError(request.dependency, key, taken.waitMs, Math.max(0, remainingMs));
        }
        counters.rateLimitWaits += 1;
        counters.rateLimitWaitedMs += taken.waitMs;
        // The key names the bucket (for example a chat id); DEBUG keeps it out of INFO logs.
        options.logger.debug('Waiting for a rate-limit token', {
          dependency: request.dependency,
          key,
          waitMs: taken.waitMs,
        });
        await wait(taken.waitMs);
      }
    }
  }

  async function takeOrApplyStoreFailureMode(
    dependency: string,
    key: string,
    take: () => Promise<{ granted: true } | { granted: false; waitMs: number }>,
  ): Promise<{ granted: true } | { granted: false; waitMs: number }> {
    try {
      return await take();
    } catch (error) {
      if (!(error instanceof StoreError)) {
        throw error;
      }
      counters.bucketStoreFailures += 1;

      const mode = storeFailureModeOf(dependency, storeFailureModes);
      storeWarnings.warn(
        `${dependency} ${key}`,
        mode === 'fail-open'
          ? 'Token bucket unavailable, sending the call without this rate limit (fail-open)'
          : 'Token bucket unavailable, rejecting the call (fail-closed)',
        { dependency, key, error: error.message },
      );
      if (mode === 'fail-closed') {
        const retryAfterMs = RESILIENCE_LIMITS.circuitBreaker.storeUnavailableRetryAfterMs;
        throw new RateLimitStoreUnavailableError(dependency, key, retryAfterMs, error);
      }

      return { granted: true };
    }
  }

  return {
    call,
    get stats(): ResilienceStats {
      return {
        ...counters,
        dynamoRequests: options.breaker.dynamoRequests + options.buckets.dynamoRequests,
      };
    },
  };
}

/**
 * Returns true when a failed call requests a delay before it is tried again: one of this layer's "try
 * later" errors, or a provider 429 that states how long to wait. The processor defers the record then.
 */
function requestsDelay(error: unknown): boolean {
  return (
    deferDelayMs(error) !== undefined || (statusOf(error) === 429 && retryAfterMsOf(error) !== undefined)
  );
}

function traceFailureFlag(error: unknown, classify: FailureClassifier): TraceFailureFlag {
  if (statusOf(error) === 429) {
    return 'throttle';
  }

  return classify(error) === 'dependency-failure' ? 'fault' : 'error';
}
