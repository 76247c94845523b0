/**
 * The custom CloudWatch metrics that the functions emit as EMF lines, and that the CDK dashboards and
 * alarms read. Both sides import these names, so a renamed metric cannot leave a widget or an alarm
 * reading nothing.
 *
 * Dimensions are low-cardinality on purpose: a channel, a reason, a dependency such as `telegram`, a
 * notification kind, an FX provider. A chat id, user id, e-mail address, phone number, message id or API
 * key never becomes a dimension, because each distinct value is a new metric that costs money and, for
 * ids and addresses, identifies a person.
 */

/** Namespace of every custom metric (POWERTOOLS_METRICS_NAMESPACE). */
export const METRIC_NAMESPACE = 'Financy';

/** Metric names, by what they count. */
export const METRICS = {
  /** Webhook responses sent, by `channel` and `outcome` ({@link WebhookOutcome}). Unit: Count. */
  webhookRequests: 'WebhookRequests',
  /** Webhook requests rejected with a 4xx, by `channel` and `reason` ({@link WebhookRejectReason}). Unit: Count. */
  webhookRejected: 'WebhookRejected',
  /**
   * Webhook requests that got a 5xx response so that the sender delivers them again, by `channel`: 503 when the
   * queue or the secret was unreachable, 500 when some items of a WhatsApp POST could not be queued. Unit: Count.
   */
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
  /** Notifications that a provider accepted, by `kind` ({@link NotificationKindDimension}). Unit: Count. */
  notificationsSent: 'NotificationsSent',
  /**
   * Notifications not sent on purpose, by `kind` and `reason` ({@link NotificationSkipReason}). Unit:
   * Count.
   */
  notificationsSkipped: 'NotificationsSkipped',
  /**
   * Notification records that failed and go back to the queue, by `kind` and `reason`
   * ({@link NotificationFailureReason}). Unit: Count.
   */
  notificationsFailed: 'NotificationsFailed',
  /** SES feedback entries handled, by `outcome` ({@link SesFeedbackOutcome}). Unit: Count. */
  sesFeedback: 'SesFeedback',
  /** Addresses newly added to the suppression table, by `reason` ({@link SuppressionReasonDimension}). Unit: Count. */
  addressesSuppressed: 'AddressesSuppressed',
  /**
   * HTTP requests sent to an FX provider in one refresh, retries included, by `provider` and `outcome`
   * ({@link FxProviderOutcome}, the provider's part in that refresh). fx-refresh records one data point per
   * configured provider and refresh, with the value 0 for a provider it skipped, so the monthly sum per
   * provider is the quota used. Unit: Count.
   */
  fxProviderRequests: 'FxProviderRequests',
  /** FX refreshes that ended, by `outcome` ({@link FxRefreshOutcome}). Unit: Count. */
  fxRefreshes: 'FxRefreshes',
  /**
   * Age of the oldest stored exchange rate after a refresh: the time since the stalest currency's rate
   * was fetched. fx-refresh records it after every refresh that could read the store, failed refreshes
   * included, so the value keeps growing while the providers fail. A refresh that cannot read the rate
   * table, or finds no rate stored, records none. An alarm on it should therefore treat missing data as
   * breaching. Unit: Seconds.
   */
  fxRatesAge: 'FxRatesAge',
  /**
   * Prompt tokens of one AI call as the provider reported them, by `provider`, `model` and `operation`
   * (`AiOperation` in lib/ai/usage.ts). Recorded only for calls billed by token. Unit: Count.
   */
  aiInputTokens: 'AiInputTokens',
  /** Completion tokens of one AI call, by `provider`, `model` and `operation`. Unit: Count. */
  aiOutputTokens: 'AiOutputTokens',
  /**
   * Seconds of audio that one transcription call sent, before the provider's billing rounding, by
   * `provider`, `model` and `operation`. Unit: Seconds.
   */
  aiAudioSeconds: 'AiAudioSeconds',
  /** Images that one OCR call sent, by `provider`, `model` and `operation`. Unit: Count. */
  aiImages: 'AiImages',
  /**
   * Cost of one AI call at the list prices of lib/ai/pricing.ts, in US dollars, by `provider`, `model` and
   * `operation`. Its SampleCount is the number of calls. Unit: None (US dollars).
   */
  aiCostUsd: 'AiCostUsd',
  /**
   * AI cost of one invocation: the sum of its {@link METRICS.aiCostUsd} values, recorded once per
   * invocation, including invocations that called no AI (value 0). It has no dimension besides
   * `service`, so alarms can read it as one series per function. Unit: None (US dollars).
   */
  aiInvocationCostUsd: 'AiInvocationCostUsd',
  /**
   * AI calls replaced by the local parser or offline OCR, by `operation` and `reason`
   * ({@link AiFallbackReason}). Unit: Count.
   */
  aiFallbacks: 'AiFallbacks',
} as const;

