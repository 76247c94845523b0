import type {
  MetricDimension,
  MetricName,
  MetricsSink,
  MetricUnit,
} from '../../../lib/observability/metric-names';

/** One recorded data point. */
export interface MetricPoint {
  name: MetricName;
  dimensions: Partial<Record<MetricDimension, string>>;
  value: number;
  unit: MetricUnit;
}

/** A {@link MetricsSink} that keeps every data point for assertions. */
export class RecordingMetrics implements MetricsSink {
  readonly points: MetricPoint[];

  constructor(points: MetricPoint[] = []) {
    this.points = points;
  }

  record(
    name: MetricName,
    dimensions: Partial<Record<MetricDimension, string>>,
    value = 1,
    unit: MetricUnit = 'Count',
  ): void {
    this.points.push({ name, dimensions: { ...dimensions }, value, unit });
  }

  /** Returns the points of one metric. */
  named(name: MetricName): MetricPoint[] {
    return this.points.filter((point) => point.name === name);
  }
}
