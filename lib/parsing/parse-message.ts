import { type AmountScan, type ScannedAmount, scanAmounts } from './amount-scan';
import { findCategory, isCategoryKeyword } from './category-keywords';
import { type CivilDate, civilDateAt, compareCivilDates, formatCivilDate } from './civil-date';
import { scoreConfidence } from './confidence';
import { extractDates, numericDateOrderFor } from './dates';
import { describeEachAmount, describeWithout, tidyDescription } from './description';
import { InvalidParseContextError } from './errors';
import type { ParseFlag } from './flags';
import { decideKind, decideKindWithoutAmount, hasTransactionWords } from './kind';
import { extractMerchant } from './merchant';
import { findPhoneSpans, findTimeSpans, type NonAmountReason } from './non-amounts';
import { isGreeting, isQuestion, isYearOnly } from './non-transactions';
import { findUrlSpans, maskSpans, type Span } from './spans';
import type { ParseContext, ParseResult, TransactionKind } from './types';

/** A message with links, phone numbers, dates and times found and masked for the amount scanner. */
interface PreparedMessage {
  text: string;
  /** The text with URLs and e-mail addresses blanked, for word matching. */
  words: string;
  /** The text with URLs, phone numbers, dates and times blanked, for the amount scanner. */
  scanText: string;
  linkSpans: Span[];
  phoneSpans: Span[];
  dateSpans: Span[];
  timeSpans: Span[];
  date: CivilDate;
  isFutureDate: boolean;
}

const NONE_REASON_FLAGS: Partial<Record<NonAmountReason, ParseFlag>> = {
  'reference-number': 'reference-number',
  'card-number': 'reference-number',
  year: 'year-only',
  measurement: 'measurement',
  quantity: 'measurement',
};

/** Non-amounts whose label goes with them out of the description (`Bal. 1 234.56`, `Card *1234`). */
const DESCRIPTION_NOISE = new Set<NonAmountReason>(['balance', 'card-number']);

const KIND_LABELS: Readonly<Record<Exclude<TransactionKind, 'none'>, string>> = {
  expense: 'Expense',
  income: 'Income',
  refund: 'Refund',
};

function validateHomeCurrency(homeCurrency: string): string {
  if (!/^[A-Za-z]{3}$/.test(homeCurrency)) {
    throw new InvalidParseContextError(
      'homeCurrency',
      homeCurrency,
      'use a three-letter ISO 4217 code such as EUR or USD.',
    );
  }

  return homeCurrency.toUpperCase();
}

function validateReferenceTime(referenceTime: Date): void {
  if (!(referenceTime instanceof Date) || Number.isNaN(referenceTime.getTime())) {
    throw new InvalidParseContextError(
      'referenceTime',
      String(referenceTime),
      'pass a valid Date, for example the time the message was sent.',
    );
  }
}

function prepareMessage(text: string, today: CivilDate, homeCurrency: string): PreparedMessage {
  const linkSpans = findUrlSpans(text);
  const words = maskSpans(text, linkSpans);

  const phoneSpans = findPhoneSpans(words);
  const withoutPhones = maskSpans(words, phoneSpans);

  const dates = extractDates(withoutPhones, today, numericDateOrderFor(homeCurrency));
  const withoutDates = maskSpans(withoutPhones, dates.spans);

  const timeSpans = findTimeSpans(withoutDates);
  const mention = dates.mention;
  return {
    text,
    words,
    scanText: maskSpans(withoutDates, timeSpans),
    linkSpans,
    phoneSpans,
    dateSpans: dates.spans,
    timeSpans,
    date: mention?.date ?? today,
    isFutureDate: mention?.explicit === true && compareCivilDates(mention.date, today) > 0,
  };
}

function notATransaction(message: PreparedMessage, flags: ParseFlag[]): ParseResult {
  return {
    kind: 'none',
    amount: null,
    currency: null,
    date: formatCivilDate(message.date),
    merchant: null,
    description: tidyDescription(message.text) || message.text.trim(),
    category: null,
    confidence: scoreConfidence({
      kind: 'none',
      hasAmount: false,
      hasCategory: false,
      currencyWritten: false,
      flags,
    }),
    flags,
  };
}

/** Lists why a message without an amount is not a transaction, from what the preparation and the scan masked. */
function reasonsWithoutAmount(message: PreparedMessage, scan: AmountScan): ParseFlag[] {
  const reasons = new Set<ParseFlag>();
  if (message.timeSpans.length > 0) {
    reasons.add('time');
  }

  if (message.phoneSpans.length > 0) {
    reasons.add('phone-number');
  }

  for (const nonAmount of scan.nonAmounts) {
    const flag = NONE_REASON_FLAGS[nonAmount.reason];
    if (flag) {
      reasons.add(flag);
    }
  }

  const restWithoutDates = tidyDescription(maskSpans(message.words, message.dateSpans));
  if (message.dateSpans.length > 0 && restWithoutDates === '') {
    reasons.add('date-only');
  }

  return reasons.size > 0 ? [...reasons] : ['not-a-transaction'];
}

/**
 * Collects every span to mask for merchant search: links, phones, dates, times and every number, except digits inside
 * a word, which may be part of the name (7-Eleven).
 */
function numberAndDateSpans(message: PreparedMessage, scan: AmountScan): Span[] {
  const amounts = [scan.primary, scan.original, ...scan.additional].filter(
    (amount): amount is ScannedAmount => amount !== null,
  );
  return [
    ...message.linkSpans,
    ...message.phoneSpans,
    ...message.dateSpans,
    ...message.timeSpans,
    ...amounts.map((amount) => amount.token.span),
    ...scan.nonAmounts
      .filter((nonAmount) => nonAmount.reason !== 'embedded')
      .map((nonAmount) => nonAmount.span),
  ];
}

