import Decimal from 'decimal.js';
import { currencyExponent } from '../domain/money';
import { formatAmount, interpretNumber } from './amounts';
import {
  CURRENCY_MARKER_PATTERN,
  type CurrencyResolution,
  decimalConventionFor,
  lookupCurrencyMarker,
  resolveCurrencyMarker,
} from './currencies';
import type { ParseFlag } from './flags';
import { findMoneyTokens, type MoneyToken } from './money-tokens';
import { classifyNonAmount, isQuantity, type NonAmount } from './non-amounts';

/** An amount read from the message, formatted for the result. */
export interface ScannedAmount {
  token: MoneyToken;
  /** Non-negative decimal string; the sign stays on `token.sign` and `token.parenthesized`. */
  amount: string;
  currency: string | null;
  /** True when a symbol, code or word next to the number or elsewhere in the message named the currency. */
  currencyWritten: boolean;
  flags: ParseFlag[];
}

/** Every number in a message, sorted into the chosen amount, the others and the non-amounts. */
export interface AmountScan {
  /** The amount the transaction books, or `null` when the message has none. */
  primary: ScannedAmount | null;
  /** For a conversion such as `19.99USD(896.41UAH)`, the amount as first written. */
  original: ScannedAmount | null;
  /** Further amounts in the message, in order. */
  additional: ScannedAmount[];
  /** Numbers that are not amounts: balances, card digits, references, measurements, years and counts. */
  nonAmounts: NonAmount[];
}

const CURRENCY_MENTION = new RegExp(`\\bin\\s+(${CURRENCY_MARKER_PATTERN})(?!\\p{L})`, 'giu');

/** Finds a currency named apart from any number, as in "dinner 40 in euros". */
function findCurrencyMention(text: string, homeCurrency: string): CurrencyResolution | null {
  for (const match of text.matchAll(CURRENCY_MENTION)) {
    const marker = lookupCurrencyMarker(match[1]!);
    if (marker && !marker.meaning.cents) {
      return resolveCurrencyMarker(marker.meaning, homeCurrency);
    }
  }

  return null;
}

/** Drops numbers that the words around them mark as non-amounts, then counts that look like quantities. */
function separateNonAmounts(text: string, tokens: readonly MoneyToken[]): [MoneyToken[], NonAmount[]] {
  const nonAmounts: NonAmount[] = [];
  const candidates: MoneyToken[] = [];
  let previousEnd = 0;
  for (const token of tokens) {
    const nonAmount = classifyNonAmount(text, token, previousEnd);
    previousEnd = token.span.end;
    if (nonAmount) {
      nonAmounts.push(nonAmount);
    } else {
      candidates.push(token);
    }
  }

  const amounts = candidates.filter((token) => {
    const others = candidates.filter((other) => other !== token);
    if (!isQuantity(text, token, others)) {
      return true;
    }

    nonAmounts.push({ reason: 'quantity', span: token.span });
    return false;
  });

  return [amounts, nonAmounts];
}

interface MessageCurrency {
  resolution: CurrencyResolution;
  written: boolean;
}

/** Picks the currency for numbers written without one: the first marked amount's, a mention, or the home currency. */
function messageCurrency(text: string, tokens: readonly MoneyToken[], homeCurrency: string): MessageCurrency {
  const marked = tokens.find((token) => token.marker !== null && !token.marker.meaning.cents);
  if (marked?.marker) {
    return { resolution: resolveCurrencyMarker(marked.marker.meaning, homeCurrency), written: true };
  }

  const mention = findCurrencyMention(text, homeCurrency);
  if (mention) {
    return { resolution: mention, written: true };
  }

  return { resolution: { currency: homeCurrency, ambiguous: false }, written: false };
}

function readAmount(
  token: MoneyToken,
  fallback: MessageCurrency,
  homeCurrency: string,
): ScannedAmount | null {
  const own = token.marker ? resolveCurrencyMarker(token.marker.meaning, homeCurrency) : null;
  const resolution = own ?? fallback.resolution;
  const currency = resolution.currency;

  // A krone amount of unknown country still has two decimals in DKK, NOK and SEK.
  const exponent = currency ? currencyExponent(currency) : 2;
  const interpreted = interpretNumber(token.shape, {
    convention: decimalConventionFor(homeCurrency),
    exponent,
  });
  if (!interpreted) {
    return null;
  }

  let value = interpreted.value;
  if (token.multiplier) {
    value = value.times(token.multiplier);
  }

  if (token.marker?.meaning.cents) {
    value = value.dividedBy(new Decimal(100));
  }

  const formatted = formatAmount(value, interpreted.fractionDigits, currency);
  const flags: ParseFlag[] = [];
  if (interpreted.ambiguousSeparator) {
    flags.push('ambiguous-separator');
  }

  if (resolution.ambiguous) {
    flags.push('ambiguous-currency');
  }

  if (formatted.excessPrecision) {
    flags.push('excess-precision');
  }

  return {
    token,
    amount: formatted.amount,
    currency,
    currencyWritten: own !== null || fallback.written,
    flags,
  };
}

/** True when `second` is a parenthesised amount right after `first`, as in `-19.99USD(896.41UAH)`. */
function isConversionPair(text: string, first: MoneyToken, second: MoneyToken): boolean {
  const between = text.slice(first.span.end, second.span.start);
  return second.enclosed && first.marker !== null && second.marker !== null && /^\s*$/.test(between);
}

/**
 * Reads every amount in `text` and picks the one to book.
 *
 * The first amount wins, except in a conversion pair `-19.99USD(896.41UAH)`, where the amount in parentheses
 * (what the account was charged) is booked and the first one becomes `original`. `text` must have URLs, dates,
 * times and phone numbers masked with spaces.
 */
export function scanAmounts(text: string, homeCurrency: string): AmountScan {
  const [tokens, nonAmounts] = separateNonAmounts(text, findMoneyTokens(text));
  const fallback = messageCurrency(text, tokens, homeCurrency);

  const amounts: ScannedAmount[] = [];
  for (const token of tokens) {
    // A zero amount books nothing, so `0` is treated like a number that is no amount.
    const amount = readAmount(token, fallback, homeCurrency);
    if (amount && !new Decimal(amount.amount).isZero()) {
      amounts.push(amount);
    } else {
      nonAmounts.push({ reason: 'invalid-number', span: token.span });
    }
  }

  const [first, second] = amounts;
  if (first && second && isConversionPair(text, first.token, second.token)) {
    return { primary: second, original: first, additional: amounts.slice(2), nonAmounts };
  }

  return { primary: first ?? null, original: null, additional: amounts.slice(1), nonAmounts };
}
