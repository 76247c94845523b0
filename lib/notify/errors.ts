/**
 * Errors of the notification pipeline. Messages name fields, ids and codes, never an e-mail address, a
 * phone number or a webhook URL, because those are personal data or secrets.
 */

/** A notification-queue message or its template data is invalid. Sending it again fails the same way. */
export class InvalidNotificationError extends Error {
  override readonly name = 'InvalidNotificationError';

  constructor(
    /** Path of the invalid field, such as `recipient.emailAddress` or `data.code`. */
    readonly path: string,
    problem: string,
  ) {
    super(`Invalid notification: ${path} ${problem}.`);
  }
}

/**
 * A provider rejected a notification for a reason that a retry does not fix, such as SES MessageRejected or
 * a Slack webhook that no longer exists. The record fails and, after the queue's receive count, moves to
 * the dead-letter queue, where the cause can be fixed and the record redriven.
 */
export class NotificationRejectedError extends Error {
  override readonly name = 'NotificationRejectedError';

  constructor(
    /** Dependency that rejected the call: `ses`, `sns` or `slack`. */
    readonly dependency: string,
    /** The provider's error code, such as `MessageRejected` or `no_service`. */
    readonly code: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** Raised when another invocation has claimed the same idempotency key. The record is retried later. */
export class NotificationInProgressError extends Error {
  override readonly name = 'NotificationInProgressError';

  constructor(readonly idempotencyKey: string) {
    super(
      `Notification ${idempotencyKey} is being sent by another invocation; the record is retried after the ` +
        'visibility timeout.',
    );
  }
}

/** Raised when the Slack secret does not hold the expected JSON. Never contains a webhook URL. */
export class SlackSecretFormatError extends Error {
  override readonly name = 'SlackSecretFormatError';

  constructor(secretId: string, problem: string) {
    super(
      `Secret ${secretId} must be a JSON object of Slack webhook names to URLs; ${problem}. ` +
        'Update it with aws secretsmanager put-secret-value.',
    );
  }
}

/** A notification names a Slack webhook that the configuration does not contain. */
export class UnknownSlackWebhookError extends Error {
  override readonly name = 'UnknownSlackWebhookError';

  constructor(readonly webhook: string) {
    super(`Slack webhook "${webhook}" is not configured; add it to the Slack secret or SLACK_WEBHOOK_URLS.`);
  }
}

/** Returns `{ name, message }` of an error for a log line, or its string form. */
export function describeError(error: unknown): { name: string; message: string } | string {
  return error instanceof Error ? { name: error.name, message: error.message } : String(error);
}
