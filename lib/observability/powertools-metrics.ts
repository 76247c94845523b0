import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  METRIC_NAMESPACE,
  type MetricDimension,
  type MetricName,
  type MetricsSink,
  type MetricUnit,
} from './metric-names';

/** Logger for the sink's own warnings. Powertools Logger and `console` both fit. */
export interface MetricsWarningLogger {
  warn(message: string, ...extra: unknown[]): void;
}

/** Options of {@link PowertoolsMetricsSink}. */
export interface PowertoolsMetricsSinkOptions {
  /** Value of the `service` dimension that Powertools adds to every data point. */
  serviceName: string;
  /**
   * Receives each EMF document as one JSON line, for example to put it into the local stack's log file.
   * `POWERTOOLS_METRICS_DISABLED` and `POWERTOOLS_DEV` then have no effect.
   * @default Powertools' own console on `process.stdout`, which Lambda sends to CloudWatch Logs
   */
  writeLine?: (line: string) => void;
  /**
   * Receives warnings of Powertools and of data points that could not be recorded.
   * @default `console`
   */
  logger?: MetricsWarningLogger;
}

/**
 * {@link MetricsSink} that writes CloudWatch embedded metric format (EMF) documents through Powertools
 * Metrics, in the namespace {@link METRIC_NAMESPACE}. Each `record` call is one document with one metric
 * and only its own dimensions plus `service`, so data points never share dimensions.
 *
 * Powertools Metrics 2.36 prints EMF with a `Console` of its own on `process.stdout` (`Metrics.setConsole`),
 * which a caller cannot redirect. With `writeLine`, the sink therefore serializes the same document with
 * `serializeMetrics()` and hands it over itself.
 *
 * @example
 * const metrics = new PowertoolsMetricsSink({ serviceName: 'telegram-webhook' });
 * metrics.record(METRICS.webhookRequests, { channel: 'telegram', outcome: 'queued' });
 */
export class PowertoolsMetricsSink implements MetricsSink {
  readonly #metrics: Metrics;
  readonly #writeLine: ((line: string) => void) | undefined;
  readonly #logger: MetricsWarningLogger;

  constructor(options: PowertoolsMetricsSinkOptions) {
    this.#logger = options.logger ?? console;
    this.#writeLine = options.writeLine;
    this.#metrics = new Metrics({
      namespace: METRIC_NAMESPACE,
      serviceName: options.serviceName,
      logger: {
        debug: () => {},
        info: () => {},
        warn: (...args: unknown[]) => this.#logger.warn(String(args[0]), ...args.slice(1)),
        error: (...args: unknown[]) => this.#logger.warn(String(args[0]), ...args.slice(1)),
      },
    });
  }

  record(
    name: MetricName,
    dimensions: Partial<Record<MetricDimension, string>>,
    value = 1,
    unit: MetricUnit = 'Count',
  ): void {
    // Metrics are a side channel, so a data point that fails is logged and never fails the request.
    try {
      if (this.#writeLine === undefined) {
        const point = this.#metrics.singleMetric();
        addDimensions(point, dimensions);
        // A single-metric instance publishes as soon as its metric is added.
        point.addMetric(name, unit, value);
        return;
      }

      this.#writeDocument(name, dimensions, value, unit, this.#writeLine);
    } catch (error) {
      this.#logger.warn('Could not record metric', {
        metric: name,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  #writeDocument(
    name: MetricName,
    dimensions: Partial<Record<MetricDimension, string>>,
    value: number,
    unit: MetricUnit,
    writeLine: (line: string) => void,
  ): void {
    try {
      addDimensions(this.#metrics, dimensions);
      this.#metrics.addMetric(name, unit, value);
      writeLine(JSON.stringify(this.#metrics.serializeMetrics()));
    } finally {
      this.#metrics.clearMetrics();
      this.#metrics.clearDimensions();
    }
  }
}

function addDimensions(metrics: Metrics, dimensions: Partial<Record<MetricDimension, string>>): void {
  for (const [dimension, value] of Object.entries(dimensions)) {
    if (value !== undefined) {
      metrics.addDimension(dimension, value);
    }
  }
}
