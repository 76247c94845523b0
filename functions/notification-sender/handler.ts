import { loadNotificationSenderConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createNotificationSenderHandler, NOTIFICATION_SENDER_SERVICE } from './create-handler';

/** Lambda entry point of the notification queue's consumer. */
export const handler = createNotificationSenderHandler(loadNotificationSenderConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: NOTIFICATION_SENDER_SERVICE }),
});
