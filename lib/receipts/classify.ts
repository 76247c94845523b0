import {
  CASH,
  CASH_LINE_START,
  CHANGE,
  COUNT,
  DISCOUNT,
  INFO,
  OTHER_BALANCE,
  PAYMENT,
  SAVINGS_SUMMARY,
  STRONG_TOTAL,
  SUBTOTAL,
  TAX,
  TAX_INCLUDED,
  TIP,
  TIP_SUGGESTION,
  TOTAL,
} from './keywords';
import type { LineClass } from './types';

/** Strong total anchors outrank plain ones; the rank of every other class is 0. */
export type TotalStrength = 'strong' | 'plain' | null;

/** The class of a receipt line and, for totals, how strongly the label marks the amount paid. */
export interface LineClassification {
  lineClass: LineClass;
  totalStrength: TotalStrength;
}

/** Where the line stands, which decides how weak words read ("card" before the total may be an item). */
export interface LineContext {
  hasAmount: boolean;
  negative: boolean;
  /** True once a total, subtotal or tax line was seen above this one: the item list is over. */
  afterTotal: boolean;
  /** True while no line with an amount was seen yet. */
  beforeFirstAmount: boolean;
}

function of(lineClass: LineClass, totalStrength: TotalStrength = null): LineClassification {
  return { lineClass, totalStrength };
}

/** Card brands read as a payment anywhere; other payment words only after the total. */
const STRONG_TENDERS = /(?<![\p{L}])(?:visa|mastercard|maestro|amex|american express|girocard)(?![\p{L}])/u;

/**
 * Classifies a receipt line by its folded label (see `foldLabel`). Order matters: cash and change before
 * totals, counts and subtotals before totals ("TOTAL QTY", "TOTAL (EXCL. TAX)"), strong anchors before tax
 * words ("Total incl. VAT"), tips and discounts before plain totals ("Total discount").
 */
export function classifyLine(label: string, context: LineContext): LineClassification {
  if (!context.hasAmount) {
    return of(context.beforeFirstAmount ? 'header' : 'info');
  }

  if (SAVINGS_SUMMARY.test(label) || TIP_SUGGESTION.test(label) || OTHER_BALANCE.test(label)) {
    return of('info');
  }

  if (CHANGE.test(label)) {
    return of('change');
  }

  if (CASH.test(label) || CASH_LINE_START.test(label)) {
    return of('cash');
  }

  if (COUNT.test(label)) {
    return of('count');
  }

  if (SUBTOTAL.test(label)) {
    return of('subtotal');
  }

  if (STRONG_TOTAL.test(label)) {
    return of('total', 'strong');
  }

  if (TAX.test(label)) {
    return TOTAL.test(label) && TAX_INCLUDED.test(label) ? of('total', 'plain') : of('tax');
  }

  if (TIP.test(label)) {
    return of('tip');
  }

  if (DISCOUNT.test(label)) {
    return of('discount');
  }

  if (TOTAL.test(label)) {
    return of('total', 'plain');
  }

  if (STRONG_TENDERS.test(label) || (context.afterTotal && PAYMENT.test(label))) {
    return of('payment');
  }

  if (INFO.test(label)) {
    return of('info');
  }

  if (context.afterTotal) {
    return of('info');
  }

  return of(context.negative ? 'discount' : 'item');
}
