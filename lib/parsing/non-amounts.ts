import { CURRENCY_MARKER_PATTERN } from './currencies';
import type { MoneyToken } from './money-tokens';
import type { Span } from './spans';

/** Reason that a number in the message is not an amount. */
export type NonAmountReason =
  | 'time'
  | 'phone-number'
  | 'reference-number'
  | 'card-number'
  | 'balance'
  | 'measurement'
  | 'year'
  | 'quantity'
  | 'embedded'
  | 'invalid-number';

/** A number that is not an amount, with the text to drop from the description along with it. */
export interface NonAmount {
  reason: NonAmountReason;
  span: Span;
}

const TIME_PATTERNS = [
  /\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?|h)?(?![\p{L}\p{N}])/giu,
  /\b\d{1,2}\s*(?:[ap]\.?m\.?|o'?clock)(?![\p{L}])/giu,
  // "see you at 8": a bare hour after a time preposition, unless a currency, fraction or multiplier follows.
  new RegExp(
    `(?<=\\b(?:at|around|by|until|till)\\s+)(?:[01]?\\d|2[0-4])(?![\\p{N}]|[.,]\\d|\\s*(?:\\p{Sc}|k\\b|%|(?:${CURRENCY_MARKER_PATTERN})(?!\\p{L})))`,
    'giu',
  ),
];

/**
 * Finds clock times such as `12:30`, `5pm`, `7.30 am`, `9 o'clock` and the hour in "see you at 8".
 * A bare `12.30` is left to the amount scanner.
 */
export function findTimeSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of TIME_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const isBareDottedNumber = /^\d{1,2}\.\d{2}$/.test(match[0].trim());
      if (!isBareDottedNumber) {
        spans.push({ start: match.index, end: match.index + match[0].length });
      }
    }
  }

  return spans;
}

/** Phone number shapes, each with the fewest digits it needs, so that a date such as 01-01-2026 is no phone. */
const PHONE_PATTERNS: ReadonlyArray<{ pattern: RegExp; minimumDigits: number }> = [
  // International form: a plus, then digits in groups.
  { pattern: /(?<![\p{L}\p{N}])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\p{N}])/gu, minimumDigits: 8 },
  // North American form: (555) 123-4567 or 555-123-4567.
  { pattern: /(?<![\p{L}\p{N}])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\p{N}])/gu, minimumDigits: 10 },
  // National form with a trunk prefix 0, as in 0912 345 678 or 020-7946-0958.
  { pattern: /(?<![\p{L}\p{N}.,])0\d{1,4}(?:[\s-]\d{2,4}){2,3}(?![\p{N}]|[.,]\d)/gu, minimumDigits: 9 },
];

/** Finds phone numbers such as `+1 555 123 4567`, `(555) 123-4567` and `0912 345 678`. */
export function findPhoneSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { pattern, minimumDigits } of PHONE_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const digitCount = match[0].replace(/\D/g, '').length;
      if (digitCount >= minimumDigits) {
        spans.push({ start: match.index, end: match.index + match[0].length });
      }
    }
  }

  return spans;
}

const BALANCE_BEFORE =
  /\b(?:avl\.?\s*bal(?:ance)?|avail(?:able)?(?:\s+(?:bal(?:ance)?|limit|credit))?|bal|balance|outstanding|credit\s+limit|limit)\b\.?\s*(?:is|of|now|was)?\s*[:=]?\s*$/iu;
