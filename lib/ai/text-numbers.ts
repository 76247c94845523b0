/**
 * Numbers written in a message, read the way the local parser reads them, so that an AI answer's amount can
 * be checked against the text: it must be one of them, or a sum or product of them.
 */
import Decimal from 'decimal.js';
import { interpretNumber } from '../parsing/amounts';
import type { DecimalConvention } from '../parsing/currencies';
import { findMoneyTokens } from '../parsing/money-tokens';

// Subsets of more numbers than this are not summed: 2^10 sums per answer is plenty for a chat message.
const MAX_SUMMED_NUMBERS = 10;

/**
 * Returns every value the numbers of `text` can have: each number read with a decimal point and with a
 * decimal comma (so `1.234` gives 1.234 and 1234), with and without a written multiplier such as `12k`.
 */
export function numbersInText(text: string): Decimal[] {
  const values = new Map<string, Decimal>();
  const add = (value: Decimal) => values.set(value.toFixed(), value);

  for (const token of findMoneyTokens(text)) {
    for (const convention of ['point-decimal', 'comma-decimal'] satisfies DecimalConvention[]) {
      for (const exponent of [2, 3]) {
        const read = interpretNumber(token.shape, { convention, exponent });
        if (read === null) {
          continue;
        }
        add(read.value);
        if (token.multiplier !== null) {
          add(read.value.times(token.multiplier));
        }
      }
    }
  }

  return [...values.values()];
}

/**
 * Returns true when `amount` equals one of `numbers`, the sum of several of them (each used once), or the
 * product of two of them (a quantity times a price).
 */
export function followsFromNumbers(amount: Decimal, numbers: readonly Decimal[]): boolean {
  if (numbers.some((number) => number.equals(amount))) {
    return true;
  }
  for (const [index, left] of numbers.entries()) {
    if (numbers.slice(index + 1).some((right) => left.times(right).equals(amount))) {
      return true;
    }
  }

  const summed = numbers.slice(0, MAX_SUMMED_NUMBERS);
  for (let mask = 1; mask < 2 ** summed.length; mask += 1) {
    const chosen = summed.filter((_, index) => (mask & (1 << index)) !== 0);
    if (chosen.length >= 2 && Decimal.sum(...chosen).equals(amount)) {
      return true;
    }
  }

  return false;
}
