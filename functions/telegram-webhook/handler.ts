import { loadTelegramWebhookConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createTelegramWebhookHandler, TELEGRAM_WEBHOOK_SERVICE } from './create-handler';

/** Lambda entry point of POST /webhooks/telegram. */
export const handler = createTelegramWebhookHandler(loadTelegramWebhookConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: TELEGRAM_WEBHOOK_SERVICE }),
});
