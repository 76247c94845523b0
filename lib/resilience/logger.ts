/**
 * Logger shape of the resilience layer, which Powertools Logger satisfies. Every line carries an object of
 * fields, because Powertools methods do not accept `undefined` as the extra argument.
 */
export interface ResilienceLogger {
  debug(message: string, extra: Record<string, unknown>): void;
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** A logger that drops every line, the default where no logger is given. */
export const SILENT_LOGGER: ResilienceLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/**
 * Logs a warning at most once per `intervalMs` per key, and counts the repeats it drops in between, so
 * that an outage of the resilience table does not log once per call.
 */
export class ThrottledWarning {
  readonly #logger: ResilienceLogger;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #lastByKey = new Map<string, { loggedAtMs: number; suppressed: number }>();

  constructor(logger: ResilienceLogger, now: () => number, intervalMs = 60_000) {
    this.#logger = logger;
    this.#now = now;
    this.#intervalMs = intervalMs;
  }

  /** Logs `message` with `extra` and the count of dropped repeats, unless `key` was logged recently. */
  warn(key: string, message: string, extra: Record<string, unknown>): void {
    const nowMs = this.#now();
    const last = this.#lastByKey.get(key);
    if (last !== undefined && nowMs - last.loggedAtMs < this.#intervalMs) {
      last.suppressed += 1;
      return;
    }

    this.#lastByKey.set(key, { loggedAtMs: nowMs, suppressed: 0 });
    this.#logger.warn(message, { ...extra, suppressedSinceLastLog: last?.suppressed ?? 0 });
  }
}
