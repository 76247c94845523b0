import { PROCESSOR_SERVICE } from '../../../functions/message-processor/create-handler';
import { TELEGRAM_WEBHOOK_SERVICE } from '../../../functions/telegram-webhook/create-handler';
import { SERVICE_NAMES } from '../../../infra/definitions';

// Alarms select custom metrics by their `service` dimension, which the functions set from these names.
describe('function service names', () => {
  it('match the webhook name of the stack', () => {
    expect(TELEGRAM_WEBHOOK_SERVICE).toBe(SERVICE_NAMES.telegramWebhook);
  });

  it('match the processor name of the stack', () => {
    expect(PROCESSOR_SERVICE).toBe(SERVICE_NAMES.messageProcessor);
  });
});
