import Decimal from 'decimal.js';
import type { AiSpendStore } from './budget-store';
import type { AiCostMeter } from './cost-meter';
import { AI_PRICES, type AiPriceTable, costOf } from './pricing';
import type { AiOperation, AiUsage } from './usage';

/** Options of {@link AiBudget}. */
export interface AiBudgetOptions {
  store: AiSpendStore;
  /** AI spend that one user may cause per UTC day, in micro-dollars (`loadAiBudgetConfig`). */
  dailyLimitMicroUsd: number;
  /** @default Date.now */
  now?: () => number;
  /** @default AI_PRICES */
  prices?: AiPriceTable;
}

/** Meter and operation under which {@link AiBudget.allow} counts a call that the budget denied. */
export interface BudgetDenialCounter {
  meter: Pick<AiCostMeter, 'fallback'>;
  operation: AiOperation;
}

/**
 * Converts US dollars to whole micro-dollars, rounding a fraction of a micro-dollar up, so that the
 * stored spend never falls below the real one.
 */
export function toMicroUsd(usd: Decimal.Value): number {
  return new Decimal(usd).mul(1_000_000).ceil().toNumber();
}

/** Returns the UTC day of an epoch time in milliseconds, as YYYY-MM-DD. */
export function utcDayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * The per-user daily AI budget. Before an AI call, {@link AiBudget.allow} checks that the user's spend of
 * the UTC day plus the call's estimate stays within the limit. After the call, {@link AiBudget.spend} adds
 * its cost at list prices. When the budget denies a call, the caller serves the user with the local parser
 * or offline OCR.
 *
 * NOTE: the check and the addition are separate requests, so calls of one user that run at the same time
 * can each pass the check and together exceed the limit by their costs. Updates of one chat are processed
 * in order, so that takes one user writing in several chats or channels at once.
 *
 * @example
 * if (await budget.allow(user.userId, '0.0003', { meter, operation: 'categorize' })) {
 *   const { result, usage } = await categorizer.categorize(text);
 *   await budget.spend(user.userId, usage);
 * }
 */
export class AiBudget {
  readonly #store: AiSpendStore;
  readonly #limitMicroUsd: number;
  readonly #now: () => number;
  readonly #prices: AiPriceTable;

  constructor(options: AiBudgetOptions) {
    if (!Number.isSafeInteger(options.dailyLimitMicroUsd) || options.dailyLimitMicroUsd < 0) {
      throw new RangeError(
        `AI daily limit of ${options.dailyLimitMicroUsd} micro-dollars is invalid: expected a whole number of at least 0.`,
      );
    }
    this.#store = options.store;
    this.#limitMicroUsd = options.dailyLimitMicroUsd;
    this.#now = options.now ?? Date.now;
    this.#prices = options.prices ?? AI_PRICES;
  }

  /**
   * Returns whether the user may make an AI call estimated at `estimatedUsd` US dollars today. When it
   * returns false and `denied` is given, the meter counts a `budget` fallback of that operation.
   * @throws StoreError when the users table cannot be read.
   */
  async allow(userId: string, estimatedUsd: Decimal.Value, denied?: BudgetDenialCounter): Promise<boolean> {
    const spentMicroUsd = await this.#store.spentOn(userId, utcDayOf(this.#now()));
    const allowed = spentMicroUsd + toMicroUsd(estimatedUsd) <= this.#limitMicroUsd;
    if (!allowed) {
      denied?.meter.fallback(denied.operation, 'budget');
    }

    return allowed;
  }

  /**
   * Adds the cost of one AI call to the user's spend of the UTC day. A call that costs nothing, such as a
   * local one, writes nothing.
   * @returns the user's spend of the day in micro-dollars, or 0 when nothing was written.
   * @throws UnknownAiModelError or InvalidAiUsageError when the usage cannot be priced, StoreError when
   * the write fails, and AiSpendUserNotFoundError when the user has no item.
   */
  async spend(userId: string, usage: AiUsage): Promise<number> {
    const microUsd = toMicroUsd(costOf(usage, this.#prices));
    if (microUsd === 0) {
      return 0;
    }

    return this.#store.add(userId, utcDayOf(this.#now()), microUsd);
  }
}
