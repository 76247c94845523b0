import Decimal from 'decimal.js';
import { currencyExponent } from '../domain/money';
import type { DecimalConvention } from './currencies';

/** Characters that may separate digit groups or the fraction inside one written number. */
const SEPARATORS = new Set(['.', ',', ' ', '\u00A0', '\u202F', '\u2009', "'", '\u2019']);

/** Separators that only ever group digits: spaces (plain, NBSP, narrow NBSP, thin) and apostrophes. */
const GROUP_ONLY_SEPARATORS = new Set([' ', '\u00A0', '\u202F', '\u2009', "'", '\u2019']);

/** A run of digits and single separators as written, before deciding which separator is the decimal one. */
export interface NumberShape {
  start: number;
  end: number;
  /** Digit runs in order, for example `['1', '234', '56']` for `1 234.56`. */
  groups: string[];
  /** `separators[i]` is between `groups[i]` and `groups[i + 1]`. */
  separators: string[];
}

/** The value of a {@link NumberShape} once the decimal separator is known. */
export interface InterpretedNumber {
  value: Decimal;
  /** Digits written after the decimal separator (2 for `20,00`), kept so `20,00` formats as `20.00`. */
  fractionDigits: number;
  /** True when `727,242` or `12.345` could not be settled by the currency or the user's convention. */
  ambiguousSeparator: boolean;
}

/** How to read separators: the user's convention and the minor-unit exponent of the amount's currency. */
export interface InterpretOptions {
  convention: DecimalConvention | null;
  exponent: number;
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}

function readDigits(text: string, start: number): string {
  let end = start;
  while (isDigit(text[end])) {
    end += 1;
  }

  return text.slice(start, end);
}

/**
 * Reads the longest number starting at `start`: digit groups joined by single separators.
 * Two separators in a row (`1, 2`) end the number, so list punctuation never glues numbers together.
 */
export function readNumberShape(text: string, start: number): NumberShape {
  const first = readDigits(text, start);
  const groups = [first];
  const separators: string[] = [];
  let index = start + first.length;

  while (SEPARATORS.has(text[index] ?? '') && isDigit(text[index + 1])) {
    const group = readDigits(text, index + 1);
    separators.push(text[index]!);
    groups.push(group);
    index += 1 + group.length;
  }

  return { start, end: index, groups, separators };
}

/** Returns true when a plain ASCII space separates two groups, as in `1 234.56`. */
export function hasPlainSpaceSeparator(shape: NumberShape): boolean {
  return shape.separators.includes(' ');
}

/** Cuts the shape before its first plain space, so `50 20` becomes `50` and the rest is read again. */
export function truncateAtPlainSpace(shape: NumberShape): NumberShape {
  const cut = shape.separators.indexOf(' ');
  if (cut < 0) {
    return shape;
  }

  const groups = shape.groups.slice(0, cut + 1);
  const separators = shape.separators.slice(0, cut);
  const length = groups.reduce((total, group) => total + group.length, 0) + separators.length;
  return { start: shape.start, end: shape.start + length, groups, separators };
}

/** Returns true when the shape ends with a mark followed by one or two digits, as in `1 234.56`. */
export function hasShortFraction(shape: NumberShape): boolean {
  const lastSeparator = shape.separators.at(-1);
  const lastGroup = shape.groups.at(-1) ?? '';
  return (lastSeparator === '.' || lastSeparator === ',') && lastGroup.length <= 2;
}

/**
 * Checks digit grouping: western groups of three (`1,234,567`) or Indian lakh grouping (`1,00,000`,
 * `12,34,567`), with one separator character throughout.
 */
export function isValidGrouping(groups: readonly string[], separators: readonly string[]): boolean {
  if (separators.length === 0) {
    return true;
  }

  const separator = separators[0]!;
  if (separators.some((other) => other !== separator)) {
    return false;
  }

  const first = groups[0]!;
  if (first.length > 3 || first.startsWith('0')) {
    return false;
  }

  const rest = groups.slice(1);
  if (rest.every((group) => group.length === 3)) {
    return true;
  }

  const middle = rest.slice(0, -1);
  const isIndian =
    separator === ',' &&
    first.length <= 2 &&
    middle.length > 0 &&
    middle.every((group) => group.length === 2) &&
    rest.at(-1)!.length === 3;
  return isIndian;
}

function wholeNumber(groups: readonly string[]): InterpretedNumber {
  return { value: new Decimal(groups.join('')), fractionDigits: 0, ambiguousSeparator: false };
}

