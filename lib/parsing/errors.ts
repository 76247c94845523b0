/** Raised when a time zone name is not an IANA zone that the runtime's `Intl` data contains. */
export class InvalidTimeZoneError extends Error {
  override readonly name = 'InvalidTimeZoneError';

  constructor(readonly timeZone: string) {
    super(`Invalid time zone "${timeZone}": use an IANA name such as Europe/Lisbon or America/New_York.`);
  }
}

/** Raised when a local wall-clock time is malformed or names a calendar date that does not exist. */
export class InvalidWallClockTimeError extends Error {
  override readonly name = 'InvalidWallClockTimeError';

  constructor(
    readonly value: string,
    readonly reason: string,
  ) {
    super(
      `Invalid local time "${value}": ${reason}. ` +
        'Write it as YYYY-MM-DDTHH:mm[:ss] without an offset, for example 2026-03-18T12:00:00.',
    );
  }
}

/** Raised when a {@link ParseContext} field cannot be used, for example an invalid `referenceTime`. */
export class InvalidParseContextError extends Error {
  override readonly name = 'InvalidParseContextError';

  constructor(
    readonly field: 'referenceTime' | 'homeCurrency',
    readonly value: string,
    fix: string,
  ) {
    super(`Invalid ${field} "${value}": ${fix}`);
  }
}
