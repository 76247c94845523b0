import { loadTelegramWebhookConfig } from '../../lib/config';
import { createTelegramWebhookHandler } from './create-handler';

/** Lambda entry point of POST /webhooks/telegram. */
export const handler = createTelegramWebhookHandler(loadTelegramWebhookConfig());
