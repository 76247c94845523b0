/**
 * Queue and function settings shared by the CDK stack and the local stack, so both behave alike.
 */

/**
 * How long the processor may run per batch. A voice note sent to Amazon Transcribe may wait up to its
 * 25-s job deadline (TRANSCRIBE_DEADLINE_MS), and a receipt or Whisper call takes seconds, so a batch with
 * one of them and other records needs more than 30 s. It must stay below the 90-s lease of an event's
 * idempotency claim in lib/processor/handle-event.ts, so that a claim expires only when its holder is gone.
 */
export const PROCESSOR_TIMEOUT_SECONDS = 60;

/** Records per SQS batch handed to the processor. */
export const PROCESSOR_BATCH_SIZE = 10;

/**
 * Inbound queue settings. AWS recommends a visibility timeout of at least six times the function timeout
 * for SQS event sources, so a batch that is being retried by Lambda is not delivered twice.
 */
export const INBOUND_QUEUE = {
  name: 'inbound.fifo',
  deadLetterName: 'inbound-dlq.fifo',
  visibilityTimeoutSeconds: PROCESSOR_TIMEOUT_SECONDS * 6,
  /** Deliveries before a record moves to the dead-letter queue. */
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/**
 * How long the notification sender may run per batch. It must stay below the 120-s lease of a notification's
 * idempotency claim in lib/notify, so that a send still running holds its claim until the invocation ends.
 */
export const NOTIFICATION_SENDER_TIMEOUT_SECONDS = 60;

/** Records per SQS batch handed to the notification sender, which sends them one after another. */
export const NOTIFICATION_SENDER_BATCH_SIZE = 10;

/**
 * Notification queue settings: a standard queue, because notifications need no order and the sender sends
 * each idempotency key once. The visibility timeout is six times the sender's timeout, as for the inbound
 * queue.
 */
export const NOTIFICATION_QUEUE = {
  name: 'notifications',
  deadLetterName: 'notifications-dlq',
  visibilityTimeoutSeconds: NOTIFICATION_SENDER_TIMEOUT_SECONDS * 6,
  /** Deliveries before a notification moves to the dead-letter queue. */
  maxReceiveCount: 5,
  deadLetterRetentionDays: 14,
} as const;

/** Entry files of the Lambda functions, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  telegramWebhook: 'functions/telegram-webhook/handler.ts',
  messageProcessor: 'functions/message-processor/handler.ts',
  telegramRegisterWebhook: 'functions/telegram-register-webhook/handler.ts',
  fxRefresh: 'functions/fx-refresh/handler.ts',
  notificationSender: 'functions/notification-sender/handler.ts',
  sesFeedback: 'functions/ses-feedback/handler.ts',
  weeklySummary: 'functions/weekly-summary/handler.ts',
  alarmNotifier: 'functions/alarm-notifier/handler.ts',
  whatsappWebhook: 'functions/whatsapp-webhook/handler.ts',
} as const;

/** Update types the bot subscribes to with setWebhook. */
export const TELEGRAM_ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;

/**
 * Largest webhook request body that the webhook functions accept (WEBHOOK_MAX_BODY_BYTES), 1 MiB. Larger
 * bodies get 413. A Telegram update is usually a few kilobytes, because a message text has at most 4,096
 * characters. The limits in front of the function are higher: API Gateway HTTP APIs have a fixed payload
 * limit of 10 MB, and Lambda accepts up to 6 MB per synchronous invocation. The stack sets the value
 * explicitly, although the function's own default is the same, so the template shows the limit in force.
 */
export const WEBHOOK_MAX_BODY_BYTES = 1_048_576;

/**
 * Largest media file in bytes that the processor downloads from WhatsApp (WHATSAPP_MAX_MEDIA_BYTES), 16 MiB,
 * the processor's own default. The stack sets the value explicitly, so the template shows the limit in force.
 */
export const WHATSAPP_MAX_MEDIA_BYTES = 16 * 1_048_576;

/**
 * Powertools service names of the functions (POWERTOOLS_SERVICE_NAME). Powertools Metrics records the
 * service name as the `service` dimension of every custom metric, so alarms on those metrics need it.
 */
export const SERVICE_NAMES = {
  telegramWebhook: 'telegram-webhook',
  messageProcessor: 'message-processor',
  telegramRegisterWebhook: 'telegram-register-webhook',
  fxRefresh: 'fx-refresh',
  notificationSender: 'notification-sender',
  sesFeedback: 'ses-feedback',
  weeklySummary: 'weekly-summary',
  alarmNotifier: 'alarm-notifier',
  whatsappWebhook: 'whatsapp-webhook',
} as const;

/** A dependency of the resilience layer that gets a circuit breaker alarm. */
export interface MonitoredDependency {
  /** The `dependency` key that code passes to lib/resilience, such as `telegram`. */
  readonly dependency: string;
  /** Service names of the functions that call it. Its alarm adds up their metrics. */
  readonly callers: readonly string[];
  /**
   * Stage setting that the calls depend on: a stack with `whatsapp` turned off makes no WhatsApp calls, so
   * it leaves the alarm out.
   * @default - none, so every stack has the alarm
   */
  readonly requires?: 'whatsapp';
}

/**
 * Dependencies that get a circuit breaker alarm. Add an entry when code starts calling a new dependency
 * (`openai`, `vision`), or a caller when another function calls one. The dependency keys are the ones that
 * lib/ passes to the resilience layer: `telegram`, `whatsapp` (Graph API messages) and `whatsapp:media`
 * (media downloads) in the processor, and `ses`, `sns` and `slack` in lib/notify/senders. The dashboard's breaker widgets use CloudWatch SEARCH and show every
 * dependency without this list, but alarms cannot use SEARCH.
 *
 * The FX providers (`fx:<provider id>` in lib/fx/http.ts) get no alarm, because it could never fire. The
 * alarm needs short-circuited calls in 5 consecutive minutes, but fx-refresh runs once an hour with at most
 * 2 retries, and a breaker stays open for 60 s. The `fx-rates-stale` and `fx-refresh-errors` alarms cover
 * FX failures instead.
 */
export const MONITORED_DEPENDENCIES: readonly MonitoredDependency[] = [
  { dependency: 'telegram', callers: [SERVICE_NAMES.messageProcessor] },
  { dependency: 'whatsapp', callers: [SERVICE_NAMES.messageProcessor], requires: 'whatsapp' },
  { dependency: 'whatsapp:media', callers: [SERVICE_NAMES.messageProcessor], requires: 'whatsapp' },
  { dependency: 'ses', callers: [SERVICE_NAMES.notificationSender] },
  { dependency: 'sns', callers: [SERVICE_NAMES.notificationSender] },
  { dependency: 'slack', callers: [SERVICE_NAMES.notificationSender] },
];
