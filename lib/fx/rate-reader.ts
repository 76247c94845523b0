import type { ResilienceLogger } from '../resilience/logger';
import { FxDecimal } from './decimal';
import { FxRateExpiredError, FxRateMissingError } from './errors';
import { type FxRateStore, type RateSnapshot, type StoredRate, utcDay } from './rate-store';

/** Freshness of a served rate. */
export type RateFreshness =
  /** Fetched at most `freshForMs` ago. */
  | 'fresh'
  /** Older than `freshForMs` but within `staleForMs` more; a refresh was started. */
  | 'stale'
  /** Read from the copy stored for a past UTC day, for conversions at that date. */
  | 'historical';

/** One leg of a rate: a stored rate against the base currency. Absent for the base currency itself. */
export interface RateLeg {
  currency: string;
  rate: string;
  provider: string;
  providerUpdatedAt: string;
  fetchedAtEpochMs: number;
}

/** A rate from `from` to `to`: 1 unit of `from` is `rate` units of `to`. */
export interface FxRate {
  from: string;
  to: string;
  /** Decimal string; a cross rate through the base keeps 20 significant digits. */
  rate: string;
  freshness: RateFreshness;
  /** Fetch time of the older leg, or of the only one. Undefined when `from` equals `to`. */
  fetchedAtEpochMs?: number;
  legs: RateLeg[];
}

/** Options of {@link FxRateReader}. */
export interface FxRateReaderOptions {
  store: Pick<FxRateStore, 'getLatest' | 'getDay'>;
  /** The base currency that the refresh stores rates against. */
  baseCurrency: string;
  now?: () => number;
  /**
   * Starts a refresh when a stale rate is served, such as the refresh function's own call. Its errors are
   * logged, never thrown to the reader's caller.
   */
  revalidate?: () => Promise<unknown>;
  logger?: ResilienceLogger;
  /**
   * Age up to which a rate is fresh, in milliseconds.
   * @default 3_600_000 (1 hour, the refresh interval)
   */
  freshForMs?: number;
  /**
   * Time after `freshForMs` during which a rate is still served, marked stale, while a refresh runs.
   * @default 1_800_000 (30 minutes)
   */
  staleForMs?: number;
  /**
   * How long a snapshot read from the store is reused before it is read again. A rate that looks stale
   * in the cached copy is always read again first.
   * @default 60_000
   */
  cacheMs?: number;
  /**
   * Minimum time between two refreshes that this reader starts, so that not every read of a stale rate
   * calls the providers.
   * @default 60_000
   */
  revalidateIntervalMs?: number;
}

/**
 * Serves exchange rates from the rate store, never an invented one. A rate is fresh up to `freshForMs` old,
 * then served as stale for `staleForMs` more while a refresh is attempted (stale-while-revalidate), and
 * after that rejected with {@link FxRateExpiredError}. Cross rates go through the base currency with
 * decimal arithmetic: from→to = (base→to) / (base→from).
 *
 * Freshness windows at the default settings, measured from our fetch time of the older leg:
 * ```
 * 0 ──── fresh ──── 60 min ──── stale, refresh started ──── 90 min ──── FxRateExpiredError
 * ```
 * @example
 * const reader = new FxRateReader({ store, baseCurrency: 'USD', revalidate: () => refresher.refresh() });
 * const { rate, freshness } = await reader.getRate('EUR', 'BRL');
 */
export class FxRateReader {
  readonly #options: FxRateReaderOptions;
  readonly #now: () => number;
  readonly #freshForMs: number;
  readonly #staleForMs: number;
  #cached: { snapshot: RateSnapshot | undefined; readAtEpochMs: number } | undefined;
  #revalidation: Promise<void> | undefined;
  #lastRevalidationEpochMs = Number.NEGATIVE_INFINITY;

  constructor(options: FxRateReaderOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#freshForMs = options.freshForMs ?? 3_600_000;
    this.#staleForMs = options.staleForMs ?? 1_800_000;
  }

  /**
   * Returns the rate from `from` to `to`. Without `atEpochMs`, or with a time on the current UTC day, this
   * is the latest rate under the freshness windows. With a time on an earlier UTC day, it is the rate
   * stored for that day.
   * @throws {FxRateMissingError} when a currency has no stored rate (for that day).
   * @throws {FxRateExpiredError} when the latest rate is older than both windows together.
   */
  async getRate(from: string, to: string, atEpochMs?: number): Promise<FxRate> {
    const source = from.toUpperCase();
    const target = to.toUpperCase();
    if (source === target) {
      return { from: source, to: target, rate: '1', freshness: 'fresh', legs: [] };
    }

    const nowMs = this.#now();
    if (atEpochMs !== undefined && utcDay(atEpochMs) < utcDay(nowMs)) {
      return this.#historicalRate(source, target, atEpochMs);
    }

    return this.#latestRate(source, target, nowMs);
  }

  /** Resolves when the refresh that a stale read started has finished, at once when none runs. */
  async whenRevalidated(): Promise<void> {
    await this.#revalidation;
  }

