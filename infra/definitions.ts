/**
 * Queue and function settings shared by the CDK stack and the local stack, so both behave alike.
 */

/** How long the processor may run per batch. */
export const PROCESSOR_TIMEOUT_SECONDS = 30;

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

/** Entry files of the Lambda functions, relative to the repository root. */
export const FUNCTION_ENTRIES = {
  telegramWebhook: 'functions/telegram-webhook/handler.ts',
  messageProcessor: 'functions/message-processor/handler.ts',
  telegramRegisterWebhook: 'functions/telegram-register-webhook/handler.ts',
} as const;

/** Update types the bot subscribes to with setWebhook. */
export const TELEGRAM_ALLOWED_UPDATES = [
  'message',
  'edited_message',
  'callback_query',
  'my_chat_member',
] as const;
