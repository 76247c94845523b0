/** Errors of the notification producers. Messages carry ids and keys, never an address or a phone number. */

/** Sending a notification to the notification queue failed; the caller's retry sends it again. */
export class NotificationEnqueueError extends Error {
  override readonly name = 'NotificationEnqueueError';

  constructor(
    /** Idempotency key of the notification, such as `weekly-summary:<user id>:2026-W12`. */
    readonly idempotencyKey: string,
    options: { cause: unknown },
  ) {
    super(
      `Could not send notification ${idempotencyKey} to the notification queue: ${describeCause(options.cause)}`,
      options,
    );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
