import { Duration } from 'aws-cdk-lib';
import { Metric, type MetricOptions, SearchExpression } from 'aws-cdk-lib/aws-cloudwatch';
import {
  METRIC_NAMESPACE,
  type MetricDimension,
  type MetricName,
} from '../../lib/observability/metric-names';

/**
 * Returns one of the functions' custom metrics as one function records it, for alarms, which need a
 * single time series.
 *
 * CloudWatch identifies a metric by its namespace, name and complete dimension set. The functions record
 * the dimensions that lib/observability/metric-names.ts lists, and Powertools Metrics adds `service`, the
 * recording function's POWERTOOLS_SERVICE_NAME, so the metric of each function is a series of its own.
 */
export function customMetric(
  metricName: MetricName,
  service: string,
  dimensions: Partial<Record<MetricDimension, string>>,
  options: MetricOptions = {},
): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service, ...dimensions },
    ...options,
  });
}

/** Options of {@link searchCustomMetric}. */
export interface SearchCustomMetricOptions {
  /** CloudWatch statistic, such as `Sum` or `p99`. */
  readonly statistic: string;
  /**
   * Aggregation period.
   * @default 1 minute
   */
  readonly period?: Duration;
  /**
   * Label prefix of the returned time series. Each series also carries its dimension values.
   * @default - the metric name
   */
  readonly label?: string;
  /**
   * Dimension values that every returned time series must have, such as `{ channel: 'whatsapp' }`. Each
   * becomes a `name="value"` term of the search, which matches the dimension's value exactly.
   * @default - none, so every dimension combination of the metric
   */
  readonly dimensions?: Partial<Record<MetricDimension, string>>;
}

/**
 * Returns a CloudWatch SEARCH expression for one of the functions' custom metrics, for dashboard graphs.
 * It draws one line per dimension combination that has data, so a new dependency such as `whatsapp`, a new
 * channel or a new reject reason appears without a change here. SEARCH cannot be used in alarms.
 *
 * The search names the namespace as a search term, not as a metric schema, so it finds the metric whatever
 * its dimension set, including the `service` dimension that Powertools adds.
 */
export function searchCustomMetric(
  metricName: MetricName,
  options: SearchCustomMetricOptions,
): SearchExpression {
  const period = options.period ?? Duration.minutes(1);
  const dimensionTerms = Object.entries(options.dimensions ?? {}).map(
    ([name, value]) => ` ${name}="${value}"`,
  );
  const query = `Namespace="${METRIC_NAMESPACE}" MetricName="${metricName}"${dimensionTerms.join('')}`;

  return new SearchExpression({
    expression: `SEARCH('${query}', '${options.statistic}', ${period.toSeconds()})`,
    label: options.label ?? metricName,
    period,
  });
}
