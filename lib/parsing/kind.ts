import type { TransactionKind } from './types';

/** The direction of a message with an amount, and whether only words decided it. */
export interface KindDecision {
  kind: Exclude<TransactionKind, 'none'>;
  /** True when a refund comes from words such as "refund" or "back" and no sign confirms it. */
  fromWordsOnly: boolean;
}

/** The signs written on the chosen amount. */
export interface AmountDirection {
  /** A minus written before or after the number, or accounting parentheses. */
  negative: boolean;
  /** A plus written before the number. */
  positive: boolean;
  /**
   * True when the amount comes from a bank notation such as `-19.99USD(896.41UAH)`. Bank exports write
   * debits as negative, so a minus there means an expense, unlike a minus typed by the user.
   */
  bankNotation: boolean;
}

const REFUND_PATTERNS: readonly RegExp[] = [
  /\brefund(?:s|ed)?\b/i,
  /\breimburse(?:d|ment|ments)?\b/i,
  /\bcharge\s?back\b/i,
  /\bcash\s?back\b/i,
  /\brevers(?:al|ed)\b/i,
  /\bmoney\s+back\b/i,
  /\b(?:got|get|getting|received|receive)\b(?:\s+\S+){0,4}?\s+back\b/i,
  /\b(?:paid|pays|gave|give|sent)\s+me\s+back\b/i,
  /\bback\s+from\b/i,
  /\breturn(?:ed|s)?\b(?!\s+(?:flight|ticket|trip|fare|journey|train|bus))/i,
];

const INCOME_PATTERNS: readonly RegExp[] = [
  /\bsalary\b/i,
  /\bpay\s?check\b/i,
  /\bpay\s?day\b/i,
  /\bpay\s?slip\b/i,
  /\bgot\s+paid\b/i,
  /\bpaid\s+me\b/i,
  /\breceived\b/i,
  /\bincome\b/i,
  /\bbonus\b/i,
  /\bfreelanc(?:e|ing)\b/i,
  /\bdividends?\b/i,
  /\bwages?\b/i,
  /\bearned\b/i,
  /\bearnings\b/i,
  /\bsold\b/i,
  /\bcredited\b/i,
  /\bstipend\b/i,
  /\bpension\b/i,
  /\bpayout\b/i,
  /\bwon\b/i,
  /\binterest\s+(?:earned|received|income|credited|paid\s+to\s+me)\b/i,
];

const EXPENSE_PATTERNS: readonly RegExp[] = [
  /\b(?:spent|spend|spending|paid|pay|paying|bought|buy|buying|purchased?|cost|costs|charged|debited|tipped|ordered)\b/i,
];

function matchesAny(patterns: readonly RegExp[], text: string): boolean {
  return patterns.some((pattern) => pattern.test(text));
}

/** Returns true when the text contains a refund word such as "refund", "reimbursed" or "got … back". */
export function hasRefundWords(text: string): boolean {
  return matchesAny(REFUND_PATTERNS, text);
}

/** Returns true when the text contains an income word such as "salary", "got paid" or "dividend". */
export function hasIncomeWords(text: string): boolean {
  return matchesAny(INCOME_PATTERNS, text);
}

/** Returns true when the text names spending, earning or getting money back, with or without an amount. */
export function hasTransactionWords(text: string): boolean {
  return matchesAny(EXPENSE_PATTERNS, text) || hasIncomeWords(text) || hasRefundWords(text);
}

/**
 * Decides the direction of a message with an amount.
 * Order: a written sign wins, then refund words, then income words, and anything else is an expense.
 * A minus typed by the user means money coming back (a refund). In bank notation a minus is a debit.
 */
export function decideKind(text: string, direction: AmountDirection): KindDecision {
  if (direction.bankNotation) {
    return { kind: direction.positive ? 'income' : 'expense', fromWordsOnly: false };
  }

  if (direction.negative) {
    return { kind: 'refund', fromWordsOnly: false };
  }

  if (direction.positive) {
    return { kind: hasRefundWords(text) ? 'refund' : 'income', fromWordsOnly: false };
  }

  if (hasRefundWords(text)) {
    return { kind: 'refund', fromWordsOnly: true };
  }

  if (hasIncomeWords(text)) {
    return { kind: 'income', fromWordsOnly: false };
  }

  return { kind: 'expense', fromWordsOnly: false };
}

/** Returns the direction a message without an amount talks about, for the "how much?" follow-up. */
export function decideKindWithoutAmount(text: string): Exclude<TransactionKind, 'none'> {
  if (hasRefundWords(text)) {
    return 'refund';
  }

  return hasIncomeWords(text) ? 'income' : 'expense';
}
