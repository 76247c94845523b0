/**
 * The custom CloudWatch metrics that the functions emit as EMF lines, and that the CDK dashboards and
 * alarms read. Both sides import these names, so a renamed metric cannot leave a widget or an alarm
 * reading nothing.
 *
 * Dimensions are low-cardinality on purpose: a channel, a reason, a dependency such as `telegram`.
 * A chat id, user id or message id never becomes a dimension, because each distinct value is a new
 * metric that costs money and, for chat ids, identifies a person.
 */

/** Namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE). */
export const METRIC_NAMESPACE = 'Financy';

/** Metric names, by what they count. */
export const METRICS = {
  /** Webhook responses sent, by `channel` and `outcome` ({@link WebhookOutcome}). Unit: Count. */
  webhookRequests: 'WebhookRequests',
  /** Webhook requests rejected with a 4xx, by `channel` and `reason` ({@link WebhookRejectReason}). Unit: Count. */
  webhookRejected: 'WebhookRejected',
  /** Webhook requests that got 503 because the queue or the secret was unreachable, by `channel`. Unit: Count. */
  webhookUnavailable: 'WebhookUnavailable',
  /** Updates the processor finished, by `channel`. Unit: Count. */
  updatesProcessed: 'UpdatesProcessed',
  /**
   * Time from the webhook accepting an update to the processor finishing it, by `channel`. Unit:
   * Milliseconds.
   */
  processingLag: 'ProcessingLag',
  /** Circuits that opened, by `dependency`. Unit: Count. */
  circuitOpened: 'CircuitOpened',
  /** Circuits that closed after a good trial, by `dependency`. Unit: Count. */
  circuitClosed: 'CircuitClosed',
  /**
   * Attempts rejected by an open or full half-open circuit without reaching the provider, by `dependency`.
   * Rejections because the breaker's DynamoDB table failed are logged, not counted here. Unit: Count.
   */
  shortCircuitedCalls: 'ShortCircuitedCalls',
  /** Provider responses with HTTP 429 (too many requests), by `dependency`. Unit: Count. */
  providerRateLimited: 'ProviderRateLimited',
  /**
   * Calls that the resilience layer ended with a request to wait: an open circuit, an empty token bucket,
   * a retry delay beyond the call's budget, or a provider 429 with a delay. The processor gives each such
   * record back to the queue for that long. By `dependency`. Unit: Count.
   */
  callsDeferred: 'CallsDeferred',
} as const;

/** A metric name from {@link METRICS}. */
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** Values of the `outcome` dimension of {@link METRICS.webhookRequests}. */
export type WebhookOutcome = 'queued' | 'ignored' | 'rejected' | 'unavailable';

/** Values of the `reason` dimension of {@link METRICS.webhookRejected}. */
export type WebhookRejectReason = 'source-ip' | 'secret-token' | 'body-size' | 'json' | 'shape';

/** Dimension names used with the metrics above. */
export type MetricDimension = 'channel' | 'outcome' | 'reason' | 'dependency';

/** Units used with the metrics above, spelled as CloudWatch spells them. */
export type MetricUnit = 'Count' | 'Milliseconds';

/**
 * Destination of recorded metrics. The functions pass a Powertools-backed sink and unit tests pass a recorder.
 * Each call is one data point with its own dimensions, never merged with another call's dimensions.
 */
export interface MetricsSink {
  /**
   * Records one data point of `name` with exactly `dimensions` (dimensions left `undefined` are dropped).
   * `value` defaults to 1 and `unit` to `Count`. Implementations must not throw, because a lost data point
   * must not fail the request that produced it.
   */
  record(
    name: MetricName,
    dimensions: Partial<Record<MetricDimension, string>>,
    value?: number,
    unit?: MetricUnit,
  ): void;
}

/** A sink that drops every data point, the default where no sink is given. */
export const DISCARDING_METRICS: MetricsSink = { record: () => {} };
