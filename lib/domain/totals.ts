import type { Category } from './categories';
import type { Transaction, TransactionConversion } from './transaction';

/** Totals of one currency, in minor units. Spending is expenses minus refunds. */
export interface CurrencyTotals {
  spendingMinor: number;
  incomeMinor: number;
  count: number;
  /** Spending per category. Transactions without a category count under `undefined`. */
  byCategory: Map<Category | undefined, number>;
}

/**
 * Totals of a period's counted transactions: those in the home currency and those converted to it
 * together, and the rest apart by their own currency.
 */
export interface PeriodTotals {
  /** Totals in the home currency, converted transactions included. */
  home: CurrencyTotals;
  /** Converted transactions among `home.count`. */
  convertedCount: number;
  /** Dates of the rates that the converted transactions used, `YYYY-MM-DD`. */
  rateDates: Set<string>;
  /** Transactions whose conversion to the home currency is pending, by their own currency. */
  conversionPending: Map<string, CurrencyTotals>;
  /** Transactions never converted (no rate table configured), by their own currency. */
  notConverted: Map<string, CurrencyTotals>;
  /** Unconfirmed proposals, which no total counts. */
  unconfirmedCount: number;
}

/**
 * Returns whether a stored conversion counts in `homeCurrency` totals. A pending conversion, one made for
 * another home currency, or one with an amount that is not a whole number of minor units does not.
 */
export function isConvertedTo(conversion: TransactionConversion | undefined, homeCurrency: string): boolean {
  return (
    conversion?.status === 'converted' &&
    conversion.homeCurrency === homeCurrency &&
    Number.isSafeInteger(conversion.amountMinor) &&
    typeof conversion.rateDate === 'string'
  );
}

function emptyTotals(): CurrencyTotals {
  return { spendingMinor: 0, incomeMinor: 0, count: 0, byCategory: new Map() };
}

function add(totals: CurrencyTotals, transaction: Transaction, amountMinor: number): void {
  totals.count += 1;
  if (transaction.kind === 'income') {
    totals.incomeMinor += amountMinor;
    return;
  }

  const signed = transaction.kind === 'refund' ? -amountMinor : amountMinor;
  totals.spendingMinor += signed;
  totals.byCategory.set(transaction.category, (totals.byCategory.get(transaction.category) ?? 0) + signed);
}

function addByCurrency(totals: Map<string, CurrencyTotals>, transaction: Transaction): void {
  let entry = totals.get(transaction.currency);
  if (entry === undefined) {
    entry = emptyTotals();
    totals.set(transaction.currency, entry);
  }
  add(entry, transaction, transaction.amountMinor);
}

/**
 * Totals a period's transactions for a user whose home currency is `homeCurrency`. Unconfirmed proposals
 * are left out, income is summed apart from spending, and refunds reduce spending and their category.
 * /balance, /stats and the weekly summary all total through this function.
 */
export function periodTotals(transactions: readonly Transaction[], homeCurrency: string): PeriodTotals {
  const totals: PeriodTotals = {
    home: emptyTotals(),
    convertedCount: 0,
    rateDates: new Set(),
    conversionPending: new Map(),
    notConverted: new Map(),
    unconfirmedCount: 0,
  };
  for (const transaction of transactions) {
    const conversion = transaction.conversion;
    if (transaction.status === 'pending') {
      totals.unconfirmedCount += 1;
    } else if (transaction.currency === homeCurrency) {
      add(totals.home, transaction, transaction.amountMinor);
    } else if (conversion?.status === 'converted' && isConvertedTo(conversion, homeCurrency)) {
      add(totals.home, transaction, conversion.amountMinor);
      totals.convertedCount += 1;
      totals.rateDates.add(conversion.rateDate);
    } else if (conversion?.homeCurrency === homeCurrency) {
      // A pending conversion, or one whose amount is not a whole number of minor units, is listed apart.
      addByCurrency(totals.conversionPending, transaction);
    } else {
      addByCurrency(totals.notConverted, transaction);
    }
  }

  return totals;
}
