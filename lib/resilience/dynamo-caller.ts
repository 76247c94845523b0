import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DISCARDING_METRICS, type MetricsSink } from '../observability/metric-names';
import { NO_TRACING, type Tracing } from '../observability/tracing';
import { type CircuitBreakerSettings, DynamoCircuitBreaker } from './circuit-breaker';
import type { ResilienceLogger } from './logger';
import { createResilientCaller, type ResilientCaller } from './resilient-call';
import { DynamoTokenBucket } from './token-bucket';

/** Options of {@link createDynamoResilientCaller}. */
export interface DynamoResilientCallerOptions {
  /** Client of the resilience table. */
  client: DynamoDBDocumentClient;
  /** Name of the resilience table, which contains breaker and bucket state. */
  tableName: string;
  logger: ResilienceLogger;
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Uniform random number in [0, 1) for the retry jitter. Default `Math.random`. */
  random?: () => number;
  /** Overrides of the breaker's thresholds and open time. */
  breakerSettings?: Partial<CircuitBreakerSettings>;
  /** Default: metrics are dropped. */
  metrics?: MetricsSink;
  /** Default: no trace subsegments. */
  tracing?: Tracing;
}

/**
 * Creates a resilient caller whose circuit breaker and token buckets live in the DynamoDB resilience table.
 * Create one per function instance, so the breaker's cache serves every invocation the instance runs.
 */
export function createDynamoResilientCaller(options: DynamoResilientCallerOptions): ResilientCaller {
  const { client, tableName, logger } = options;
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? DISCARDING_METRICS;

  return createResilientCaller({
    breaker: new DynamoCircuitBreaker({
      client,
      tableName,
      now,
      logger,
      settings: options.breakerSettings,
      metrics,
    }),
    buckets: new DynamoTokenBucket({ client, tableName, now, logger }),
    logger,
    now,
    sleep: options.sleep,
    random: options.random,
    metrics,
    tracing: options.tracing ?? NO_TRACING,
  });
}

/**
 * Returns a view of `caller` whose calls name `operation` unless they name their own, which completes the
 * trace subsegment name `<dependency>.<operation>` for callers that use one provider operation.
 */
export function withDefaultOperation(caller: ResilientCaller, operation: string): ResilientCaller {
  return {
    call: (options, run) => caller.call({ operation, ...options }, run),
    get stats() {
      return caller.stats;
    },
  };
}
