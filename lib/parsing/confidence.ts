import type { ParseFlag } from './flags';
import type { TransactionKind } from './types';

/** What the score depends on. */
export interface ConfidenceInput {
  kind: TransactionKind;
  hasAmount: boolean;
  hasCategory: boolean;
  /** True when the message wrote a currency; false when the home currency filled in. */
  currencyWritten: boolean;
  flags: readonly ParseFlag[];
}

/**
 * Upper limit that each flag puts on the score. The bot saves above 0.7, requests confirmation from 0.4 to 0.7
 * and requests details below 0.4, so every flag here caps the score inside the confirmation band.
 */
const FLAG_CAPS: Partial<Record<ParseFlag, number>> = {
  'multiple-amounts': 0.55,
  'ambiguous-separator': 0.6,
  'ambiguous-currency': 0.6,
  'excess-precision': 0.6,
  'unknown-category': 0.6,
  'direction-from-words': 0.65,
  'future-date': 0.65,
};

const NOT_A_TRANSACTION = 0.05;
const MISSING_AMOUNT_WITH_CATEGORY = 0.3;
const MISSING_AMOUNT = 0.2;
const CLEAR_WITH_WRITTEN_CURRENCY = 0.95;
const CLEAR_WITH_HOME_CURRENCY = 0.9;
const PENALTY_PER_EXTRA_FLAG = 0.05;
const CONFIRM_FLOOR = 0.4;

/**
 * Scores how sure the parser is, from 0 to 1.
 *
 * | Situation | Score |
 * |---|---|
 * | not a transaction (`kind: 'none'`) | 0.05 |
 * | transaction words but no amount | 0.3 with a category, else 0.2 |
 * | one amount, clear currency and category | 0.95 when the currency is written, 0.9 from the home currency |
 * | any flag in `FLAG_CAPS` | capped: 0.55 for several amounts, 0.6 for an ambiguous separator or currency, extra decimals or no category, 0.65 for a refund known only from words or a future date |
 * | each further capping flag | minus 0.05, never below 0.4 |
 *
 * So the score is above 0.7 only with one amount, a clear currency and a category.
 */
export function scoreConfidence(input: ConfidenceInput): number {
  if (input.kind === 'none') {
    return NOT_A_TRANSACTION;
  }

  if (!input.hasAmount) {
    return input.hasCategory ? MISSING_AMOUNT_WITH_CATEGORY : MISSING_AMOUNT;
  }

  const base = input.currencyWritten ? CLEAR_WITH_WRITTEN_CURRENCY : CLEAR_WITH_HOME_CURRENCY;
  const caps = input.flags.map((flag) => FLAG_CAPS[flag]).filter((cap): cap is number => cap !== undefined);
  if (caps.length === 0) {
    return base;
  }

  const capped = Math.min(base, ...caps) - PENALTY_PER_EXTRA_FLAG * (caps.length - 1);
  return Math.round(Math.max(CONFIRM_FLOOR, capped) * 100) / 100;
}
