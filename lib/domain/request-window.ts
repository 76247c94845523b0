import type { RequestCount } from './user';

/** At most `maxPerWindow` requests within `windowMs` of the first request of the window. */
export interface WindowLimit {
  maxPerWindow: number;
  windowMs: number;
}

function windowIsOpen(previous: RequestCount | undefined, nowMs: number, limit: WindowLimit): boolean {
  return previous !== undefined && nowMs - previous.windowStartEpochMs < limit.windowMs;
}

/**
 * Returns how long until another request is allowed, in milliseconds: 0 while the current window has room
 * or has ended, otherwise the time until it ends.
 */
export function windowWaitMs(previous: RequestCount | undefined, nowMs: number, limit: WindowLimit): number {
  if (
    previous === undefined ||
    !windowIsOpen(previous, nowMs, limit) ||
    previous.count < limit.maxPerWindow
  ) {
    return 0;
  }

  return previous.windowStartEpochMs + limit.windowMs - nowMs;
}

/**
 * Returns the count after one more request at `nowMs`: a new window when the previous one ended, otherwise
 * the previous count plus one. Call {@link windowWaitMs} first, because this function does not check the limit.
 */
export function countRequest(
  previous: RequestCount | undefined,
  nowMs: number,
  limit: WindowLimit,
): RequestCount {
  if (previous === undefined || !windowIsOpen(previous, nowMs, limit)) {
    return { windowStartEpochMs: nowMs, count: 1, lastRequestedAtEpochMs: nowMs };
  }

  return { ...previous, count: previous.count + 1, lastRequestedAtEpochMs: nowMs };
}
