import { ALARM_NOTIFIER_SERVICE } from '../../functions/alarm-notifier/create-handler';
import { FX_REFRESH_SERVICE } from '../../functions/fx-refresh/create-handler';
import { NOTIFICATION_SENDER_SERVICE } from '../../functions/notification-sender/create-handler';
import { SES_FEEDBACK_SERVICE } from '../../functions/ses-feedback/create-handler';
import { WEEKLY_SUMMARY_SERVICE } from '../../functions/weekly-summary/create-handler';
import { WHATSAPP_WEBHOOK_SERVICE } from '../../functions/whatsapp-webhook/create-handler';
import { SERVICE_NAMES } from '../../infra/definitions';

// Alarms select custom metrics by the `service` dimension, which each function sets from its own constant,
// while the stack sets POWERTOOLS_SERVICE_NAME from SERVICE_NAMES.
describe('service names of the scheduled, notification and WhatsApp functions', () => {
  it.each([
    ['fxRefresh', FX_REFRESH_SERVICE],
    ['notificationSender', NOTIFICATION_SENDER_SERVICE],
    ['sesFeedback', SES_FEEDBACK_SERVICE],
    ['weeklySummary', WEEKLY_SUMMARY_SERVICE],
    ['alarmNotifier', ALARM_NOTIFIER_SERVICE],
    ['whatsappWebhook', WHATSAPP_WEBHOOK_SERVICE],
  ] as const)('match SERVICE_NAMES.%s', (key, serviceName) => {
    expect(SERVICE_NAMES[key]).toBe(serviceName);
  });
});
