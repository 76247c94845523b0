import type { WeeklySummaryResult } from './run-weekly-summary';

/**
 * A weekly summary run left users without their summary: the time ran out, a user failed, or another run
 * held a claim. The invocation fails, so Lambda retries the scheduled event, and the retry queues only
 * what is still missing.
 */
export class WeeklySummaryIncompleteError extends Error {
  override readonly name = 'WeeklySummaryIncompleteError';

  constructor(readonly result: WeeklySummaryResult) {
    super(
      `Weekly summary run incomplete: ${result.usersFailed} users failed, ${result.heldElsewhere} ` +
        `notifications held by another run, ${result.usersRead} users read; a retry of the run queues the rest.`,
    );
  }
}
