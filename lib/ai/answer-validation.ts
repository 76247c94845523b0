/**
 * Validation of a model's transaction response. Nothing from the model is trusted: the category must be one
 * of the 15, the amount must follow from numbers in the message, the date must be plausible around the
 * reference time, and numbers or categories written in instruction-like text do not count.
 */
import Decimal from 'decimal.js';
import { type Category, isCategory } from '../domain/categories';
import { currencyExponent } from '../domain/money';
import {
  addDays,
  type CivilDate,
  compareCivilDates,
  formatCivilDate,
  isValidCivilDate,
} from '../parsing/civil-date';
import { findInstructionSpans, withoutInstructions } from './instruction-text';
import { followsFromNumbers, numbersInText } from './text-numbers';

/** A transaction read by the model and validated against the message. */
export interface AiTransaction {
  kind: 'expense' | 'income' | 'refund';
  /** Positive decimal string with the currency's minor-unit digits, such as `12.50`. */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  merchant: string | null;
  category: Category;
  description: string;
}

/** Reason a model response was not used. */
export type RejectionReason =
  | 'malformed-json'
  | 'invalid-shape'
  | 'not-a-transaction'
  | 'unknown-category'
  | 'invalid-amount'
  | 'amount-not-in-text'
  | 'invalid-currency'
  | 'implausible-date'
  | 'instruction-in-message';

/** Outcome of {@link validateAnswer}. */
export type AnswerValidation =
  | { ok: true; transaction: AiTransaction }
  | { ok: false; reason: RejectionReason; detail: string };

/** Inputs that the response is checked against. */
export interface ValidationContext {
  /** The user's message as sent. */
  text: string;
  homeCurrency: string;
  /** The user's local date at the reference time. */
  today: CivilDate;
}

/** Days after today that a date may lie, for time-zone edges and "tomorrow" typed just before midnight. */
const MAX_FUTURE_DAYS = 1;
/** Days before today that a date may lie when the message names no year. */
const MAX_PAST_DAYS = 366;
const MAX_MERCHANT_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 200;
const KINDS = ['expense', 'income', 'refund'] as const;

/** Validates a parsed answer object against the message. */
export function validateAnswer(
  answer: Record<string, unknown>,
  context: ValidationContext,
): AnswerValidation {
  if (answer.kind === 'none') {
    return reject('not-a-transaction', 'the model found no transaction in the message');
  }
  if (!(KINDS as readonly unknown[]).includes(answer.kind)) {
    return reject('invalid-shape', `kind ${JSON.stringify(answer.kind)} is not expense, income or refund`);
  }
  const kind = answer.kind as AiTransaction['kind'];

  const category = answer.category;
  if (typeof category !== 'string' || !isCategory(category)) {
    return reject('unknown-category', `category ${JSON.stringify(category)} is not one of the 15 categories`);
  }

  const currency =
    typeof answer.currency === 'string' ? answer.currency.trim().toUpperCase() : context.homeCurrency;
  if (!isIsoCurrency(currency)) {
    return reject('invalid-currency', `currency ${JSON.stringify(answer.currency)} is not an ISO 4217 code`);
  }

  const instructions = findInstructionSpans(context.text);
  const evidence = withoutInstructions(context.text, instructions);
  const amount = checkAmount(answer.amount, currency, evidence);
  if (!amount.ok) {
    return amount;
  }
  if (instructions.some((span) => span.text.toLowerCase().includes(category.toLowerCase()))) {
    return reject('instruction-in-message', `category ${category} is named inside instruction-like text`);
  }

  const date = checkDate(answer.date, context);
  if (!date.ok) {
    return date;
  }

  return {
    ok: true,
    transaction: {
      kind,
      amount: amount.value,
      currency,
      date: date.value,
      merchant: cleanText(answer.merchant, MAX_MERCHANT_LENGTH) || null,
      category,
      description: cleanText(answer.description, MAX_DESCRIPTION_LENGTH),
    },
  };
}

function checkAmount(
  raw: unknown,
  currency: string,
  evidence: string,
): { ok: true; value: string } | { ok: false; reason: RejectionReason; detail: string } {
  // Numbers are accepted besides strings because some replies ignore the schema's string type. Their
  // shortest decimal form (`12.5`) is exact for amounts of a few digits.
  const written = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  if (typeof written !== 'string' || !/^\d+(?:\.\d+)?$/.test(written.trim())) {
    return reject(
      'invalid-amount',
      `amount ${JSON.stringify(raw)} is not a positive decimal such as "12.50"`,
    );
  }
  const value = new Decimal(written.trim());
  const exponent = currencyExponent(currency);
  if (value.isZero() || value.decimalPlaces() > exponent) {
    return reject(
      'invalid-amount',
      `amount ${written} is zero or has more than ${exponent} decimals for ${currency}`,
    );
  }
  if (!followsFromNumbers(value, numbersInText(evidence))) {
    return reject(
      'amount-not-in-text',
      `amount ${written} is not written in the message nor a sum or product of its numbers`,
    );
  }

  return { ok: true, value: value.toFixed(exponent) };
}

function checkDate(
  raw: unknown,
  context: ValidationContext,
): { ok: true; value: string } | { ok: false; reason: RejectionReason; detail: string } {
  if (raw === null || raw === undefined || raw === '') {
    return { ok: true, value: formatCivilDate(context.today) };
  }
  const match = typeof raw === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw) : null;
  const [year, month, day] = (match?.slice(1) ?? []).map(Number) as [number, number, number];
  if (match === null || !isValidCivilDate(year, month, day)) {
    return reject('implausible-date', `date ${JSON.stringify(raw)} is not a calendar date YYYY-MM-DD`);
  }

  const date: CivilDate = { year, month, day };
  if (compareCivilDates(date, addDays(context.today, MAX_FUTURE_DAYS)) > 0) {
    return reject('implausible-date', `date ${raw} is more than ${MAX_FUTURE_DAYS} day after today`);
  }
  const namedYears = [...context.text.matchAll(/\b(19\d{2}|20\d{2})\b/g)].map((found) => Number(found[1]));
  const tooOld = compareCivilDates(date, addDays(context.today, -MAX_PAST_DAYS)) < 0;
  if (namedYears.length > 0 ? !namedYears.includes(year) : tooOld) {
    return reject(
      'implausible-date',
      namedYears.length > 0
        ? `date ${raw} is not in a year the message names (${namedYears.join(', ')})`
        : `date ${raw} is more than ${MAX_PAST_DAYS} days before today and the message names no year`,
    );
  }

  return { ok: true, value: raw as string };
}

// Currency codes that this runtime's Intl supports, so an invented code is rejected.
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

function isIsoCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && ISO_CURRENCIES.has(code);
}

function cleanText(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') {
    return '';
  }

  return value.replace(/\s+/g, ' ').trim().slice(0, maxLength);
}

function reject(
  reason: RejectionReason,
  detail: string,
): { ok: false; reason: RejectionReason; detail: string } {
  return { ok: false, reason, detail };
}
