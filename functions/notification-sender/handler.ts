import { loadNotificationSenderConfig } from '../../lib/config';
import { createNotificationSenderHandler } from './create-handler';

/** Lambda entry point of the notification queue's consumer. */
export const handler = createNotificationSenderHandler(loadNotificationSenderConfig());
