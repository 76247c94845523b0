import type { Category } from '../../domain/categories';
import { fromMinorUnits } from '../../domain/money';
import type { Transaction } from '../../domain/transaction';
import type { User } from '../../domain/user';
import type { OtherCurrencyTotal } from '../templates/weekly-summary';
import type { WeeklySummaryFacts } from './insights';
import { totalsByCurrency } from './totals';
import type { SummaryWeek } from './week';

const MAX_TOP_CATEGORIES = 5;
const MAX_OTHER_CURRENCIES = 10;
const MAX_DISPLAY_NAME_LENGTH = 100;

/**
 * Builds the figures of a user's weekly summary from the week's transactions. Totals in the home currency
 * come first; other currencies are totalled apart, not converted, ordered by transaction count and then
 * code. Only the 10 with the most transactions are listed, but `transactionCount` counts all of them.
 */
export function weeklySummaryFacts(
  user: Pick<User, 'displayName' | 'homeCurrency'>,
  week: SummaryWeek,
  transactions: readonly Transaction[],
): WeeklySummaryFacts {
  const totals = totalsByCurrency(transactions);
  const home = totals.get(user.homeCurrency);
  const others = [...totals.values()]
    .filter((entry) => entry.currency !== user.homeCurrency)
    .sort((left, right) => right.count - left.count || left.currency.localeCompare(right.currency));
  const otherCurrencies: OtherCurrencyTotal[] = others.slice(0, MAX_OTHER_CURRENCIES).map((entry) => ({
    currency: entry.currency,
    totalSpent: fromMinorUnits(entry.spendingMinor, entry.currency),
    totalIncome: fromMinorUnits(entry.incomeMinor, entry.currency),
    transactionCount: entry.count,
  }));
  const topCategories = [...(home?.byCategory ?? new Map<Category | undefined, number>())]
    .filter((entry): entry is [Category, number] => entry[0] !== undefined && entry[1] > 0)
    .sort((left, right) => right[1] - left[1])
    .slice(0, MAX_TOP_CATEGORIES)
    .map(([category, minor]) => ({ category, amount: fromMinorUnits(minor, user.homeCurrency) }));

  return {
    displayName: user.displayName?.slice(0, MAX_DISPLAY_NAME_LENGTH) || undefined,
    periodStart: week.firstDay,
    periodEnd: week.lastDay,
    currency: user.homeCurrency,
    totalSpent: fromMinorUnits(home?.spendingMinor ?? 0, user.homeCurrency),
    totalIncome: fromMinorUnits(home?.incomeMinor ?? 0, user.homeCurrency),
    transactionCount: [...totals.values()].reduce((sum, entry) => sum + entry.count, 0),
    topCategories,
    ...(otherCurrencies.length === 0 ? {} : { otherCurrencies }),
  };
}
