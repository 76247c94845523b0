import Decimal from 'decimal.js';
import { interpretNumber } from '../parsing/amounts';
import type { DecimalConvention } from '../parsing/currencies';
import { findMoneyTokens, type MoneyToken } from '../parsing/money-tokens';
import type { Span } from '../parsing/spans';

/** How to read numbers on one receipt: its currency's exponent and decimal convention. */
export interface NumberContext {
  exponent: number;
  convention: DecimalConvention | null;
  /**
   * For zero-decimal currencies on a receipt that prints `¥` or `円` next to its prices: bare integers are then
   * register numbers, addresses and counts, not prices.
   */
  requireMarker?: boolean;
}

/** A money amount written on a receipt line. */
export interface LineAmount {
  value: Decimal;
  span: Span;
  /** True for a price after `2 x` or `@`, which is a unit price rather than the line's amount. */
  unitPrice: boolean;
  /** True when the token had a currency marker (`€`, `R$`, `EUR`). */
  marked: boolean;
}

/** Currency codes that are also words on receipts ("CUP 3.50", "ALL ITEMS"), never read as markers here. */
const WORD_CODES = new Set(['ALL', 'CUP', 'MAD', 'TRY', 'GEL', 'PEN', 'RON']);

const UNIT_AFTER = /^\s?(?:kg|g|gr|lb|lbs|oz|l|ml|cl|ltr|pcs|pc|pz|un|stk|st|x|×|%)(?![\p{L}])/iu;
const QUANTITY_AFTER = /^\s*[x×*]\s*\S/u;
const UNIT_PRICE_BEFORE = /(?:[x×*@]|\bje|\bea|\bcada)\s*$/iu;

/** Returns the marker text only when this parser accepts it on a receipt. */
export function acceptedMarker(token: MoneyToken): MoneyToken['marker'] {
  if (!token.marker || WORD_CODES.has(token.marker.text)) {
    return null;
  }

  return token.marker;
}

function isMoneyShaped(
  token: MoneyToken,
  fractionDigits: number,
  text: string,
  context: NumberContext,
): boolean {
  if (acceptedMarker(token)) {
    return true;
  }

  if (context.exponent > 0) {
    return fractionDigits === context.exponent;
  }

  // Zero-decimal currencies (JPY): a bare integer counts at the end of a line or when digit-grouped (`1,200`).
  if (context.requireMarker) {
    return false;
  }

  const grouped = token.shape.separators.length > 0;
  const atLineEnd = /^\s*(?:[A-Z*※]\s*)?$/u.test(text.slice(token.span.end));
  return grouped || atLineEnd;
}

/**
 * Finds the money amounts on one line, left to right. `text` must have dates, times and phone numbers masked.
 * Percentages, weights, quantities (`2 x`) and numbers that do not look like money in this currency
 * (a bare `3` on a euro receipt) are left out.
 */
export function findLineAmounts(text: string, context: NumberContext): LineAmount[] {
  const amounts: LineAmount[] = [];
  for (const token of findMoneyTokens(text)) {
    const after = text.slice(token.shape.end);
    if (!acceptedMarker(token) && (UNIT_AFTER.test(after) || QUANTITY_AFTER.test(after))) {
      continue;
    }

    if (/^\s?%/.test(after)) {
      continue;
    }

    // A leading zero (`0001` in a postcode, `007` in an item code) is no price unless a marker says so.
    const leadingZero = /^0\d/.test(token.shape.groups[0]!);
    if (leadingZero && !acceptedMarker(token)) {
      continue;
    }

    const number = interpretNumber(token.shape, context);
    if (!number || !isMoneyShaped(token, number.fractionDigits, text, context)) {
      continue;
    }

    let value = token.multiplier ? number.value.times(token.multiplier) : number.value;
    // `3-1-1` in an address or `1-1/4` is a range or a number pair, not a negative amount.
    const hyphenAfterDigit = /\d[-\u2212]\s?$/u.test(text.slice(0, token.shape.start));
    if ((token.sign === 'minus' && !hyphenAfterDigit) || token.parenthesized) {
      value = value.negated();
    }

    amounts.push({
      value,
      span: token.span,
      unitPrice: UNIT_PRICE_BEFORE.test(text.slice(0, token.span.start)),
      marked: acceptedMarker(token) !== null,
    });
  }

  return amounts;
}

/** The quantity written before a unit price, as in `2 x 3.20` or `3 Stk x 1,29`. */
export function quantityBefore(text: string, amount: LineAmount): Decimal | null {
  const match = /(\d+(?:[.,]\d+)?)\s*(?:\p{L}{1,4}\.?\s*)?[x×*@]\s*$/u.exec(text.slice(0, amount.span.start));
  return match ? new Decimal(match[1]!.replace(',', '.')) : null;
}