/** A metric name from {@link METRICS}. */
export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/**
 * Values of the `outcome` dimension of {@link METRICS.webhookRequests}. `verified` is a WhatsApp GET
 * subscription handshake whose challenge was returned.
 */
export type WebhookOutcome = 'queued' | 'ignored' | 'rejected' | 'unavailable' | 'verified';

/**
 * Values of the `reason` dimension of {@link METRICS.webhookRejected}. WhatsApp adds `signature` (missing or
 * wrong X-Hub-Signature-256), `subscription` (a GET handshake with a wrong verify token or parameters) and
 * `method` (neither GET nor POST).
 */
export type WebhookRejectReason =
  | 'source-ip'
  | 'secret-token'
  | 'body-size'
  | 'json'
  | 'shape'
  | 'signature'
  | 'subscription'
  | 'method';

/** Values of the `kind` dimension of the notification metrics; `unknown` for a record that is not readable. */
export type NotificationKindDimension = 'email' | 'push' | 'sms' | 'slack' | 'unknown';

/**
 * Values of the `reason` dimension of {@link METRICS.notificationsSkipped}: the sender's skip reasons and
 * `duplicate` for an idempotency key that was sent before.
 */
export type NotificationSkipReason =
  | 'suppressed'
  | 'ses-account-suppressed'
  | 'push-channel-disabled'
  | 'endpoint-disabled'
  | 'duplicate';

/**
 * Values of the `reason` dimension of {@link METRICS.notificationsFailed}: `invalid` for an unreadable
 * record, `rejected` for a provider rejection that a retry cannot fix, `deferred` for a record given back to
 * the queue with a delay, `error` for any other failure.
 */
export type NotificationFailureReason = 'invalid' | 'rejected' | 'deferred' | 'error';

/** Values of the `outcome` dimension of {@link METRICS.sesFeedback}. */
export type SesFeedbackOutcome =
  | 'hard-bounce'
  | 'soft-bounce'
  | 'undetermined-bounce'
  | 'duplicate-soft-bounce'
  | 'already-suppressed'
  | 'complaint'
  | 'delivery'
  | 'ignored'
  | 'malformed';

/** Values of the `reason` dimension of {@link METRICS.addressesSuppressed}. */
export type SuppressionReasonDimension =
  | 'hard-bounce'
  | 'complaint'
  | 'soft-bounce-limit'
  | 'ses-account-suppression-list';

/** Values of the `provider` dimension of the FX metrics: the FX_PROVIDERS ids. */
export type FxProviderDimension = 'exchangerate-api' | 'frankfurter' | 'currency-api';

/**
 * Values of the `outcome` dimension of {@link METRICS.fxProviderRequests}: the provider returned rates that
 * were still needed (`used`), returned a valid response without any of them (`unused`), failed, was
 * skipped after a configuration failure (`disabled`), or was skipped because earlier providers returned
 * every rate (`not-needed`).
 */
export type FxProviderOutcome = 'used' | 'unused' | 'failed' | 'disabled' | 'not-needed';

/**
 * Values of the `outcome` dimension of {@link METRICS.fxRefreshes}: every currency got a new rate
 * (`complete`), some did not (`partial`), no provider gave a usable rate (`failed`), or the refresh threw
 * before it had a result, for example because the rate table was unreachable (`error`).
 */
export type FxRefreshOutcome = 'complete' | 'partial' | 'failed' | 'error';

/**
 * Values of the `reason` dimension of {@link METRICS.aiFallbacks}: the user's daily AI budget is spent
 * (`budget`), the provider's circuit is open (`breaker-open`), the provider's quota or rate limit was hit
 * (`quota`), the call failed (`error`), or the response could not be used (`invalid-answer`).
 */
export type AiFallbackReason = 'budget' | 'breaker-open' | 'quota' | 'error' | 'invalid-answer';

/** Dimension names used with the metrics above. */
export type MetricDimension =
  | 'channel'
  | 'outcome'
  | 'reason'
  | 'dependency'
  | 'kind'
  | 'provider'
  | 'model'
  | 'operation';

/**
 * Units used with the metrics above, spelled as CloudWatch spells them. CloudWatch has no currency unit, so
 * amounts in US dollars use `None`.
 */
export type MetricUnit = 'Count' | 'Milliseconds' | 'Seconds' | 'None';

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
