import { loadAlarmNotifierConfig } from '../../lib/config';
import { createAlarmNotifierHandler } from './create-handler';

/** Lambda entry point of the alarm topic's Slack subscriber. */
export const handler = createAlarmNotifierHandler(loadAlarmNotifierConfig());