  async #latestRate(from: string, to: string, nowMs: number): Promise<FxRate> {
    let snapshot = await this.#snapshot(nowMs, false);
    let legs = this.#legs(snapshot, from, to, 'no rate has been stored yet');
    if (nowMs - oldestFetch(legs) > this.#freshForMs) {
      // The cached copy may predate a refresh that another instance or the schedule already ran.
      snapshot = await this.#snapshot(nowMs, true);
      legs = this.#legs(snapshot, from, to, 'no rate has been stored yet');
    }

    const fetchedAtEpochMs = oldestFetch(legs);
    const ageMs = nowMs - fetchedAtEpochMs;
    if (ageMs > this.#freshForMs + this.#staleForMs) {
      this.#startRevalidation(nowMs);
      throw new FxRateExpiredError(from, to, fetchedAtEpochMs, this.#freshForMs + this.#staleForMs);
    }

    const freshness: RateFreshness = ageMs > this.#freshForMs ? 'stale' : 'fresh';
    if (freshness === 'stale') {
      this.#startRevalidation(nowMs);
    }

    return { from, to, rate: crossRate(legs, from, to), freshness, fetchedAtEpochMs, legs: legList(legs) };
  }

  async #historicalRate(from: string, to: string, atEpochMs: number): Promise<FxRate> {
    const day = utcDay(atEpochMs);
    const snapshot = await this.#options.store.getDay(this.#options.baseCurrency, day);
    const legs = this.#legs(snapshot, from, to, `no rates were stored on ${day}`);

    // A leg counts for the day only if it was still servable at some time on that day.
    const dayStartEpochMs = Date.parse(`${day}T00:00:00Z`);
    const oldest = oldestFetch(legs);
    if (oldest < dayStartEpochMs - this.#freshForMs - this.#staleForMs) {
      throw new FxRateMissingError(
        from,
        to,
        `the rate stored on ${day} was fetched at ${new Date(oldest).toISOString()}, too long before that day`,
      );
    }

    return {
      from,
      to,
      rate: crossRate(legs, from, to),
      freshness: 'historical',
      fetchedAtEpochMs: oldest,
      legs: legList(legs),
    };
  }

  #legs(
    snapshot: RateSnapshot | undefined,
    from: string,
    to: string,
    emptyDetail: string,
  ): Map<string, StoredRate | undefined> {
    const legs = new Map<string, StoredRate | undefined>();
    for (const currency of [from, to]) {
      if (currency === this.#options.baseCurrency) {
        legs.set(currency, undefined);
        continue;
      }
      const stored = snapshot?.rates[currency];
      if (stored === undefined) {
        throw new FxRateMissingError(
          from,
          to,
          snapshot === undefined
            ? emptyDetail
            : `no rate for ${currency} against ${this.#options.baseCurrency} is stored`,
        );
      }
      legs.set(currency, stored);
    }

    return legs;
  }

  async #snapshot(nowMs: number, bypassCache: boolean): Promise<RateSnapshot | undefined> {
    const cacheMs = this.#options.cacheMs ?? 60_000;
    if (!bypassCache && this.#cached !== undefined && nowMs - this.#cached.readAtEpochMs < cacheMs) {
      return this.#cached.snapshot;
    }

    const snapshot = await this.#options.store.getLatest(this.#options.baseCurrency);
    this.#cached = { snapshot, readAtEpochMs: nowMs };

    return snapshot;
  }

  #startRevalidation(nowMs: number): void {
    const { revalidate, logger, revalidateIntervalMs = 60_000 } = this.#options;
    if (revalidate === undefined || this.#revalidation !== undefined) {
      return;
    }
    if (nowMs - this.#lastRevalidationEpochMs < revalidateIntervalMs) {
      return;
    }

    this.#lastRevalidationEpochMs = nowMs;
    this.#revalidation = revalidate()
      .then(
        () => undefined,
        (error: unknown) => {
          logger?.warn('Refresh of stale exchange rates failed', {
            baseCurrency: this.#options.baseCurrency,
            error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
          });
        },
      )
      .finally(() => {
        this.#revalidation = undefined;
        this.#cached = undefined;
      });
  }
}

function oldestFetch(legs: Map<string, StoredRate | undefined>): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const leg of legs.values()) {
    if (leg !== undefined) {
      oldest = Math.min(oldest, leg.fetchedAtEpochMs);
    }
  }

  return oldest;
}

function crossRate(legs: Map<string, StoredRate | undefined>, from: string, to: string): string {
  const fromRate = new FxDecimal(legs.get(from)?.rate ?? 1);
  const toRate = new FxDecimal(legs.get(to)?.rate ?? 1);

  return toRate.dividedBy(fromRate).toString();
}

function legList(legs: Map<string, StoredRate | undefined>): RateLeg[] {
  return [...legs].flatMap(([currency, leg]) => (leg === undefined ? [] : [{ currency, ...leg }]));
}
