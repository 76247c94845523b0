import Decimal from 'decimal.js';
import { currencyExponent } from '../domain/money';
import { formatAmount } from '../parsing/amounts';
import { type CivilDate, civilDateAt, isValidCivilDate } from '../parsing/civil-date';
import { type DecimalConvention, decimalConventionFor } from '../parsing/currencies';
import { findPhoneSpans, findTimeSpans } from '../parsing/non-amounts';
import { findUrlSpans, maskSpans } from '../parsing/spans';
import { classifyLine } from './classify';
import { type LayoutLine, pairColumns } from './columns';
import { findLineAmounts, type LineAmount, type NumberContext, quantityBefore } from './line-amounts';
import { foldLabel, type ReceiptLine, readReceiptLines } from './ocr-noise';
import { detectReceiptCurrency } from './receipt-currency';
import { dateSpans, findReceiptDate } from './receipt-date';
import { findMerchant } from './receipt-merchant';
import { type ClassifiedEntry, checkTotals, type ReceiptSums, sumReceipt, type TotalSource } from './totals';
import type { ReceiptOptions, ReceiptParse } from './types';

/** Raised when the options cannot be used, for example a home currency that is no ISO 4217 code. */
export class InvalidReceiptOptionsError extends Error {
  override readonly name = 'InvalidReceiptOptionsError';
}

/** One receipt line with its amounts read. */
interface AnalyzedLine {
  line: ReceiptLine;
  /** The line's own amount: the rightmost price, or quantity × unit price when only a unit price is printed. */
  amount: Decimal | null;
  /** The text with every amount, quantity and masked date removed, for keyword matching. */
  label: string;
  /** The text left of the line's amount, for the item description. */
  description: string;
  layout: LayoutLine;
}

function todayFor(options: ReceiptOptions): CivilDate {
  if (options.referenceDate !== undefined) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(options.referenceDate);
    const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
    if (!isValidCivilDate(year, month, day)) {
      throw new InvalidReceiptOptionsError(
        `Invalid referenceDate "${options.referenceDate}": use YYYY-MM-DD.`,
      );
    }

    return { year, month, day };
  }

  return civilDateAt(new Date(), options.timeZone ?? 'UTC');
}

/** The decimal convention the receipt itself shows: `12,50` against `12.50`, when the currency does not tell. */
function conventionOf(lines: readonly ReceiptLine[], currency: string): DecimalConvention | null {
  const known = decimalConventionFor(currency);
  if (known) {
    return known;
  }

  const text = lines.map((line) => line.text).join('\n');
  const comma = text.match(/\d,\d{2}(?!\d)/g)?.length ?? 0;
  const point = text.match(/\d\.\d{2}(?!\d)/g)?.length ?? 0;
  if (comma === point) {
    return null;
  }

  return comma > point ? 'comma-decimal' : 'point-decimal';
}

function maskNonAmounts(text: string, today: CivilDate): string {
  const withoutLinks = maskSpans(text, findUrlSpans(text));
  const withoutPhones = maskSpans(withoutLinks, findPhoneSpans(withoutLinks));
  const withoutDates = maskSpans(withoutPhones, dateSpans(withoutPhones, today));
  return maskSpans(withoutDates, findTimeSpans(withoutDates));
}

const QUANTITY = /\b\d+(?:[.,]\d+)?\s*(?:\p{L}{1,4}\.?\s*)?[x×*@]\s*$|\b\d+(?:[.,]\d+)?\s*[x×*@](?=\s)/gu;

/** Words of a quantity line such as `2 UN X 8,49` or `0.935 kg @ £0.84/kg`, which name no product. */
const QUANTITY_WORDS =
  /\b(?:kg|g|gr|lb|lbs|oz|l|ml|cl|un|und|unid|pcs|pc|pz|stk|st|x|ea|each|je|qty|qtd)\b/giu;

/** Returns true when a description holds only quantities, units and symbols. */
function isQuantityOnly(description: string): boolean {
  return description.replace(QUANTITY_WORDS, '').replace(/[^\p{L}]/gu, '').length === 0;
}

