/** DynamoCircuitBreaker: a circuit breaker per dependency whose state Lambda instances share in DynamoDB. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DISCARDING_METRICS, METRICS, type MetricsSink } from '../observability/metric-names';
import { StoreError } from '../store/errors';
import { type BreakerItem, BreakerTable, type BreakerUpdateOutcome } from './breaker-table';
import {
  closedToOpenUpdate,
  countFailureUpdate,
  freeTrialSlotUpdate,
  halfOpenToClosedUpdate,
  halfOpenToOpenUpdate,
  newTrialRoundUpdate,
  openToHalfOpenUpdate,
  resetFailuresUpdate,
  takeTrialSlotUpdate,
} from './breaker-transitions';
import { BreakerStoreUnavailableError, CircuitOpenError } from './errors';
import { RESILIENCE_LIMITS, type StoreFailureMode, storeFailureModeOf } from './limits';
import { type ResilienceLogger, SILENT_LOGGER, ThrottledWarning } from './logger';

/** Tunables of {@link DynamoCircuitBreaker}; see `RESILIENCE_LIMITS.circuitBreaker` for each meaning. */
export type CircuitBreakerSettings = {
  -readonly [K in keyof typeof RESILIENCE_LIMITS.circuitBreaker]: number;
};

/** Options of {@link DynamoCircuitBreaker}. */
export interface CircuitBreakerOptions {
  client: DynamoDBDocumentClient;
  /** The resilience table, partition key `stateKey`. */
  tableName: string;
  /** Overrides of `RESILIENCE_LIMITS.circuitBreaker`. */
  settings?: Partial<CircuitBreakerSettings>;
  /** Store failure mode per dependency or dependency prefix. Default `RESILIENCE_LIMITS.storeFailureModes`. */
  storeFailureModes?: Readonly<Record<string, StoreFailureMode>> & { default: StoreFailureMode };
  /** Clock in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  logger?: ResilienceLogger;
  /**
   * Receives CircuitOpened and CircuitClosed on the transitions that this instance applies.
   * @default DISCARDING_METRICS
   */
  metrics?: MetricsSink;
}

/**
 * Permission to send one call, from {@link DynamoCircuitBreaker.acquire}. Report its outcome once with
 * `succeeded`, `failed` or `release`, and later reports are ignored. A DynamoDB error while recording is
 * logged instead of thrown, because the call itself already finished.
 */
export interface BreakerPermit {
  readonly dependency: string;
  /** State that granted the permit. `unknown` when the store failed and the dependency fails open. */
  readonly state: 'closed' | 'half-open' | 'unknown';
  /** Records a success: resets the failure count, or closes the circuit after a trial. */
  succeeded(): Promise<void>;
  /** Records a dependency failure: counts it, or reopens the circuit after a trial. */
  failed(): Promise<void>;
  /** Ends the permit without an outcome, such as after a caller error. Frees a trial slot. */
  release(): Promise<void>;
}

type CacheEntry =
  | { state: 'closed'; version: number; consecutiveFailures: number; validUntilMs: number }
  | { state: 'open'; version: number; openUntilMs: number };

// Conflicting transitions that one acquire follows before it gives up. Each conflict means that another
// instance changed the state, which happens only a few times per round of trials.
const MAX_ACQUIRE_STEPS = 5;

