/**
 * Machine-readable reasons that the parser puts in `ParseResult.flags`.
 * Each one lowered the confidence or explains why the message is not a transaction.
 */
export type ParseFlag =
  /** A single `.` or `,` followed by three digits could be a decimal or a group separator. */
  | 'ambiguous-separator'
  /** A symbol or word such as `$` or `kr` names several currencies and the home currency does not settle it. */
  | 'ambiguous-currency'
  /** The amount has more decimals than the currency's minor unit, for example `0.075 EUR`. */
  | 'excess-precision'
  /** The message has more than one amount, so the bot lists them for confirmation. */
  | 'multiple-amounts'
  /** The direction (refund) comes only from words such as "back" or "refund", not from a sign. */
  | 'direction-from-words'
  /** No category keyword or known merchant matched. */
  | 'unknown-category'
  /** The message looks like a transaction but has no amount. */
  | 'missing-amount'
  /** An explicit date lies after the reference time's local date. */
  | 'future-date'
  /** The message is a question. */
  | 'question'
  /** The message is a greeting or thanks. */
  | 'greeting'
  /** The only numbers are clock times such as `5pm` or `12:30`. */
  | 'time'
  /** The only numbers form a phone number. */
  | 'phone-number'
  /** The only numbers are order, reference or card numbers. */
  | 'reference-number'
  /** The message contains a date and nothing else. */
  | 'date-only'
  /** The message is a year such as `2024`, or a year is its only number. */
  | 'year-only'
  /** The only numbers are measurements or counts such as `5 km` or `3 kids`. */
  | 'measurement'
  /** Nothing in the message names an amount, a purchase or an income. */
  | 'not-a-transaction';
