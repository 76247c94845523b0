import type { Category } from '../../domain/categories';
import { fromMinorUnits } from '../../domain/money';
import { type CurrencyTotals, periodTotals } from '../../domain/totals';
import type { Transaction } from '../../domain/transaction';
import type { User } from '../../domain/user';
import type { OtherCurrencyTotal } from '../templates/weekly-summary';
import type { WeeklySummaryFacts } from './insights';
import type { SummaryWeek } from './week';

const MAX_TOP_CATEGORIES = 5;
const MAX_OTHER_CURRENCIES = 10;
const MAX_DISPLAY_NAME_LENGTH = 100;

/**
 * Builds the figures of a user's weekly summary from the week's transactions. Totals in the home currency,
 * converted transactions included, come first; transactions not converted are totalled apart by currency,
 * ordered by transaction count and then code. Only the 10 with the most transactions are listed, but `transactionCount` counts all of them.
 */
export function weeklySummaryFacts(
  user: Pick<User, 'displayName' | 'homeCurrency'>,
  week: SummaryWeek,
  transactions: readonly Transaction[],
): WeeklySummaryFacts {
  const totals = periodTotals(transactions, user.homeCurrency);
  const home = totals.home;
  // Pending and never-converted transactions are listed apart by currency, as /balance lists them.
  const apart = new Map<string, CurrencyTotals>();
  for (const group of [totals.conversionPending, totals.notConverted]) {
    for (const [currency, entry] of group) {
      const merged = apart.get(currency);
      apart.set(
        currency,
        merged === undefined
          ? entry
          : {
              spendingMinor: merged.spendingMinor + entry.spendingMinor,
              incomeMinor: merged.incomeMinor + entry.incomeMinor,
              count: merged.count + entry.count,
              byCategory: merged.byCategory,
            },
      );
    }
  }
  const others = [...apart.entries()].sort(
    (left, right) => right[1].count - left[1].count || left[0].localeCompare(right[0]),
  );
  const otherCurrencies: OtherCurrencyTotal[] = others
    .slice(0, MAX_OTHER_CURRENCIES)
    .map(([currency, entry]) => ({
      currency,
      totalSpent: fromMinorUnits(entry.spendingMinor, currency),
      totalIncome: fromMinorUnits(entry.incomeMinor, currency),
      transactionCount: entry.count,
    }));
  const topCategories = [...home.byCategory]
    .filter((entry): entry is [Category, number] => entry[0] !== undefined && entry[1] > 0)
    .sort((left, right) => right[1] - left[1])
    .slice(0, MAX_TOP_CATEGORIES)
    .map(([category, minor]) => ({ category, amount: fromMinorUnits(minor, user.homeCurrency) }));

  return {
    displayName: user.displayName?.slice(0, MAX_DISPLAY_NAME_LENGTH) || undefined,
    periodStart: week.firstDay,
    periodEnd: week.lastDay,
    currency: user.homeCurrency,
    totalSpent: fromMinorUnits(home.spendingMinor, user.homeCurrency),
    totalIncome: fromMinorUnits(home.incomeMinor, user.homeCurrency),
    transactionCount: home.count + others.reduce((sum, [, entry]) => sum + entry.count, 0),
    topCategories,
    ...(otherCurrencies.length === 0 ? {} : { otherCurrencies }),
  };
}
