/**
 * Turns the CloudWatch alarm notifications that the alarm topic delivers through SNS into `operations-alert`
 * Slack notifications on the notification queue. Only alarms that enter ALARM and match one of the alerts
 * of the template are forwarded: a dead-letter queue that is not empty, a circuit that stays open, and an
 * FX refresh that keeps failing. Other alarms and the return to OK reach the alarm topic's e-mail
 * subscribers only, because the template has no alert for them. The alarm notifier's settings are loaded
 * by `loadAlarmNotifierConfig` in lib/config.
 */

export { AlarmForwardingError, InvalidAlarmMessageError } from './errors';
export {
  type AlarmForwardingDependencies,
  type AlarmForwardingSummary,
  alarmNotification,
  forwardAlarmEvent,
} from './forward-alarm';
export {
  type AlarmMetric,
  type CloudWatchAlarmChange,
  largestReasonDatapoint,
  normalizeTimestamp,
  parseCloudWatchAlarm,
  type ReasonDatapoint,
} from './parse-alarm';
export { ALL_FX_PROVIDERS, type AlarmRouting, operationsAlertOf } from './route-alarm';
