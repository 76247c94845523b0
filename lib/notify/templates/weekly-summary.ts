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

/** Data of the weekly summary. Amounts are decimal strings in `currency`, the user's home currency. */
export interface WeeklySummaryData {
  displayName?: string;
  /** First and last local date of the week, inclusive. */
  periodStart: string;
  periodEnd: string;
  currency: string;
  totalSpent: string;
  totalIncome: string;
  transactionCount: number;
  /** The largest spending categories, largest first, at most 5. */
  topCategories: CategoryTotal[];
  /** Link to the user's notification settings, shown under the summary. */
  settingsUrl?: string;
}

const MAX_TOP_CATEGORIES = 5;

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
          categories,
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
        '',
        ...categories,
        ...settings,
      ].join('\n');
    },
  },
  push: (data) => ({
    title: 'Your weekly summary',
    body: `You spent ${money(data.totalSpent, data.currency)} from ${data.periodStart} to ${data.periodEnd}.`,
  }),
  sms: (data) =>
    `Financy: you spent ${money(data.totalSpent, data.currency)} from ${data.periodStart} to ${data.periodEnd} ` +
    `(${transactionsLine(data.transactionCount)}).`,
};
