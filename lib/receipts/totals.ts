import Decimal from 'decimal.js';
import type { TotalStrength } from './classify';
import type { LineClass } from './types';

/** A classified line with its amount, in reading order. */
export interface ClassifiedEntry {
  /** Position of the label line in the receipt. */
  position: number;
  lineClass: LineClass;
  totalStrength: TotalStrength;
  amount: Decimal;
  description: string;
}

/** How the total was chosen, from most to least trustworthy. */
export type TotalSource = 'strong-anchor' | 'plain-anchor' | 'payment' | 'computed' | null;

/** The amounts a receipt adds up, each `null` when the receipt does not print it. */
export interface ReceiptSums {
  total: Decimal | null;
  totalSource: TotalSource;
  itemsSum: Decimal | null;
  subtotal: Decimal | null;
  tax: Decimal | null;
  tip: Decimal | null;
  discount: Decimal | null;
  cash: Decimal | null;
  change: Decimal | null;
}

/** The result of checking the total against the rest of the receipt. */
export interface TotalsCheck {
  /** Items (or the subtotal), minus discounts, plus tax and tip where printed, give the total. */
  itemsMatch: boolean;
  /** Cash handed over minus change gives the total. */
  tenderMatch: boolean;
  /** True when there was something to check the total against. */
  checkable: boolean;
}

function sumOf(entries: readonly ClassifiedEntry[]): Decimal | null {
  if (entries.length === 0) {
    return null;
  }

  return entries.reduce((sum, entry) => sum.plus(entry.amount.abs()), new Decimal(0));
}

function lastOf(entries: readonly ClassifiedEntry[], lineClass: LineClass): ClassifiedEntry | undefined {
  return entries.filter((entry) => entry.lineClass === lineClass).at(-1);
}

/**
 * Chooses the total with tiered anchors: the last strong anchor (grand total, amount due), else the last plain
 * "total" line, else the last card payment, else subtotal + tax + tip. Cash, change, tip suggestions,
 * subtotals, tax lines and counts are never the total.
 */
export function chooseTotal(entries: readonly ClassifiedEntry[]): {
  total: Decimal | null;
  source: TotalSource;
  position: number;
} {
  const totals = entries.filter((entry) => entry.lineClass === 'total' && entry.amount.isPositive());
  const strong = totals.filter((entry) => entry.totalStrength === 'strong').at(-1);
  if (strong) {
    return { total: strong.amount, source: 'strong-anchor', position: strong.position };
  }

  const plain = totals.at(-1);
  if (plain) {
    return { total: plain.amount, source: 'plain-anchor', position: plain.position };
  }

  const payment = lastOf(entries, 'payment');
  if (payment) {
    return { total: payment.amount.abs(), source: 'payment', position: payment.position };
  }

  const subtotal = lastOf(entries, 'subtotal');
  if (subtotal) {
    const extras = entries.filter((entry) => entry.lineClass === 'tax' || entry.lineClass === 'tip');
    const total = extras.reduce((sum, entry) => sum.plus(entry.amount), subtotal.amount);
    return { total, source: 'computed', position: subtotal.position };
  }

  return { total: null, source: null, position: -1 };
}

/** Adds up every class of line around the chosen total. */
export function sumReceipt(entries: readonly ClassifiedEntry[]): ReceiptSums {
  const chosen = chooseTotal(entries);
  const byClass = (lineClass: LineClass) => entries.filter((entry) => entry.lineClass === lineClass);
  // Tax printed above the total is added to it; a tax summary printed below it is already inside it.
  const taxLines = byClass('tax');
  const addedTax = taxLines.filter((entry) => entry.position < chosen.position);
  const subtotalEntry =
    byClass('subtotal')
      .filter((entry) => chosen.position < 0 || entry.position < chosen.position)
      .at(-1) ?? byClass('subtotal').at(-1);

  return {
    total: chosen.total,
    totalSource: chosen.source,
    itemsSum: sumOf(byClass('item')),
    subtotal: subtotalEntry?.amount ?? null,
    tax: sumOf(addedTax.length > 0 ? addedTax : taxLines),
    tip: sumOf(byClass('tip')),
    discount: sumOf(byClass('discount')),
    cash: lastOf(entries, 'cash')?.amount ?? null,
    change: lastOf(entries, 'change')?.amount.abs() ?? null,
  };
}

/**
 * Checks that items (or the subtotal) minus discounts, plus tax and tip, give the total within `tolerance`.
 * Tax may already be inside the item prices (European VAT), so each combination with and without tax and tip
 * is tried; a match of any one counts.
 */
export function checkTotals(sums: ReceiptSums, tolerance: Decimal): TotalsCheck {
  const total = sums.total;
  if (total === null) {
    return { itemsMatch: false, tenderMatch: false, checkable: false };
  }

  const zero = new Decimal(0);
  const discount = sums.discount ?? zero;
  const bases = [sums.itemsSum?.minus(discount), sums.subtotal, sums.subtotal?.minus(discount)].filter(
    (base): base is Decimal => base !== undefined && base !== null,
  );
  const extras = [zero, sums.tax ?? zero, sums.tip ?? zero, (sums.tax ?? zero).plus(sums.tip ?? zero)];
  const itemsMatch = bases.some((base) =>
    extras.some((extra) => base.plus(extra).minus(total).abs().lessThanOrEqualTo(tolerance)),
  );

  const tenderMatch =
    sums.cash !== null &&
    sums.change !== null &&
    sums.cash.minus(sums.change).minus(total).abs().lessThanOrEqualTo(tolerance);

  return {
    itemsMatch,
    tenderMatch,
    checkable: bases.length > 0 || (sums.cash !== null && sums.change !== null),
  };
}