/**
 * A circuit breaker per dependency key (`telegram`, `telegram:getFile`, …) whose state every Lambda
 * instance shares through one item in the resilience table:
 *
 *            failures reach failureThreshold                 trial failed
 *   CLOSED ──────────────────────────────────▶ OPEN ◀─────────────────────────┐
 *     ▲                                          │ openMs passed,             │
 *     │ trial succeeded                          ▼ first acquire              │
 *     └───────────────────────────────────── HALF-OPEN ───────────────────────┘
 *                               at most halfOpenMaxTrials trials in flight
 *
 * Every write is one conditional UpdateItem that requires the state and `version` the instance read.
 * Transitions also increment `version`. Counting a failure and taking or freeing a trial slot keep it, so
 * that concurrent failures and trials do not conflict with each other:
 *
 *   count failure       (no item) OR (state = closed AND version = v)            ADD consecutiveFailures 1
 *   CLOSED → OPEN       state = closed AND version = v AND consecutiveFailures ≥ failureThreshold
 *   OPEN → HALF-OPEN    state = open AND version = v AND openUntilMs ≤ now       (takes trial slot 1)
 *   take trial slot     state = half-open AND version = v AND trialsInFlight < halfOpenMaxTrials
 *   free trial slot     state = half-open AND version = v AND trialsInFlight > 0 (release)
 *   HALF-OPEN → CLOSED  state = half-open AND version = v                        (trial succeeded)
 *   HALF-OPEN → OPEN    state = half-open AND version = v                        (trial failed)
 *   new trial round     state = half-open AND version = v AND trialsDeadlineMs ≤ now (lost trials)
 *
 * So of two instances racing for the same transition exactly one wins, and the trial counter cannot pass
 * its maximum. Each permit carries the version it was granted under, so a late report from an older
 * state (another trial, or a call started before the circuit opened) fails its condition and is dropped.
 * A "last writer wins" breaker would let that late report overwrite the newer state.
 *
 * Cost per call: an instance keeps a CLOSED state it read for `closedCacheMs` (1 s by default) and grants
 * permits from it without a request, and keeps an OPEN state until its `openUntilMs`, which nothing can
 * change earlier. A success writes only when this instance last saw failures counted. Every failure is
 * written. While a cached CLOSED state is fresh, the instance does not see a circuit that another
 * instance opened, and a success on another instance within that time may not reset this count.
 * Instances compare `openUntilMs` and deadlines with their own clocks, so clock skew shifts them.
 */
export class DynamoCircuitBreaker {
  readonly #table: BreakerTable;
  readonly #settings: CircuitBreakerSettings;
  readonly #storeFailureModes: Readonly<Record<string, StoreFailureMode>> & { default: StoreFailureMode };
  readonly #now: () => number;
  readonly #logger: ResilienceLogger;
  readonly #metrics: MetricsSink;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #storeWarnings: ThrottledWarning;

