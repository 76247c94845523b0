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

  /**
   * Returns the sum of the values of `name` recorded with exactly `dimensions`, dimensions left
   * `undefined` dropped on both sides. For a Count metric recorded once per event, that is the event count.
   */
  count(name: MetricName, dimensions: Partial<Record<MetricDimension, string>> = {}): number {
    const expected = dimensionKey(dimensions);

    return this.named(name)
      .filter((point) => dimensionKey(point.dimensions) === expected)
      .reduce((total, point) => total + point.value, 0);
  }
}

function dimensionKey(dimensions: Partial<Record<string, string>>): string {
  return Object.entries(dimensions)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dimension, value]) => `${dimension}=${value}`)
    .join(' ');
}
