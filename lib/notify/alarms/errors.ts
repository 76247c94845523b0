/** Errors of the alarm forwarding: an unreadable alarm message, and alerts that could not be queued. */

/** The alarm notification is not a readable CloudWatch alarm message. Retrying cannot fix it. */
export class InvalidAlarmMessageError extends Error {
  override readonly name = 'InvalidAlarmMessageError';

  constructor(
    /** Path of the invalid field, such as `AlarmName`. */
    readonly path: string,
    problem: string,
  ) {
    super(`Invalid CloudWatch alarm message: ${path} ${problem}.`);
  }
}

/** Raised when some alerts could not be queued, so that Lambda retries the event. */
export class AlarmForwardingError extends Error {
  override readonly name = 'AlarmForwardingError';

  constructor(
    readonly failedRecords: number,
    readonly records: number,
    options: { cause: unknown },
  ) {
    super(
      `${failedRecords} of ${records} alarm notifications could not be queued; Lambda retries the event, and ` +
        'alerts queued before are sent once because their idempotency keys repeat.',
      options,
    );
  }
}