  constructor(options: CircuitBreakerOptions) {
    this.#settings = { ...RESILIENCE_LIMITS.circuitBreaker, ...options.settings };
    this.#storeFailureModes = options.storeFailureModes ?? RESILIENCE_LIMITS.storeFailureModes;
    this.#now = options.now ?? Date.now;
    this.#table = new BreakerTable(
      options.client,
      options.tableName,
      this.#settings.stateRetentionSeconds,
      this.#now,
    );
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#metrics = options.metrics ?? DISCARDING_METRICS;
    this.#storeWarnings = new ThrottledWarning(this.#logger, this.#now);
  }

  /** DynamoDB requests sent so far, failed ones included. */
  get dynamoRequests(): number {
    return this.#table.requests;
  }

  /**
   * Returns a permit to call `dependency`, or throws at once when its circuit rejects calls.
   * @throws {CircuitOpenError} when the circuit is open, or half-open with every trial slot taken.
   * @throws {BreakerStoreUnavailableError} when DynamoDB fails and the dependency fails closed.
   */
  async acquire(dependency: string): Promise<BreakerPermit> {
    const nowMs = this.#now();
    const cached = this.#cache.get(dependency);
    if (cached?.state === 'closed' && nowMs < cached.validUntilMs) {
      return this.#permit(dependency, 'closed', cached.version);
    }
    if (cached?.state === 'open' && nowMs < cached.openUntilMs) {
      throw new CircuitOpenError(dependency, cached.openUntilMs - nowMs, 'open');
    }

    try {
      return await this.#acquireFromStore(dependency);
    } catch (error) {
      if (!(error instanceof StoreError)) {
        throw error;
      }

      return this.#acquireWithoutStore(dependency, error);
    }
  }

  async #acquireFromStore(dependency: string): Promise<BreakerPermit> {
    let item = await this.#table.read(dependency);

    for (let step = 0; step < MAX_ACQUIRE_STEPS; step += 1) {
      const nowMs = this.#now();
      if (item.state === 'closed') {
        this.#cacheClosed(dependency, item);
        return this.#permit(dependency, 'closed', item.version);
      }
      if (item.state === 'open' && nowMs < item.openUntilMs) {
        this.#cache.set(dependency, { state: 'open', version: item.version, openUntilMs: item.openUntilMs });
        throw new CircuitOpenError(dependency, item.openUntilMs - nowMs, 'open');
      }

      const trial = await this.#takeTrialSlot(dependency, item, nowMs);
      if (trial.applied) {
        this.#cache.delete(dependency);
        return this.#permit(dependency, 'half-open', trial.version);
      }
      item = trial.current;
    }

    throw new CircuitOpenError(dependency, this.#settings.halfOpenRetryAfterMs, item.state);
  }

  /**
   * Takes a trial slot of a circuit that is open past `openUntilMs` or half-open, with the transition
   * that the item's state calls for. Returns the permit's version, or the current item after a conflict.
   */
  async #takeTrialSlot(
    dependency: string,
    item: BreakerItem,
    nowMs: number,
  ): Promise<{ applied: true; version: number } | { applied: false; current: BreakerItem }> {
    const { halfOpenMaxTrials, halfOpenRetryAfterMs, trialLeaseMs } = this.#settings;
    const deadlineMs = nowMs + trialLeaseMs;
    let outcome: BreakerUpdateOutcome;
    let version = item.version;

    if (item.state === 'open') {
      outcome = await this.#table.update(dependency, openToHalfOpenUpdate(item.version, nowMs, deadlineMs));
      version += 1;
      if (outcome.applied) {
        this.#logger.info('Circuit half-open, sending trial calls', { dependency, version });
      }
    } else if (item.trialsInFlight < halfOpenMaxTrials) {
      outcome = await this.#table.update(
        dependency,
        takeTrialSlotUpdate(item.version, deadlineMs, halfOpenMaxTrials),
      );
    } else if (nowMs >= item.trialsDeadlineMs) {
      outcome = await this.#table.update(dependency, newTrialRoundUpdate(item.version, nowMs, deadlineMs));
      version += 1;
      if (outcome.applied) {
        this.#logger.warn('Circuit trials lost without a report, starting new trials', {
          dependency,
          version,
        });
      }
    } else {
      throw new CircuitOpenError(dependency, halfOpenRetryAfterMs, 'half-open');
    }

    return outcome.applied ? { applied: true, version } : outcome;
  }

  #acquireWithoutStore(dependency: string, error: StoreError): BreakerPermit {
    this.#logStoreFailure(dependency, 'acquire', error);
    if (storeFailureModeOf(dependency, this.#storeFailureModes) === 'fail-closed') {
      throw new BreakerStoreUnavailableError(dependency, this.#settings.storeUnavailableRetryAfterMs, error);
    }

    const noOp = async () => {};
    return { dependency, state: 'unknown', succeeded: noOp, failed: noOp, release: noOp };
  }

  #permit(dependency: string, state: 'closed' | 'half-open', version: number): BreakerPermit {
    let settled = false;
    const settle = (report: () => Promise<void>, outcome: string) => async () => {
      if (settled) {
        return;
      }
      settled = true;
      try {
        await report();
      } catch (error) {
        if (!(error instanceof StoreError)) {
          throw error;
        }
        this.#logStoreFailure(dependency, outcome, error);
      }
    };

    if (state === 'closed') {
      return {
        dependency,
        state,
        succeeded: settle(() => this.#closedSucceeded(dependency, version), 'record success'),
        failed: settle(() => this.#closedFailed(dependency, version), 'record failure'),
        release: settle(async () => {}, 'release'),
      };
    }

    return {
      dependency,
      state,
      succeeded: settle(() => this.#trialSucceeded(dependency, version), 'record trial success'),
      failed: settle(() => this.#trialFailed(dependency, version), 'record trial failure'),
      release: settle(() => this.#trialReleased(dependency, version), 'release trial'),
    };
  }

  async #closedSucceeded(dependency: string, version: number): Promise<void> {
    const cached = this.#cache.get(dependency);
    if (cached?.state !== 'closed' || cached.version !== version || cached.consecutiveFailures === 0) {
      return;
    }

    const outcome = await this.#table.update(dependency, resetFailuresUpdate(version));
    if (outcome.applied) {
      cached.consecutiveFailures = 0;
    } else {
      this.#cache.delete(dependency);
    }
  }

  async #closedFailed(dependency: string, version: number): Promise<void> {
    const counted = await this.#table.update(dependency, countFailureUpdate(version));
    if (!counted.applied || counted.item === undefined) {
      // The circuit moved on since this permit was granted, so the failure belongs to an older state.
      this.#cache.delete(dependency);
      return;
    }

    const item = counted.item;
    this.#cacheClosed(dependency, item);
    if (item.consecutiveFailures < this.#settings.failureThreshold) {
      return;
    }

    const openUntilMs = this.#now() + this.#settings.openMs;
    const opened = await this.#table.update(
      dependency,
      closedToOpenUpdate(item.version, openUntilMs, this.#settings.failureThreshold),
    );
    if (opened.applied) {
      this.#cache.set(dependency, { state: 'open', version: item.version + 1, openUntilMs });
      this.#logger.warn('Circuit opened after consecutive failures', {
        dependency,
        failures: item.consecutiveFailures,
        openMs: this.#settings.openMs,
      });
      this.#metrics.record(METRICS.circuitOpened, { dependency });
    } else {
      this.#cache.delete(dependency);
    }
  }

  async #trialSucceeded(dependency: string, version: number): Promise<void> {
    const outcome = await this.#table.update(dependency, halfOpenToClosedUpdate(version));
    if (outcome.applied) {
      this.#cache.delete(dependency);
      this.#logger.info('Circuit closed after a successful trial', { dependency });
      this.#metrics.record(METRICS.circuitClosed, { dependency });
    }
  }

  async #trialFailed(dependency: string, version: number): Promise<void> {
    const openUntilMs = this.#now() + this.#settings.openMs;
    const outcome = await this.#table.update(dependency, halfOpenToOpenUpdate(version, openUntilMs));
    if (outcome.applied) {
      this.#cache.set(dependency, { state: 'open', version: version + 1, openUntilMs });
      this.#logger.warn('Circuit reopened after a failed trial', {
        dependency,
        openMs: this.#settings.openMs,
      });
      this.#metrics.record(METRICS.circuitOpened, { dependency });
    }
  }

  async #trialReleased(dependency: string, version: number): Promise<void> {
    await this.#table.update(dependency, freeTrialSlotUpdate(version));
  }

  #cacheClosed(dependency: string, item: BreakerItem): void {
    this.#cache.set(dependency, {
      state: 'closed',
      version: item.version,
      consecutiveFailures: item.consecutiveFailures,
      validUntilMs: this.#now() + this.#settings.closedCacheMs,
    });
  }

  #logStoreFailure(dependency: string, operation: string, error: StoreError): void {
    const mode = storeFailureModeOf(dependency, this.#storeFailureModes);
    let message = 'Circuit outcome not recorded, because DynamoDB failed';
    if (operation === 'acquire') {
      message =
        mode === 'fail-open'
          ? 'Circuit state unavailable, sending the call without the breaker (fail-open)'
          : 'Circuit state unavailable, rejecting the call (fail-closed)';
    }

    this.#storeWarnings.warn(`${dependency} ${operation}`, message, {
      dependency,
      operation,
      error: error.message,
    });
  }
}
