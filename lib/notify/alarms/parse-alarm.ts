import { InvalidAlarmMessageError } from './errors';

/**
 * Reads the CloudWatch alarm message that the alarm topic delivers through SNS, and the datapoints that its
 * state reason quotes.
 */

/** One metric that an alarm watches, as the alarm message names it. */
export interface AlarmMetric {
  namespace?: string;
  metricName?: string;
  dimensions: Readonly<Record<string, string>>;
}

/** A CloudWatch alarm state change, reduced to what the alerts need. */
export interface CloudWatchAlarmChange {
  alarmName: string;
  /** `ALARM`, `OK` or `INSUFFICIENT_DATA`. */
  newState: string;
  /** CloudWatch's explanation, such as `Threshold Crossed: 1 datapoint [3.0 (18/03/26 12:00:00)] was ...`. */
  reason: string;
  /** Time of the state change as a UTC ISO 8601 timestamp. */
  stateChangeTime: string;
  /** The alarm's metric, or every metric of its math expression. */
  metrics: AlarmMetric[];
  periodSeconds?: number;
  evaluationPeriods?: number;
  threshold?: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Json, key: string): string | undefined {
  const value = object[key];

  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalNumber(object: Json, key: string): number | undefined {
  const value = object[key];

  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Returns a CloudWatch timestamp such as `2026-03-18T12:00:03.123+0000` as `2026-03-18T12:00:03.123Z`, or
 * `undefined` when it is not a timestamp. CloudWatch writes the offset without a colon, which ISO 8601
 * parsers do not all accept.
 */
export function normalizeTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }

  const withColon = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const epochMs = Date.parse(withColon);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(epochMs)) {
    return undefined;
  }

  return new Date(epochMs).toISOString();
}

function readDimensions(value: unknown): Record<string, string> {
  const dimensions: Record<string, string> = {};
  if (!Array.isArray(value)) {
    return dimensions;
  }

  for (const entry of value) {
    if (!isObject(entry)) {
      continue;
    }
    // Alarm messages spell the keys `name` and `value`. The API's capitalized spelling is accepted as well.
    const name = optionalString(entry, 'name') ?? optionalString(entry, 'Name');
    const dimensionValue = optionalString(entry, 'value') ?? optionalString(entry, 'Value');
    if (name !== undefined && dimensionValue !== undefined) {
      dimensions[name] = dimensionValue;
    }
  }

  return dimensions;
}

function readMetrics(trigger: Json): AlarmMetric[] {
  // A single-metric alarm names its metric in the trigger itself.
  const single = {
    namespace: optionalString(trigger, 'Namespace'),
    metricName: optionalString(trigger, 'MetricName'),
    dimensions: readDimensions(trigger.Dimensions),
  };
  const metrics: AlarmMetric[] = single.metricName === undefined ? [] : [single];

  // A math-expression alarm lists its queries, and those with a MetricStat name a metric.
  for (const query of Array.isArray(trigger.Metrics) ? trigger.Metrics : []) {
    const metric = isObject(query) && isObject(query.MetricStat) ? query.MetricStat.Metric : undefined;
    if (isObject(metric)) {
      metrics.push({
        namespace: optionalString(metric, 'Namespace'),
        metricName: optionalString(metric, 'MetricName'),
        dimensions: readDimensions(metric.Dimensions),
      });
    }
  }

  return metrics;
}

/**
 * Reads the CloudWatch alarm message that SNS delivers as a record's `Message`. CloudWatch may add fields at
 * any time, so unknown fields are ignored, and a missing `Trigger` leaves the metric list empty.
 * @param fallbackTime - timestamp used when `StateChangeTime` is missing or unreadable, such as the SNS
 *   record's `Timestamp`.
 * @throws {InvalidAlarmMessageError} when the message is not JSON or has no alarm name or new state.
 */
export function parseCloudWatchAlarm(message: string, fallbackTime?: string): CloudWatchAlarmChange {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    throw new InvalidAlarmMessageError('Message', 'is not valid JSON');
  }
  if (!isObject(value)) {
    throw new InvalidAlarmMessageError('Message', 'is not a JSON object');
  }

  const alarmName = optionalString(value, 'AlarmName');
  if (alarmName === undefined) {
    throw new InvalidAlarmMessageError('AlarmName', 'is missing or empty');
  }
  const newState = optionalString(value, 'NewStateValue');
  if (newState === undefined) {
    throw new InvalidAlarmMessageError('NewStateValue', 'is missing or empty');
  }
  const stateChangeTime =
    normalizeTimestamp(optionalString(value, 'StateChangeTime')) ?? normalizeTimestamp(fallbackTime);
  if (stateChangeTime === undefined) {
    throw new InvalidAlarmMessageError('StateChangeTime', 'is missing or not a timestamp');
  }
  const trigger = isObject(value.Trigger) ? value.Trigger : {};

  return {
    alarmName,
    newState,
    reason: optionalString(value, 'NewStateReason') ?? '',
    stateChangeTime,
    metrics: readMetrics(trigger),
    periodSeconds: optionalNumber(trigger, 'Period'),
    evaluationPeriods: optionalNumber(trigger, 'EvaluationPeriods'),
    threshold: optionalNumber(trigger, 'Threshold'),
  };
}

/** A datapoint that the state reason quotes: its value and, when readable, its time. */
export interface ReasonDatapoint {
  value: number;
  /** Epoch milliseconds of the datapoint, read from CloudWatch's `dd/MM/yy HH:mm:ss` UTC form. */
  epochMs: number;
}

/**
 * Returns the largest datapoint that a state reason quotes, such as `3` from
 * `Threshold Crossed: 1 out of the last 1 datapoints [3.0 (18/03/26 11:59:00)] was ...`, or `undefined` when
 * the reason quotes none.
 */
export function largestReasonDatapoint(reason: string): ReasonDatapoint | undefined {
  const pattern = /(-?\d+(?:\.\d+)?(?:E[+-]?\d+)?) \((\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\)/gi;
  let largest: ReasonDatapoint | undefined;
  for (const match of reason.matchAll(pattern)) {
    const [value, day, month, year, hour, minute, second] = match.slice(1).map(Number) as number[];
    const datapoint = {
      value: value!,
      epochMs: Date.UTC(2000 + year!, month! - 1, day!, hour!, minute!, second!),
    };
    if (Number.isFinite(datapoint.value) && (largest === undefined || datapoint.value > largest.value)) {
      largest = datapoint;
    }
  }

  return largest;
}
