import { loadWhatsAppWebhookConfig } from '../../lib/config';
import { PowertoolsMetricsSink } from '../../lib/observability/powertools-metrics';
import { createWhatsAppWebhookHandler, WHATSAPP_WEBHOOK_SERVICE } from './create-handler';

export { WHATSAPP_WEBHOOK_SERVICE };

/** Lambda entry point of GET and POST /webhooks/whatsapp. */
export const handler = createWhatsAppWebhookHandler(loadWhatsAppWebhookConfig(), {
  metrics: new PowertoolsMetricsSink({ serviceName: WHATSAPP_WEBHOOK_SERVICE }),
});
