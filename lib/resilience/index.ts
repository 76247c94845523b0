/**
 * Resilience layer for outbound calls: a circuit breaker and token buckets whose state every Lambda
 * instance shares through DynamoDB, retries with backoff, and a caller that composes them.
 */

export type { BreakerPermit, CircuitBreakerOptions, CircuitBreakerSettings } from './circuit-breaker';
export { DynamoCircuitBreaker } from './circuit-breaker';
export {
  createDynamoResilientCaller,
  type DynamoResilientCallerOptions,
  withDefaultOperation,
} from './dynamo-caller';
export {
  BreakerStoreUnavailableError,
  CircuitOpenError,
  type CircuitState,
  DeferCallError,
  deferDelayMs,
  InvalidResilienceOptionError,
  isRejectedByResilience,
  RateLimitStoreUnavailableError,
  RetryBudgetExceededError,
} from './errors';
export {
  classifyFailure,
  type FailureClass,
  type FailureClassifier,
  mayHaveTakenEffect,
  retryAfterMsOf,
  statusOf,
} from './failure';
export {
  type KeyedRateLimit,
  quota,
  type RateLimit,
  type RateLimitName,
  type RateLimitWindow,
  RESILIENCE_LIMITS,
  rate,
  rateLimitsFor,
  type StoreFailureMode,
  storeFailureModeOf,
} from './limits';
export { type ResilienceLogger, SILENT_LOGGER } from './logger';
export {
  type CircuitBreaker,
  createResilientCaller,
  type ResilienceStats,
  type ResilientCaller,
  type ResilientCallerOptions,
  type ResilientCallOptions,
  type TokenBuckets,
} from './resilient-call';
export { backoffDelayMs, type RetryEvent, type RetryOptions, retryWithBackoff, sleep } from './retry';
export { parseGoDuration, parseRetryAfter, parseRetryAfterMs } from './retry-after';
export { DynamoTokenBucket, type TakeResult, type TokenBucketOptions } from './token-bucket';
