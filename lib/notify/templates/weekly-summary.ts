import { CATEGORIES, type Category } from '../../domain/categories';
import { InvalidNotificationError } from '../errors';
import {
  CALENDAR_DATE,
  CURRENCY_CODE,
  DECIMAL_AMOUNT,
  HTTPS_URL,
  readArray,
  readEnum,
  readInteger,
  readObject,
  readOptionalString,
  readString,
} from '../validation';
import { emailDocument, escapeHtml } from './html';
import type { NotificationTemplate } from './types';

/** Spending in one category during the week. */
export interface CategoryTotal {
  category: Category;
  /** Decimal amount in the summary's currency. */
  amount: string;
}

/** Totals of the week in a currency other than the summary's own, not converted. */
export interface OtherCurrencyTotal {
  currency: string;
  /** Decimal amounts in `currency`. */
  totalSpent: string;
  totalIncome: string;
  transactionCount: number;
}

/**
 * Data of the weekly summary. `totalSpent`, `totalIncome` and `topCategories` are decimal strings in
 * `currency`, the user's home currency; transactions in other currencies are totalled apart in
 * `otherCurrencies`.
 */
export interface WeeklySummaryData {
  displayName?: string;
  /** First and last local date of the week, inclusive. */
  periodStart: string;
  periodEnd: string;
  currency: string;
  totalSpent: string;
  totalIncome: string;
  /** Transactions of the week in every currency. */
  transactionCount: number;
  /** The largest spending categories, largest first, at most 5. */
  topCategories: CategoryTotal[];
  /** Totals in other currencies, at most 10; messages written before it existed omit it. */
  otherCurrencies?: OtherCurrencyTotal[];
  /** Observations about the week in plain text, at most 3 of at most 280 characters each. */
  insights?: string[];
  /** Link to the user's notification settings, shown under the summary. */
  settingsUrl?: string;
}

const MAX_TOP_CATEGORIES = 5;
const MAX_OTHER_CURRENCIES = 10;
const MAX_INSIGHTS = 3;
const MAX_INSIGHT_LENGTH = 280;

function parseOtherCurrencies(data: Readonly<Record<string, unknown>>, path: string) {
  if (data.otherCurrencies === undefined) {
    return undefined;
  }

  return readArray(data, 'otherCurrencies', path, MAX_OTHER_CURRENCIES).map((entry, index) => {
    const entryPath = `${path}.otherCurrencies[${index}]`;
    const total = readObject(entry, entryPath, ['currency', 'totalSpent', 'totalIncome', 'transactionCount']);
    return {
      currency: readString(total, 'currency', entryPath, CURRENCY_CODE),
      totalSpent: readString(total, 'totalSpent', entryPath, DECIMAL_AMOUNT),
      totalIncome: readString(total, 'totalIncome', entryPath, DECIMAL_AMOUNT),
      transactionCount: readInteger(total, 'transactionCount', entryPath, 0, 1_000_000),
    };
  });
}

function parseInsights(data: Readonly<Record<string, unknown>>, path: string) {
  if (data.insights === undefined) {
    return undefined;
  }

  return readArray(data, 'insights', path, MAX_INSIGHTS).map((entry, index) => {
    if (typeof entry !== 'string' || entry.trim() === '' || entry.length > MAX_INSIGHT_LENGTH) {
      throw new InvalidNotificationError(
        `${path}.insights[${index}]`,
        `must be a non-empty string of at most ${MAX_INSIGHT_LENGTH} characters`,
      );
    }
    return entry;
  });
}

function parseData(value: unknown, path: string): WeeklySummaryData {
  const data = readObject(value, path, [
    'displayName',
    'periodStart',
    'periodEnd',
    'currency',
    'totalSpent',
    'totalIncome',
    'transactionCount',
    'topCategories',
    'otherCurrencies',
    'insights',
    'settingsUrl',
  ]);
  const periodStart = readString(data, 'periodStart', path, CALENDAR_DATE);
  const periodEnd = readString(data, 'periodEnd', path, CALENDAR_DATE);
  if (periodEnd < periodStart) {
    throw new InvalidNotificationError(`${path}.periodEnd`, 'must not be before periodStart');
  }
  const topCategories = readArray(data, 'topCategories', path, MAX_TOP_CATEGORIES).map((entry, index) => {
    const entryPath = `${path}.topCategories[${index}]`;
    const total = readObject(entry, entryPath, ['category', 'amount']);
    return {
      category: readEnum(total, 'category', entryPath, CATEGORIES),
      amount: readString(total, 'amount', entryPath, DECIMAL_AMOUNT),
    };
  });

  return {
    displayName: readOptionalString(data, 'displayName', path, { maxLength: 100 }),
    periodStart,
    periodEnd,
    currency: readString(data, 'currency', path, CURRENCY_CODE),
    totalSpent: readString(data, 'totalSpent', path, DECIMAL_AMOUNT),
    totalIncome: readString(data, 'totalIncome', path, DECIMAL_AMOUNT),
    transactionCount: readInteger(data, 'transactionCount', path, 0, 1_000_000),
    topCategories,
    otherCurrencies: parseOtherCurrencies(data, path),
    insights: parseInsights(data, path),
    settingsUrl: readOptionalString(data, 'settingsUrl', path, HTTPS_URL),
  };
}

function money(amount: string, currency: string): string {
  return `${amount} ${currency}`;
}

function greeting(data: WeeklySummaryData): string {
  return data.displayName === undefined ? 'Hello,' : `Hello ${data.displayName},`;
}

function transactionsLine(count: number): string {
  return count === 1 ? '1 transaction recorded' : `${count} transactions recorded`;
}