function decimalNumber(integerDigits: string, fraction: string): InterpretedNumber {
  return {
    value: new Decimal(`${integerDigits}.${fraction}`),
    fractionDigits: fraction.length,
    ambiguousSeparator: false,
  };
}

/**
 * Decides which separator is the decimal one and returns the exact value, or `null` when the shape is no
 * amount (for example the version number `1.2.3`).
 *
 * Rules, in order:
 * - Spaces and apostrophes only group digits (`123 456`, `1'000`).
 * - With both `.` and `,`, the last one is the decimal separator (`1.000,00`, `1,234.56`).
 * - A mark written twice or more groups digits (`1.000.000`, `1,00,000`).
 * - A single mark is decimal unless exactly three digits follow a non-zero integer part of one to three digits.
 * - That last case (`727,242`, `12.345`) follows `options.convention`. When the convention reads the mark as
 *   decimal but the currency has fewer than three minor digits, or there is no convention, the grouping
 *   reading is returned with `ambiguousSeparator` set. Zero-exponent currencies such as JPY always group.
 */
export function interpretNumber(shape: NumberShape, options: InterpretOptions): InterpretedNumber | null {
  const { groups, separators } = shape;
  if (separators.length === 0) {
    return wholeNumber(groups);
  }

  const lastSeparator = separators.at(-1)!;
  if (GROUP_ONLY_SEPARATORS.has(lastSeparator)) {
    return isValidGrouping(groups, separators) ? wholeNumber(groups) : null;
  }

  const marks = separators.filter((separator) => !GROUP_ONLY_SEPARATORS.has(separator));
  const integerGroups = groups.slice(0, -1);
  const integerSeparators = separators.slice(0, -1);
  const fraction = groups.at(-1)!;

  if (new Set(marks).size === 2) {
    if (integerSeparators.includes(lastSeparator) || !isValidGrouping(integerGroups, integerSeparators)) {
      return null;
    }

    return decimalNumber(integerGroups.join(''), fraction);
  }

  if (marks.length >= 2) {
    return isValidGrouping(groups, separators) ? wholeNumber(groups) : null;
  }

  if (!isValidGrouping(integerGroups, integerSeparators)) {
    return null;
  }

  const integerDigits = integerGroups.join('');
  const integerWasGrouped = integerSeparators.length > 0;
  const cannotBeGrouping = fraction.length !== 3 || integerDigits.startsWith('0') || integerDigits.length > 3;
  if (integerWasGrouped || cannotBeGrouping) {
    return decimalNumber(integerDigits, fraction);
  }

  return interpretThreeDigitTail(integerDigits, fraction, lastSeparator, options);
}

/** Reads `727,242` or `12.345`, where only a convention or the currency can tell the separators apart. */
function interpretThreeDigitTail(
  integerDigits: string,
  fraction: string,
  mark: string,
  options: InterpretOptions,
): InterpretedNumber {
  const grouping = wholeNumber([integerDigits, fraction]);
  if (options.exponent === 0) {
    return grouping;
  }

  const decimalMark = options.convention === 'comma-decimal' ? ',' : '.';
  if (options.convention !== null && mark !== decimalMark) {
    return grouping;
  }

  if (options.convention !== null && options.exponent >= 3) {
    return decimalNumber(integerDigits, fraction);
  }

  return { ...grouping, ambiguousSeparator: true };
}

/** An amount formatted for {@link ParseResult.amount}. */
export interface FormattedAmount {
  amount: string;
  /** True when the value has more decimals than the currency's minor unit, for example `0.075 EUR`. */
  excessPrecision: boolean;
}

/**
 * Formats a non-negative value as a plain decimal string with the currency's exponent (`20.00`, `1200` for
 * JPY). A value with more decimals than the currency allows keeps them all and sets `excessPrecision`.
 * With no currency the written number of decimals is kept.
 */
export function formatAmount(
  value: Decimal,
  fractionDigits: number,
  currency: string | null,
): FormattedAmount {
  if (currency === null) {
    return { amount: value.toFixed(Math.max(fractionDigits, value.decimalPlaces())), excessPrecision: false };
  }

  const exponent = currencyExponent(currency);
  if (value.decimalPlaces() > exponent) {
    return { amount: value.toFixed(), excessPrecision: true };
  }

  return { amount: value.toFixed(exponent), excessPrecision: false };
}
