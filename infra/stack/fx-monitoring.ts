import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  Color,
  ComparisonOperator,
  GraphWidget,
  type IWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRICS } from '../../lib/observability/metric-names';
import { SERVICE_NAMES } from '../definitions';
import { customMetric, searchCustomMetric } from './custom-metrics';

/** Thresholds of {@link FxMonitoring}, with the reasoning behind each default. */
export const FX_ALARM_THRESHOLDS = {
  /**
   * Age of the stalest stored rate, in seconds, that counts as stale. Rates are cached for 1 hour and served
   * stale for up to 30 minutes more while a refresh runs, so after 90 minutes they are past their use.
   */
  ratesStaleSeconds: 5_400,
  /**
   * Consecutive hours with at least one failed refresh before the errors alarm fires. The refresh runs once
   * an hour and Lambda retries a failed run twice, so one failing hour can be a provider's short outage,
   * and two mean the fallbacks failed as well.
   */
  refreshErrorHours: 2,
} as const;

const ONE_HOUR = Duration.hours(1);

/** Properties of {@link FxMonitoring}. */
export interface FxMonitoringProps {
  /** The FX refresh function. */
  readonly refreshFunction: IFunction;
}

/**
 * The alarms and dashboard widgets of the FX refresh. The stale-rates alarm reads `FxRatesAge`, which the
 * refresh records once an hour, and treats an hour without a data point as stale, because a refresh that
 * cannot read the rate table, or does not run at all, records none. The errors alarm reads the function's
 * Lambda `Errors`, which also counts failures before the function could record any metric.
 */
export class FxMonitoring extends Construct {
  /** The stalest rate is older than {@link FX_ALARM_THRESHOLDS.ratesStaleSeconds}. */
  readonly ratesStale: Alarm;
  /** The refresh failed in {@link FX_ALARM_THRESHOLDS.refreshErrorHours} consecutive hours. */
  readonly refreshErrors: Alarm;
  /** Widgets of the dashboard's FX section. */
  readonly widgets: IWidget[];

  constructor(scope: Construct, id: string, props: FxMonitoringProps) {
    super(scope, id);
    const stackName = Stack.of(this).stackName;

    this.ratesStale = new Alarm(this, 'RatesStaleAlarm', {
      alarmName: `${stackName}-fx-rates-stale`,
      alarmDescription:
        `The stalest stored exchange rate is older than ${FX_ALARM_THRESHOLDS.ratesStaleSeconds / 60} minutes, or ` +
        'the hourly FX refresh recorded no rate age, so conversions use old rates. ' +
        'Runbook: docs/operations.md, "FX rates stale".',
      metric: customMetric(
        METRICS.fxRatesAge,
        SERVICE_NAMES.fxRefresh,
        {},
        {
          period: ONE_HOUR,
          statistic: 'Maximum',
        },
      ),
      threshold: FX_ALARM_THRESHOLDS.ratesStaleSeconds,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.BREACHING,
    });

    this.refreshErrors = new Alarm(this, 'RefreshErrorsAlarm', {
      alarmName: `${stackName}-fx-refresh-errors`,
      alarmDescription:
        `The FX refresh failed in each of the last ${FX_ALARM_THRESHOLDS.refreshErrorHours} hours: no provider ` +
        'gave a usable rate, or the rate table was unreachable. Runbook: docs/operations.md, "FX refresh errors".',
      metric: props.refreshFunction.metricErrors({ period: ONE_HOUR, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: FX_ALARM_THRESHOLDS.refreshErrorHours,
      datapointsToAlarm: FX_ALARM_THRESHOLDS.refreshErrorHours,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    this.widgets = fxWidgets(props.refreshFunction);
  }

  /** Every alarm of this construct. */
  get alarms(): Alarm[] {
    return [this.ratesStale, this.refreshErrors];
  }
}

function fxWidgets(refreshFunction: IFunction): IWidget[] {
  return [
    new GraphWidget({
      title: 'Age of the stalest exchange rate (s)',
      left: [searchCustomMetric(METRICS.fxRatesAge, { statistic: 'Maximum', period: ONE_HOUR })],
      leftAnnotations: [{ value: FX_ALARM_THRESHOLDS.ratesStaleSeconds, label: 'Stale', color: Color.RED }],
      width: 6,
      height: 6,
    }),
    new GraphWidget({
      title: 'FX refreshes by outcome',
      left: [searchCustomMetric(METRICS.fxRefreshes, { statistic: 'Sum', period: ONE_HOUR })],
      width: 6,
      height: 6,
    }),
    new GraphWidget({
      title: 'FX provider requests by provider and outcome',
      left: [searchCustomMetric(METRICS.fxProviderRequests, { statistic: 'Sum', period: ONE_HOUR })],
      width: 6,
      height: 6,
    }),
    new GraphWidget({
      title: 'FX refresh invocations and errors',
      left: [
        refreshFunction.metricInvocations({ statistic: 'Sum', period: ONE_HOUR, label: 'Invocations' }),
        refreshFunction.metricErrors({
          statistic: 'Sum',
          period: ONE_HOUR,
          label: 'Errors',
          color: Color.RED,
        }),
      ],
      width: 6,
      height: 6,
    }),
  ];
}