function transactionCount(count: number): string {
  return count === 1 ? '1 transaction' : `${count} transactions`;
}

/** Lists the home currency's spending, then every other currency with spending: `12.00 EUR, 5.00 USD and 900 JPY`. */
function spentAcrossCurrencies(data: WeeklySummaryData): string {
  const amounts = [
    money(data.totalSpent, data.currency),
    ...(data.otherCurrencies ?? [])
      .filter((total) => Number(total.totalSpent) !== 0)
      .map((total) => money(total.totalSpent, total.currency)),
  ];
  if (amounts.length === 1) {
    return amounts[0]!;
  }

  return `${amounts.slice(0, -1).join(', ')} and ${amounts[amounts.length - 1]}`;
}

function otherCurrencyLine(total: OtherCurrencyTotal): string {
  return (
    `${total.currency}: spent ${money(total.totalSpent, total.currency)}, ` +
    `income ${money(total.totalIncome, total.currency)} (${transactionCount(total.transactionCount)})`
  );
}

function otherCurrenciesHtml(data: WeeklySummaryData): string {
  const totals = data.otherCurrencies ?? [];
  if (totals.length === 0) {
    return '';
  }
  const items = totals.map((total) => `<li>${escapeHtml(otherCurrencyLine(total))}</li>`).join('\n');

  return `<h2 style="font-size:16px">In other currencies (not converted)</h2>\n<ul>\n${items}\n</ul>`;
}

function otherCurrenciesText(data: WeeklySummaryData): string[] {
  const totals = data.otherCurrencies ?? [];
  if (totals.length === 0) {
    return [];
  }

  return [
    '',
    'In other currencies (not converted):',
    ...totals.map((total) => `- ${otherCurrencyLine(total)}`),
  ];
}

function insightsHtml(data: WeeklySummaryData): string {
  const insights = data.insights ?? [];
  if (insights.length === 0) {
    return '';
  }
  const items = insights.map((insight) => `<li>${escapeHtml(insight)}</li>`).join('\n');

  return `<h2 style="font-size:16px">Highlights</h2>\n<ul>\n${items}\n</ul>`;
}

function insightsText(data: WeeklySummaryData): string[] {
  const insights = data.insights ?? [];

  return insights.length === 0 ? [] : ['', 'Highlights:', ...insights.map((insight) => `- ${insight}`)];
}

/** The weekly spending summary: totals, transaction count and the top categories of the week. */
export const weeklySummaryTemplate: NotificationTemplate<WeeklySummaryData> = {
  name: 'weekly-summary',
  parseData,
  email: {
    subject: (data) => `Your week in Financy: ${data.periodStart} to ${data.periodEnd}`,
    html(data) {
      const rows = data.topCategories
        .map(
          (total) =>
            `<tr><td style="padding:4px 16px 4px 0">${escapeHtml(total.category)}</td>` +
            `<td style="padding:4px 0;text-align:right">${escapeHtml(money(total.amount, data.currency))}</td></tr>`,
        )
        .join('\n');
      const categories =
        data.topCategories.length === 0
          ? '<p>No spending by category this week.</p>'
          : `<h2 style="font-size:16px">Top categories</h2>\n<table>\n${rows}\n</table>`;
      const settings =
        data.settingsUrl === undefined
          ? ''
          : `<p style="font-size:12px"><a href="${escapeHtml(data.settingsUrl)}">Change which summaries you get</a></p>`;

      return emailDocument(
        'Your weekly summary',
        [
          `<p>${escapeHtml(greeting(data))}</p>`,
          `<p>Here is your week from ${escapeHtml(data.periodStart)} to ${escapeHtml(data.periodEnd)}.</p>`,
          '<table>',
          `<tr><td style="padding:4px 16px 4px 0">Spent</td><td style="text-align:right"><strong>${escapeHtml(money(data.totalSpent, data.currency))}</strong></td></tr>`,
          `<tr><td style="padding:4px 16px 4px 0">Income</td><td style="text-align:right">${escapeHtml(money(data.totalIncome, data.currency))}</td></tr>`,
          '</table>',
          `<p>${escapeHtml(transactionsLine(data.transactionCount))}.</p>`,
          otherCurrenciesHtml(data),
          categories,
          insightsHtml(data),
          settings,
        ]
          .filter((line) => line !== '')
          .join('\n'),
      );
    },
    text(data) {
      const categories =
        data.topCategories.length === 0
          ? ['No spending by category this week.']
          : [
              'Top categories:',
              ...data.topCategories.map(
                (total) => `- ${total.category}: ${money(total.amount, data.currency)}`,
              ),
            ];
      const settings =
        data.settingsUrl === undefined ? [] : ['', `Change which summaries you get: ${data.settingsUrl}`];

      return [
        greeting(data),
        '',
        `Here is your week from ${data.periodStart} to ${data.periodEnd}.`,
        '',
        `Spent: ${money(data.totalSpent, data.currency)}`,
        `Income: ${money(data.totalIncome, data.currency)}`,
        `${transactionsLine(data.transactionCount)}.`,
        ...otherCurrenciesText(data),
        '',
        ...categories,
        ...insightsText(data),
        ...settings,
      ].join('\n');
    },
  },
  push: (data) => ({
    title: 'Your weekly summary',
    body: `You spent ${spentAcrossCurrencies(data)} from ${data.periodStart} to ${data.periodEnd}.`,
  }),
  sms: (data) =>
    `Financy: you spent ${spentAcrossCurrencies(data)} from ${data.periodStart} to ${data.periodEnd} ` +
    `(${transactionsLine(data.transactionCount)}).`,
};