function tidy(text: string, currency?: string): string {
  const withoutCode = currency
    ? text.replace(new RegExp(`(?<![\\p{L}])${currency}(?![\\p{L}])`, 'gu'), ' ')
    : text;
  return withoutCode
    .replace(/\p{Sc}/gu, ' ')
    .replace(QUANTITY, ' ')
    .replace(/\s{2,}/g, ' ')
    .replace(/(?:^|\s)[x×@]\s*$/u, '')
    .replace(/^[\s.:*\-–—=#]+|[\s.:*\-–—=]+$/gu, '')
    .trim();
}

function lineAmount(text: string, amounts: readonly LineAmount[]): LineAmount & { total: Decimal } {
  const lineTotal = amounts.filter((amount) => !amount.unitPrice).at(-1);
  if (lineTotal) {
    return { ...lineTotal, total: lineTotal.value };
  }

  const unit = amounts.at(-1)!;
  const quantity = quantityBefore(text, unit);
  return { ...unit, total: quantity ? unit.value.times(quantity) : unit.value };
}

function analyzeLine(
  line: ReceiptLine,
  today: CivilDate,
  numbers: NumberContext,
  currency: string,
): AnalyzedLine {
  const masked = maskNonAmounts(line.text, today);
  const amounts = findLineAmounts(masked, numbers);
  const withoutAmounts = maskSpans(
    masked,
    amounts.map((amount) => amount.span),
  );
  const label = tidy(withoutAmounts);
  const letters = label.match(/\p{L}/gu)?.length ?? 0;
  const blank = line.text.trim() === '';

  if (amounts.length === 0) {
    return {
      line,
      amount: null,
      label,
      description: label,
      layout: { labelOnly: !blank && letters >= 2, amountOnly: false, blank },
    };
  }

  const chosen = lineAmount(masked, amounts);
  const before = maskSpans(
    masked.slice(0, chosen.span.start),
    amounts.map((amount) => amount.span),
  );
  const amountOnly = /^[\s*]*(?:\p{Lu}[\s*]*)?$/u.test(withoutAmounts) && amounts.length === 1;
  return {
    line,
    amount: chosen.total,
    label,
    description: tidy(before, currency),
    layout: { labelOnly: false, amountOnly, blank },
  };
}

/**
 * A product name printed on its own line above a quantity line (`ARROZ 5KG` over `1 UN X 24,90  24,90`):
 * returns that name when this line's description holds only quantities.
 */
function describeFromLineAbove(
  analyzed: readonly AnalyzedLine[],
  index: number,
  pairs: ReadonlyMap<number, number>,
  amountByLabel: ReadonlyMap<number, Decimal>,
): string | null {
  if (!isQuantityOnly(analyzed[index]!.description)) {
    return null;
  }

  const above = analyzed[index - 1];
  const usable = above?.layout.labelOnly && !pairs.has(index - 1) && !amountByLabel.has(index - 1);
  return usable ? above!.label : null;
}

/** Classifies every line that has an amount, after moving column-layout amounts to their labels. */
function classifyEntries(analyzed: readonly AnalyzedLine[]): { entries: ClassifiedEntry[]; uneven: boolean } {
  const { pairs, uneven } = pairColumns(analyzed.map((entry) => entry.layout));
  const amountByLabel = new Map<number, Decimal>();
  for (const [amountIndex, labelIndex] of pairs) {
    amountByLabel.set(labelIndex, analyzed[amountIndex]!.amount!);
  }

  const entries: ClassifiedEntry[] = [];
  let afterTotal = false;
  for (const [index, line] of analyzed.entries()) {
    if (pairs.has(index)) {
      continue;
    }

    const amount = amountByLabel.get(index) ?? line.amount;
    if (amount === null) {
      continue;
    }

    const description = amountByLabel.has(index)
      ? line.label
      : (describeFromLineAbove(analyzed, index, pairs, amountByLabel) ?? line.description);
    const { lineClass, totalStrength } = classifyLine(foldLabel(line.label), {
      hasAmount: true,
      negative: amount.isNegative(),
      afterTotal,
      beforeFirstAmount: false,
    });
    afterTotal ||= lineClass === 'total' || lineClass === 'subtotal' || lineClass === 'tax';
    entries.push({ position: index, lineClass, totalStrength, amount, description });
  }

  return { entries, uneven };
}

const TOTAL_SCORES: Record<Exclude<TotalSource, null>, number> = {
  'strong-anchor': 0.45,
  'plain-anchor': 0.4,
  payment: 0.2,
  computed: 0.15,
};

function format(value: Decimal | null, currency: string): string | null {
  return value === null ? null : formatAmount(value, 0, currency).amount;
}

/**
 * Reads a receipt's OCR text into a draft transaction: merchant, date, currency, total and line items.
 *
 * Amounts are exact decimal strings read with the message parser's number rules, so `1.234,56`, `1 234,56`,
 * `12,50 €`, `R$ 59,90`, `₹1,00,000` and `¥1,200` all come out right. The total comes from tiered anchors
 * (see `chooseTotal`) and is checked against items, tax, tip and discounts; the check feeds `confidence`.
 * Nothing here throws on odd text: a field that cannot be read is `null`, with a warning saying why.
 * @throws InvalidReceiptOptionsError when `homeCurrency` or `referenceDate` is malformed.
 */
export function parseReceipt(ocrText: string, options: ReceiptOptions): ReceiptParse {
  if (!/^[A-Za-z]{3}$/.test(options.homeCurrency)) {
    throw new InvalidReceiptOptionsError(
      `Invalid homeCurrency "${options.homeCurrency}": use a three-letter ISO 4217 code such as EUR.`,
    );
  }

  const homeCurrency = options.homeCurrency.toUpperCase();
  const today = todayFor(options);
  const lines = readReceiptLines(String(ocrText ?? ''));
  const warnings: string[] = [];

  const detected = detectReceiptCurrency(lines, homeCurrency);
  const currency = detected.currency;
  // An address in the user's own currency area confirms the home currency; one elsewhere must be confirmed.
  const currencyTrust = detected.source === 'place' && currency === homeCurrency ? 'marker' : detected.source;
  if (currencyTrust === 'home') {
    warnings.push('currency-assumed-home');
  } else if (currencyTrust === 'place') {
    warnings.push('currency-from-address');
  }
  if (detected.ambiguous) {
    warnings.push('currency-ambiguous');
  }

  const exponent = currencyExponent(currency);
  const numbers: NumberContext = {
    exponent,
    convention: conventionOf(lines, currency),
    requireMarker: exponent === 0 && detected.markedAmounts >= 2,
  };
  const analyzed = lines.map((line) => analyzeLine(line, today, numbers, currency));
  const { entries, uneven } = classifyEntries(analyzed);
  if (uneven) {
    warnings.push('column-layout-uneven');
  }

  const sums: ReceiptSums = sumReceipt(entries);
  const tolerance = new Decimal(10).pow(-exponent).times(2);
  const check = checkTotals(sums, tolerance);
  if (sums.total === null) {
    warnings.push('total-not-found');
  } else if (sums.totalSource === 'payment' || sums.totalSource === 'computed') {
    warnings.push(`total-from-${sums.totalSource}`);
  }
  if (check.checkable && !check.itemsMatch && !check.tenderMatch) {
    warnings.push('totals-mismatch');
  }

  const firstAmountLine = analyzed.findIndex((line) => line.amount !== null);
  const merchant = findMerchant(lines, firstAmountLine);
  if (merchant === null) {
    warnings.push('merchant-not-found');
  }

  const receiptDate = findReceiptDate(lines, today, currency);
  warnings.push(...receiptDate.warnings);

  const items = entries
    .filter((entry) => entry.lineClass === 'item')
    .map((entry) => ({ description: entry.description, amount: format(entry.amount, currency)! }));

  let confidence = sums.totalSource ? TOTAL_SCORES[sums.totalSource] : 0;
  confidence += check.itemsMatch ? 0.25 : 0;
  confidence += check.tenderMatch ? 0.05 : 0;
  confidence += merchant ? 0.1 : 0;
  confidence += receiptDate.date && receiptDate.warnings.length === 0 ? 0.1 : 0;
  confidence += { marker: 0.1, place: 0.03, home: 0 }[currencyTrust];
  confidence -= detected.ambiguous ? 0.05 : 0;
  // A currency read from the address or assumed from the user must be confirmed, whatever else adds up.
  const ceiling = { marker: 1, place: 0.7, home: 0.85 }[currencyTrust];
  confidence = Math.round(Math.min(ceiling, Math.max(0, confidence)) * 100) / 100;

  return {
    merchant,
    date: receiptDate.date,
    currency,
    total: format(sums.total, currency),
    items,
    confidence,
    warnings,
    breakdown: {
      subtotal: format(sums.subtotal, currency),
      tax: format(sums.tax, currency),
      tip: format(sums.tip, currency),
      discount: format(sums.discount, currency),
      cash: format(sums.cash, currency),
      change: format(sums.change, currency),
    },
  };
}