const CARD_MASK_BEFORE = /[*•·]+\s*$/u;
const CARD_WORDS_BEFORE =
  /\b(?:ending(?:\s+(?:in|with))?|ends\s+(?:in|with)|a\/c(?:\s+no\.?)?|acct\.?|account(?:\s+no\.?)?|card(?:\s+no\.?)?)\s*[:#]?\s*$/iu;
const REFERENCE_MARK_BEFORE = /(?:#|№|\bno\.|\bnr\.|\bnumber|\bid)\s*:?\s*$/iu;
const REFERENCE_WORDS_BEFORE =
  /\b(?:order|ref|reference|invoice|ticket|tracking|booking|confirmation|otp|code|pin|txn|transaction|receipt|parcel|package)\s*(?:is\s*)?:?\s*$/iu;
const YEAR_WORDS_BEFORE = /\b(?:in|since|year|of|from|until|till|by|before|after|circa)\s*$/iu;
const MEASUREMENT_AFTER =
  /^\s?(?:%|percent|km|kms|mi|miles?|kg|kgs|g|gr|grams?|lbs?|ltrs?|lit(?:er|re)s?|l|ml|min|mins|minutes?|hrs?|hours?|h|days?|weeks?|wks?|months?|years?|yrs?|y\.?o\.?|x|pcs|pieces?|items?|people|persons?|guests?|friends|kids|times|gb|mb|tb|kb|mbps|inch(?:es)?|cm|mm|m|ft|°|degrees?|calories|kcal|steps|reps|sets|pages|stars?|nights?)(?![\p{L}])/iu;

function isPlainInteger(token: MoneyToken): boolean {
  return token.shape.separators.length === 0 && token.marker === null && token.multiplier === null;
}

/**
 * Returns why `token` is not an amount, judging by the words around it, or `null` when it may be one.
 * `previousEnd` is where the previous number ended, so one number's label cannot reach past another number.
 */
export function classifyNonAmount(text: string, token: MoneyToken, previousEnd: number): NonAmount | null {
  const windowStart = Math.max(previousEnd, token.span.start - 40);
  const before = text.slice(windowStart, token.span.start);
  const after = text.slice(token.span.end, token.span.end + 24);
  const digits = token.shape.groups.join('');
  const ownSpan = { start: token.span.start, end: token.span.end };

  const balance = BALANCE_BEFORE.exec(before);
  if (balance) {
    return { reason: 'balance', span: { start: windowStart + balance.index, end: token.span.end } };
  }

  const cardMask = CARD_MASK_BEFORE.exec(before);
  if (cardMask && token.marker === null) {
    return { reason: 'card-number', span: { start: windowStart + cardMask.index, end: token.span.end } };
  }

  if (isPlainInteger(token) && digits.length === 4 && CARD_WORDS_BEFORE.test(before)) {
    return { reason: 'card-number', span: ownSpan };
  }

  if (isPlainInteger(token) && REFERENCE_MARK_BEFORE.test(before)) {
    return { reason: 'reference-number', span: ownSpan };
  }

  if (isPlainInteger(token) && digits.length >= 4 && REFERENCE_WORDS_BEFORE.test(before)) {
    return { reason: 'reference-number', span: ownSpan };
  }

  // An opening parenthesis separates the token from a word before it, as in `19.99USD(896.41UAH)`.
  const startsWithParenthesis = text[token.span.start] === '(';
  const characterBefore = startsWithParenthesis ? '' : (text[token.span.start - 1] ?? '');
  const characterAfter = text[token.span.end] ?? '';
  if (/[\p{L}\p{N}]/u.test(characterBefore) || /[\p{N}_]/u.test(characterAfter)) {
    return { reason: 'embedded', span: ownSpan };
  }

  if (token.marker === null && MEASUREMENT_AFTER.test(after)) {
    return { reason: 'measurement', span: ownSpan };
  }

  // A hyphenated word such as 7-Eleven or 3-pack.
  const hyphenatedWord = characterAfter === '-' && /\p{L}/u.test(text[token.span.end + 1] ?? '');
  if (/\p{L}/u.test(characterAfter) || hyphenatedWord) {
    return { reason: 'embedded', span: ownSpan };
  }

  if (isPlainInteger(token) && isYear(digits) && YEAR_WORDS_BEFORE.test(before)) {
    return { reason: 'year', span: ownSpan };
  }

  return null;
}

/** Returns true for a four-digit year between 1900 and 2099. */
export function isYear(digits: string): boolean {
  return /^(?:19|20)\d{2}$/.test(digits);
}

// biome-ignore format: a packed word list reads better than one word per line
const FUNCTION_WORDS = new Set([
  'and', 'or', 'for', 'on', 'at', 'to', 'in', 'from', 'with', 'each', 'per', 'back', 'of', 'by', 'via',
  'the', 'a', 'an', 'plus', 'then', 'today', 'yesterday', 'tonight', 'total', 'only', 'cash', 'card', 'paid',
  'spent',
]);

/**
 * Returns true when `token` counts items rather than money, as in `2 coffees $7` or `3 beers 15`.
 * Only a whole number followed by a noun counts, and only when another number can be the amount: any size
 * when that other number has a currency, up to 12 when it has none.
 */
export function isQuantity(text: string, token: MoneyToken, others: readonly MoneyToken[]): boolean {
  if (!isPlainInteger(token) || token.sign !== null || token.parenthesized || others.length === 0) {
    return false;
  }

  const nextWord = /^\s+([\p{L}][\p{L}'’-]*)/u.exec(text.slice(token.span.end))?.[1]?.toLowerCase();
  if (!nextWord || FUNCTION_WORDS.has(nextWord)) {
    return false;
  }

  const anotherHasCurrency = others.some((other) => other.marker !== null);
  return anotherHasCurrency || Number(token.shape.groups[0]) <= 12;
}
