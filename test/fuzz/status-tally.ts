/** Response statuses of fuzzed requests, counted per case category, and the requests that failed. */
export interface StatusTally {
  /** Count per category and HTTP status, such as `{ valid: { '200': 41 } }`. */
  counts: Record<string, Record<string, number>>;
  /** One line per request that threw or returned a 5xx, with its iteration and category. */
  failures: string[];
}

/** Creates an empty {@link StatusTally}. */
export function createStatusTally(): StatusTally {
  return { counts: {}, failures: [] };
}

/**
 * Sends one fuzzed request and counts its status. A handler that throws or returns a 5xx is recorded in
 * `failures`. Returns the status, or `undefined` when the handler threw.
 */
export async function sendAndCount(
  tally: StatusTally,
  iteration: number,
  category: string,
  send: () => Promise<{ statusCode?: number }>,
): Promise<number | undefined> {
  let status: number;
  try {
    status = (await send()).statusCode ?? 0;
  } catch (error) {
    tally.failures.push(`#${iteration} ${category}: threw ${(error as Error).name}`);
    return undefined;
  }

  tally.counts[category] ??= {};
  tally.counts[category][status] = (tally.counts[category][status] ?? 0) + 1;
  if (status >= 500) {
    tally.failures.push(`#${iteration} ${category}: HTTP ${status}`);
  }

  return status;
}
