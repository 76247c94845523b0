import type { Category } from '../../domain/categories';
import type { Transaction } from '../../domain/transaction';

/** Totals of one currency, in minor units. Spending is expenses minus refunds. */
export interface CurrencyTotals {
  currency: string;
  spendingMinor: number;
  incomeMinor: number;
  count: number;
  /** Spending per category; transactions without a category count under `undefined`. */
  byCategory: Map<Category | undefined, number>;
}

/**
 * Totals transactions per currency, without converting between currencies. Pending proposals are left out
 * until the user confirms them, income is summed apart, and refunds reduce spending and their category.
 * NOTE: /balance and /stats total the same way in lib/processor/summaries.ts, whose `totalsByCurrency` is
 * not exported. One of the two should call the other, so the rules cannot drift apart.
 */
export function totalsByCurrency(transactions: readonly Transaction[]): Map<string, CurrencyTotals> {
  const totals = new Map<string, CurrencyTotals>();
  for (const transaction of transactions) {
    if (transaction.status === 'pending') {
      continue;
    }
    let entry = totals.get(transaction.currency);
    if (entry === undefined) {
      entry = {
        currency: transaction.currency,
        spendingMinor: 0,
        incomeMinor: 0,
        count: 0,
        byCategory: new Map(),
      };
      totals.set(transaction.currency, entry);
    }
    entry.count += 1;
    if (transaction.kind === 'income') {
      entry.incomeMinor += transaction.amountMinor;
      continue;
    }

    const signed = transaction.kind === 'refund' ? -transaction.amountMinor : transaction.amountMinor;
    entry.spendingMinor += signed;
    entry.byCategory.set(transaction.category, (entry.byCategory.get(transaction.category) ?? 0) + signed);
  }

  return totals;
}
