/**
 * Custom metrics of the notification functions. Dimensions are low-cardinality on purpose: a kind, a skip
 * reason, an outcome. An address, a user id or a message id never becomes a dimension.
 * NOTE: these names live here, not in lib/observability/metric-names.ts, until the CDK stack builds alarms
 * and dashboards on them; move them there together with that change.
 */
export const NOTIFY_METRICS = {
  /** Notifications that a provider accepted, by `kind`. Unit: Count. */
  notificationsSent: 'NotificationsSent',
  /** Notifications not sent on purpose, by `kind` and `reason` (a skip reason or `duplicate`). Unit: Count. */
  notificationsSkipped: 'NotificationsSkipped',
  /** Notification records that failed and go back to the queue, by `kind` and `reason`. Unit: Count. */
  notificationsFailed: 'NotificationsFailed',
  /** SES feedback entries handled, by `outcome` ({@link FeedbackOutcome}). Unit: Count. */
  sesFeedback: 'SesFeedback',
  /** Addresses newly added to the suppression table, by `reason`. Unit: Count. */
  addressesSuppressed: 'AddressesSuppressed',
} as const;

/** A metric name from {@link NOTIFY_METRICS}. */
export type NotifyMetricName = (typeof NOTIFY_METRICS)[keyof typeof NOTIFY_METRICS];

/** Dimension names used with the metrics above. */
export type NotifyMetricDimension = 'kind' | 'reason' | 'outcome';

/** Destination of the notification metrics: Powertools in the functions, a recorder in tests. */
export interface NotifyMetricsSink {
  /** Records one count of `name` with its own dimensions. */
  record(name: NotifyMetricName, dimensions: Partial<Record<NotifyMetricDimension, string>>): void;
}

/** A sink that keeps counts in memory, keyed `<name> <dimension>=<value> …` with dimensions sorted. */
export class RecordingNotifyMetrics implements NotifyMetricsSink {
  readonly counts = new Map<string, number>();

  record(name: NotifyMetricName, dimensions: Partial<Record<NotifyMetricDimension, string>>): void {
    const key = RecordingNotifyMetrics.key(name, dimensions);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Returns how often `name` was recorded with exactly these dimensions. */
  count(name: NotifyMetricName, dimensions: Partial<Record<NotifyMetricDimension, string>> = {}): number {
    return this.counts.get(RecordingNotifyMetrics.key(name, dimensions)) ?? 0;
  }

  static key(name: string, dimensions: Partial<Record<string, string>>): string {
    const parts = Object.entries(dimensions)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([dimension, value]) => `${dimension}=${value}`);

    return [name, ...parts].join(' ');
  }
}

/** The Powertools operations {@link powertoolsNotifyMetrics} uses. */
export interface SingleMetricSource {
  singleMetric(): {
    addDimension(name: string, value: string): unknown;
    addMetric(name: string, unit: 'Count', value: number): unknown;
  };
}

/**
 * Returns a sink that writes each count as its own EMF line through Powertools `singleMetric`, so that the
 * dimensions of one data point never mix with another's.
 */
export function powertoolsNotifyMetrics(metrics: SingleMetricSource): NotifyMetricsSink {
  return {
    record(name, dimensions) {
      const single = metrics.singleMetric();
      for (const [dimension, value] of Object.entries(dimensions)) {
        if (value !== undefined) {
          single.addDimension(dimension, value);
        }
      }
      single.addMetric(name, 'Count', 1);
    },
  };
}
