import { loadAlarmNotifierConfig } from '../../lib/notify/alarm-notification';
import { createAlarmNotifierHandler } from './create-handler';

/** Lambda entry point of the alarm topic's Slack subscriber. */
export const handler = createAlarmNotifierHandler(loadAlarmNotifierConfig());
