import type { Category } from '../domain/categories';
import { formatMoney } from '../domain/money';
import type { Transaction } from '../domain/transaction';
import { escapeHtml } from '../messages/html';
import type { MonthRange } from './calendar';

/** Totals of one currency, in minor units. Spending is expenses minus refunds. */
interface CurrencyTotals {
  spendingMinor: number;
  incomeMinor: number;
  count: number;
  byCategory: Map<Category | 'No category', number>;
}

/** Counted transactions: pending proposals are left out until the user confirms them. */
function counted(transactions: Transaction[]): Transaction[] {
  return transactions.filter((transaction) => transaction.status !== 'pending');
}

function totalsByCurrency(transactions: Transaction[]): Map<string, CurrencyTotals> {
  const totals = new Map<string, CurrencyTotals>();
  for (const transaction of counted(transactions)) {
    let entry = totals.get(transaction.currency);
    if (entry === undefined) {
      entry = { spendingMinor: 0, incomeMinor: 0, count: 0, byCategory: new Map() };
      totals.set(transaction.currency, entry);
    }
    entry.count += 1;
    if (transaction.kind === 'income') {
      entry.incomeMinor += transaction.amountMinor;
      continue;
    }

    const signed = transaction.kind === 'refund' ? -transaction.amountMinor : transaction.amountMinor;
    entry.spendingMinor += signed;
    const category = transaction.category ?? 'No category';
    entry.byCategory.set(category, (entry.byCategory.get(category) ?? 0) + signed);
  }

  return totals;
}

function otherCurrencies(totals: Map<string, CurrencyTotals>, homeCurrency: string): string[] {
  const lines: string[] = [];
  for (const [currency, entry] of totals) {
    if (currency === homeCurrency) {
      continue;
    }
    const count = `${entry.count} ${entry.count === 1 ? 'transaction' : 'transactions'}`;
    lines.push(
      `• ${escapeHtml(currency)}: spent ${escapeHtml(formatMoney(entry.spendingMinor, currency))}, ` +
        `income ${escapeHtml(formatMoney(entry.incomeMinor, currency))} (${count})`,
    );
  }
  if (lines.length === 0) {
    return [];
  }

  // NOTE: exchange rates are not wired in yet, so other currencies are listed apart instead of converted.
  return ['', 'In other currencies (not converted):', ...lines];
}

/** Renders /balance: this month's spending and income in the home currency, with the count. */
export function renderBalance(transactions: Transaction[], month: MonthRange, homeCurrency: string): string {
  const totals = totalsByCurrency(transactions);
  const home = totals.get(homeCurrency) ?? {
    spendingMinor: 0,
    incomeMinor: 0,
    count: 0,
    byCategory: new Map(),
  };
  const pending = transactions.length - counted(transactions).length;
  const lines = [
    `💰 <b>Balance for ${month.month}</b> (${month.firstDay} to ${month.lastDay})`,
    `Spent: <b>${escapeHtml(formatMoney(home.spendingMinor, homeCurrency))}</b>`,
    `Income: <b>${escapeHtml(formatMoney(home.incomeMinor, homeCurrency))}</b>`,
    `Net: <b>${escapeHtml(formatMoney(home.incomeMinor - home.spendingMinor, homeCurrency))}</b>`,
    `Transactions: ${home.count}`,
    ...otherCurrencies(totals, homeCurrency),
  ];
  if (pending > 0) {
    lines.push('', `${pending} unconfirmed ${pending === 1 ? 'proposal is' : 'proposals are'} not counted.`);
  }

  return lines.join('\n');
}

/** Renders /stats: this month's spending by category in the home currency, largest first. */
export function renderStats(transactions: Transaction[], month: MonthRange, homeCurrency: string): string {
  const totals = totalsByCurrency(transactions);
  const home = totals.get(homeCurrency);
  const header = `📊 <b>Spending by category, ${month.month}</b>`;
  if (home === undefined || home.byCategory.size === 0) {
    return [
      header,
      `No spending in ${escapeHtml(homeCurrency)} recorded this month yet.`,
      ...otherCurrencies(totals, homeCurrency),
    ].join('\n');
  }

  const rows = [...home.byCategory.entries()].sort((left, right) => right[1] - left[1]);
  const lines = rows.map(([category, minor]) => {
    const share = home.spendingMinor > 0 ? Math.round((minor * 100) / home.spendingMinor) : 0;
    return `• ${escapeHtml(category)}: ${escapeHtml(formatMoney(minor, homeCurrency))} (${share}%)`;
  });

  return [
    header,
    ...lines,
    `Total: <b>${escapeHtml(formatMoney(home.spendingMinor, homeCurrency))}</b>`,
    ...otherCurrencies(totals, homeCurrency),
  ].join('\n');
}
