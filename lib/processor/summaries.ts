import { formatMoney } from '../domain/money';
import { type CurrencyTotals, type PeriodTotals, periodTotals } from '../domain/totals';
import type { Transaction } from '../domain/transaction';
import { en } from '../messages/en';
import { escapeHtml } from '../messages/html';
import type { MonthRange } from './calendar';

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
function conversionLines(totals: PeriodTotals, homeCurrency: string): string[] {
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
  const totals = periodTotals(transactions, homeCurrency);
  const { home } = totals;
  const pending = totals.unconfirmedCount;
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

/**
 * Renders /stats: this month's spending by category in the home currency, largest first, and the AI
 * summary of the month when `insight` is given.
 */
export function renderStats(
  transactions: Transaction[],
  month: MonthRange,
  homeCurrency: string,
  insight?: string,
): string {
  const text = renderCategoryTotals(transactions, month, homeCurrency);

  return insight === undefined ? text : `${text}\n\n${en.statsInsight(insight)}`;
}

function renderCategoryTotals(transactions: Transaction[], month: MonthRange, homeCurrency: string): string {
  const totals = periodTotals(transactions, homeCurrency);
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
    return `• ${escapeHtml(category ?? 'No category')}: ${escapeHtml(formatMoney(minor, homeCurrency))} (${share}%)`;
  });

  return [
    header,
    ...lines,
    `Total: <b>${escapeHtml(formatMoney(home.spendingMinor, homeCurrency))}</b>`,
    ...conversionLines(totals, homeCurrency),
  ].join('\n');
}
