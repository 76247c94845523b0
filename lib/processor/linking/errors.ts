/** Raised when no link code with an unused hash could be stored; the event is retried. */
export class LinkCodeIssueError extends Error {
  override readonly name = 'LinkCodeIssueError';

  constructor(
    readonly userId: string,
    readonly attempts: number,
  ) {
    super(
      `Could not store a link code for user ${userId} after ${attempts} attempts: each write hit a code with ` +
        'the same hash or a concurrent change of the user. The event is retried; if it keeps failing, check ' +
        'the link-code items of this user in the identities table.',
    );
  }
}

/** Raised when a user disappears while a link code is issued or redeemed. */
export class LinkUserMissingError extends Error {
  override readonly name = 'LinkUserMissingError';

  constructor(readonly userId: string) {
    super(`User ${userId} is missing from the users table while linking; the event is retried.`);
  }
}
