import Decimal from 'decimal.js';
import { ConfigError, type Env, optional } from './environment';

/** Daily AI budget of one user when AI_DAILY_BUDGET_USD is not set, in US dollars. */
export const DEFAULT_AI_DAILY_BUDGET_USD = '0.05';

/** Highest AI_DAILY_BUDGET_USD accepted, in US dollars: a guard against a misplaced decimal point. */
const MAX_AI_DAILY_BUDGET_USD = 100;

/** Settings of the per-user daily AI budget. */
export interface AiBudgetConfig {
  /**
   * AI spend that one user may cause per UTC day, in micro-dollars (millionths of a US dollar). 0 serves
   * every user with the local parser and offline OCR.
   */
  dailyLimitMicroUsd: number;
}

/**
 * Reads AI_DAILY_BUDGET_USD: US dollars per user and UTC day, such as `0.05`, from 0 to 100. Fractions of a
 * micro-dollar are rounded down.
 * @throws {ConfigError} when the value is not a number in that range.
 */
export function loadAiBudgetConfig(env: Env = process.env): AiBudgetConfig {
  const raw = optional(env, 'AI_DAILY_BUDGET_USD') ?? DEFAULT_AI_DAILY_BUDGET_USD;
  // A plain decimal only: Decimal would also read hexadecimal and exponent notation.
  const usd = /^\d+(\.\d+)?$/.test(raw) ? new Decimal(raw) : undefined;
  if (usd === undefined || usd.greaterThan(MAX_AI_DAILY_BUDGET_USD)) {
    throw new ConfigError(
      'AI_DAILY_BUDGET_USD',
      `expected US dollars per user and day from 0 to ${MAX_AI_DAILY_BUDGET_USD}, such as 0.05, got "${raw}".`,
    );
  }

  return { dailyLimitMicroUsd: usd.mul(1_000_000).floor().toNumber() };
}