function findMerchant(message: PreparedMessage, scan: AmountScan, kind: TransactionKind): string | null {
  const acceptFrom =
    kind === 'income' || kind === 'refund' || /\b(?:bought|ordered|purchased)\b/i.test(message.words);
  const masked = maskSpans(message.text, numberAndDateSpans(message, scan), '|');
  return extractMerchant(masked, { acceptFrom, isCategoryKeyword })?.name ?? null;
}

function withoutAmount(message: PreparedMessage, scan: AmountScan, homeCurrency: string): ParseResult {
  const categoryMatch = findCategory(message.words);
  const transactional = hasTransactionWords(message.words) || categoryMatch?.strength === 'strong';
  if (!transactional) {
    return notATransaction(message, reasonsWithoutAmount(message, scan));
  }

  const kind = decideKindWithoutAmount(message.words);
  const category = kind === 'income' ? 'Income' : (categoryMatch?.category ?? null);
  const flags: ParseFlag[] = ['missing-amount'];
  return {
    kind,
    amount: null,
    currency: homeCurrency,
    date: formatCivilDate(message.date),
    merchant: findMerchant(message, scan, kind),
    description:
      describeWithout(message.text, [...message.linkSpans, ...message.dateSpans]) || KIND_LABELS[kind],
    category,
    confidence: scoreConfidence({
      kind,
      hasAmount: false,
      hasCategory: category !== null,
      currencyWritten: false,
      flags,
    }),
    flags,
  };
}

function withAmount(message: PreparedMessage, scan: AmountScan, primary: ScannedAmount): ParseResult {
  const directionToken = scan.original?.token ?? primary.token;
  const bankNotation = scan.original !== null;
  const decision = decideKind(message.words, {
    negative: directionToken.sign === 'minus' || (!bankNotation && directionToken.parenthesized),
    positive: directionToken.sign === 'plus',
    bankNotation,
  });

  const category = decision.kind === 'income' ? 'Income' : (findCategory(message.words)?.category ?? null);
  const merchant = findMerchant(message, scan, decision.kind);

  const noise = scan.nonAmounts
    .filter((nonAmount) => DESCRIPTION_NOISE.has(nonAmount.reason))
    .map((n) => n.span);
  const removed = [...message.linkSpans, ...message.dateSpans, ...noise];
  const firstSpan = scan.original
    ? { start: scan.original.token.span.start, end: primary.token.span.end }
    : primary.token.span;
  const unitSpans = [firstSpan, ...scan.additional.map((amount) => amount.token.span)];
  const descriptions = describeEachAmount(message.text, unitSpans, removed);
  const description =
    (scan.additional.length > 0
      ? descriptions[0]
      : describeWithout(message.text, [...removed, ...unitSpans])) ||
    merchant ||
    category ||
    KIND_LABELS[decision.kind];

  const flags = new Set<ParseFlag>(primary.flags);
  if (scan.additional.length > 0) {
    flags.add('multiple-amounts');
  }

  if (decision.fromWordsOnly) {
    flags.add('direction-from-words');
  }

  if (category === null) {
    flags.add('unknown-category');
  }

  if (message.isFutureDate) {
    flags.add('future-date');
  }

  const result: ParseResult = {
    kind: decision.kind,
    amount: primary.amount,
    currency: primary.currency,
    date: formatCivilDate(message.date),
    merchant,
    description,
    category,
    confidence: scoreConfidence({
      kind: decision.kind,
      hasAmount: true,
      hasCategory: category !== null,
      currencyWritten: primary.currencyWritten,
      flags: [...flags],
    }),
    flags: [...flags],
  };

  if (scan.additional.length > 0) {
    result.additional = scan.additional.map((amount, index) => ({
      amount: amount.amount,
      description: descriptions[index + 1] ?? '',
    }));
  }

  if (scan.original?.currency) {
    result.original = { amount: scan.original.amount, currency: scan.original.currency };
  }

  return result;
}

/**
 * Parses one chat message into a transaction proposal.
 *
 * The result's `amount` is a non-negative decimal string and `kind` carries the direction. `date` is the
 * local date in `context.timeZone`. `confidence` follows {@link scoreConfidence}, and `flags` lists what lowered
 * it. Questions, greetings, times, phone numbers, order numbers and bare dates or years come back as
 * `kind: 'none'` with `amount: null`.
 *
 * @throws InvalidTimeZoneError when `context.timeZone` is not an IANA zone.
 * @throws InvalidParseContextError when `context.referenceTime` is invalid or `context.homeCurrency` is not a
 *   three-letter code.
 * @example parseMessage('spent 12.50 on lunch at Subway', context)
 *   // { kind: 'expense', amount: '12.50', currency: 'USD', merchant: 'Subway', category: 'Food & Dining', ... }
 */
export function parseMessage(text: string, context: ParseContext): ParseResult {
  const homeCurrency = validateHomeCurrency(context.homeCurrency);
  validateReferenceTime(context.referenceTime);
  const today = civilDateAt(context.referenceTime, context.timeZone);
  const message = prepareMessage(text, today, homeCurrency);

  if (isQuestion(text)) {
    return notATransaction(message, ['question']);
  }

  if (isGreeting(text)) {
    return notATransaction(message, ['greeting']);
  }

  if (isYearOnly(message.words)) {
    return notATransaction(message, ['year-only']);
  }

  const scan = scanAmounts(message.scanText, homeCurrency);
  if (!scan.primary) {
    return withoutAmount(message, scan, homeCurrency);
  }

  return withAmount(message, scan, scan.primary);
}
