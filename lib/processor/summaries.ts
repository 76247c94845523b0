import type { Category } from '../domain/categories';
import { formatMoney } from '../domain/money';
import type { Transaction } from '../domain/transaction';
import { en } from '../messages/en';
import { escapeHtml } from '../messages/html';
import type { MonthRange } from './calendar';
import { isConvertedTo } from './conversion';

/** Totals of one currency, in minor units. Spending is expenses minus refunds. */
interface CurrencyTotals {
  spendingMinor: number;
  incomeMinor: number;
  count: number;
  byCategory: Map<Category | 'No category', number>;
}

/**
 * A month's counted transactions in the home currency, converted ones included, and the rest by their
 * own currency: those whose conversion is pending and those never converted (no rate table configured).
 */
interface MonthTotals {
  home: CurrencyTotals;
  /** Converted transactions among `home.count`. */
  convertedCount: number;
  /** Dates of the rates that the converted transactions used, `YYYY-MM-DD`. */
  rateDates: Set<string>;
  conversionPending: Map<string, CurrencyTotals>;
  notConverted: Map<string, CurrencyTotals>;
}

function emptyTotals(): CurrencyTotals {
  return { spendingMinor: 0, incomeMinor: 0, count: 0, byCategory: new Map() };
}

/** Counted transactions: pending proposals are left out until the user confirms them. */
function counted(transactions: Transaction[]): Transaction[] {
  return transactions.filter((transaction) => transaction.status !== 'pending');
}

function add(totals: CurrencyTotals, transaction: Transaction, amountMinor: number): void {
  totals.count += 1;
  if (transaction.kind === 'income') {
    totals.incomeMinor += amountMinor;
    return;
  }

  const signed = transaction.kind === 'refund' ? -amountMinor : amountMinor;
  totals.spendingMinor += signed;
  const category = transaction.category ?? 'No category';
  totals.byCategory.set(category, (totals.byCategory.get(category) ?? 0) + signed);
}

function addByCurrency(totals: Map<string, CurrencyTotals>, transaction: Transaction): void {
  let entry = totals.get(transaction.currency);
  if (entry === undefined) {
    entry = emptyTotals();
    totals.set(transaction.currency, entry);
  }
  add(entry, transaction, transaction.amountMinor);
}

function monthTotals(transactions: Transaction[], homeCurrency: string): MonthTotals {
  const totals: MonthTotals = {
    home: emptyTotals(),
    convertedCount: 0,
    rateDates: new Set(),
    conversionPending: new Map(),
    notConverted: new Map(),
  };
  for (const transaction of counted(transactions)) {
    const conversion = transaction.conversion;
    if (transaction.currency === homeCurrency) {
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

function currencyLines(totals: Map<string, CurrencyTotals>): string[] {
  const lines: string[] = [];
  for (const [currency, entry] of totals) {
    const count = `${entry.count} ${entry.count === 1 ? 'transaction' : 'transactions'}`;
    lines.push(
      `• ${escapeHtml(currency)}: spent ${escapeHtml(formatMoney(entry.spendingMinor, currency))}, ` +
        `income ${escapeHtml(formatMoney(entry.incomeMinor, currency))} (${count})`,
    );
  }

  return lines;
}

/** Renders the lines after the home-currency totals: rate dates, pending conversions, other currencies. */
function conversionLines(totals: MonthTotals, homeCurrency: string): string[] {
  const lines: string[] = [];
  if (totals.convertedCount > 0) {
    const dates = [...totals.rateDates].sort();
    lines.push(en.convertedAtRates(totals.convertedCount, dates[0]!, dates[dates.length - 1]!));
  }
  if (totals.conversionPending.size > 0) {
    lines.push('', en.conversionPendingHeading(homeCurrency), ...currencyLines(totals.conversionPending));
  }
  if (totals.notConverted.size > 0) {
    lines.push('', en.notConvertedHeading(), ...currencyLines(totals.notConverted));
  }

  return lines;
}

/**
 * Renders /balance: this month's spending and income in the home currency, converted transactions
 * included, with the count and the dates of the rates used.
 */
export function renderBalance(transactions: Transaction[], month: MonthRange, homeCurrency: string): string {
  const totals = monthTotals(transactions, homeCurrency);
  const { home } = totals;
  const pending = transactions.length - counted(transactions).length;
  const lines = [
    `💰 <b>Balance for ${month.month}</b> (${month.firstDay} to ${month.lastDay})`,
    `Spent: <b>${escapeHtml(formatMoney(home.spendingMinor, homeCurrency))}</b>`,
    `Income: <b>${escapeHtml(formatMoney(home.incomeMinor, homeCurrency))}</b>`,
    `Net: <b>${escapeHtml(formatMoney(home.incomeMinor - home.spendingMinor, homeCurrency))}</b>`,
    `Transactions: ${home.count}`,
    ...conversionLines(totals, homeCurrency),
  ];
  if (pending > 0) {
    lines.push('', `${pending} unconfirmed ${pending === 1 ? 'proposal is' : 'proposals are'} not counted.`);
  }

  return lines.join('\n');
}

/** Renders /stats: this month's spending by category in the home currency, largest first. */
export function renderStats(transactions: Transaction[], month: MonthRange, homeCurrency: string): string {
  const totals = monthTotals(transactions, homeCurrency);
  const { home } = totals;
  const header = `📊 <b>Spending by category, ${month.month}</b>`;
  if (home.byCategory.size === 0) {
    return [
      header,
      `No spending in ${escapeHtml(homeCurrency)} recorded this month yet.`,
      ...conversionLines(totals, homeCurrency),
    ].join('\n');
  }

  const rows = [...home.byCategory.entries()].sort((left, right) => right[1] - left[1]);
  const lines = rows.map(([category, minor]) => {
    // A share in whole percent, for display only. Amounts stay integer minor units.
    const share = home.spendingMinor > 0 ? Math.round((minor * 100) / home.spendingMinor) : 0;
    return `• ${escapeHtml(category)}: ${escapeHtml(formatMoney(minor, homeCurrency))} (${share}%)`;
  });

  return [
    header,
    ...lines,
    `Total: <b>${escapeHtml(formatMoney(home.spendingMinor, homeCurrency))}</b>`,
    ...conversionLines(totals, homeCurrency),
  ].join('\n');
}
