/**
 * English bot replies. Every reply the bot sends is built here, so a later message catalog per language
 * replaces this one file. Replies are HTML: dynamic fragments go through `escapeHtml`.
 */
import { formatMoney } from '../domain/money';
import type { Transaction } from '../domain/transaction';
import type { User } from '../domain/user';
import { escapeHtml } from './html';

const KIND_LABELS: Record<Transaction['kind'], string> = {
  expense: 'Expense',
  income: 'Income',
  refund: 'Refund',
};

const MEDIA_LABELS: Record<string, string> = {
  voice: 'voice notes',
  audio: 'audio files',
  'video-note': 'video notes',
  photo: 'receipt photos',
  document: 'files',
  other: 'that kind of message',
};

/** Renders the lines describing one transaction. */
export function transactionDetails(transaction: Transaction): string {
  const lines = [
    `<b>${KIND_LABELS[transaction.kind]}: ${escapeHtml(formatMoney(transaction.amountMinor, transaction.currency))}</b>`,
    `🏷️ ${escapeHtml(transaction.category ?? 'No category yet')}${transaction.merchant ? ` · 📍 ${escapeHtml(transaction.merchant)}` : ''}`,
    `📅 ${transaction.date}${transaction.description ? ` · ${escapeHtml(transaction.description)}` : ''}`,
  ];
  if (transaction.original !== undefined) {
    lines.push(
      `💱 Originally ${escapeHtml(`${transaction.original.amount} ${transaction.original.currency}`)}`,
    );
  }

  return lines.join('\n');
}

/** English bot replies. */
export const en = {
  welcome: (name: string | undefined) =>
    [
      `👋 Hi${name ? ` ${escapeHtml(name)}` : ''}! I'm Financy. I record your spending and income from plain messages.`,
      '',
      'Just write what happened, for example:',
      '• <code>spent 12.50 on lunch at Subway</code>',
      '• <code>taxi 18 yesterday</code>',
      '• <code>salary 2500</code>',
      '',
      'I reply with the transaction and buttons to confirm, edit, delete or change its category.',
      'Commands: /add /balance /stats /settings /help',
    ].join('\n'),

  settingsPrompt: (user: User) =>
    [
      '⚙️ <b>Settings</b>',
      `Home currency: <b>${escapeHtml(user.homeCurrency)}</b>`,
      `Time zone: <b>${escapeHtml(user.timeZone)}</b>`,
      '',
      'Tap a currency below, or send <code>/settings currency CAD</code>.',
      'Set your time zone with <code>/settings timezone Europe/Lisbon</code>.',
    ].join('\n'),

  help: () =>
    [
      '<b>How to use Financy</b>',
      'Write a transaction in your own words: <code>coffee 3.20</code>, <code>uber 14 EUR yesterday</code>, ' +
        '<code>refund 30 from Amazon</code>, <code>got paid 2500</code>.',
      '',
      '/add &lt;amount&gt; &lt;description&gt; — record a transaction',
      '/balance — this month’s spending and income',
      '/stats — this month by category',
      '/settings — home currency and time zone',
      '/help — this message',
    ].join('\n'),

  settingsUpdated: (user: User) =>
    `✅ Saved. Home currency <b>${escapeHtml(user.homeCurrency)}</b>, time zone <b>${escapeHtml(user.timeZone)}</b>.`,

  settingsUsage: () =>
    'Use <code>/settings currency EUR</code> (an ISO 4217 code) or <code>/settings timezone Europe/Lisbon</code> (an IANA time zone).',

  invalidCurrency: (value: string) =>
    `“${escapeHtml(value)}” is not a currency code I know. Send a three-letter ISO code such as <code>EUR</code> or <code>USD</code>.`,

  invalidTimeZone: (value: string) =>
    `“${escapeHtml(value)}” is not a time zone. Send an IANA name such as <code>Europe/Lisbon</code> or <code>America/New_York</code>.`,

  saved: (transaction: Transaction) => `✅ Saved\n${transactionDetails(transaction)}`,

  proposal: (transaction: Transaction) =>
    `🤔 Is this right?\n${transactionDetails(transaction)}\n\nTap ✅ Confirm to save it, or ✏️ Edit to correct it.`,

  confirmed: (transaction: Transaction) => `✅ Confirmed\n${transactionDetails(transaction)}`,

  updated: (transaction: Transaction) => `✏️ Updated\n${transactionDetails(transaction)}`,

  deleted: (transaction: Transaction) =>
    `🗑️ Deleted: ${escapeHtml(formatMoney(transaction.amountMinor, transaction.currency))}${
      transaction.description ? ` (${escapeHtml(transaction.description)})` : ''
    }`,

  chooseCategory: (transaction: Transaction) => `🏷️ Choose a category\n${transactionDetails(transaction)}`,

  editPrompt: (transaction: Transaction) =>
    `✏️ Send the corrected amount or description for ${escapeHtml(
      formatMoney(transaction.amountMinor, transaction.currency),
    )}, for example <code>15.20</code> or <code>lunch with Ana</code>.`,

  askForDetails: () =>
    'I couldn’t find an amount in that. Write it like <code>spent 12.50 on lunch at Subway</code> or use <code>/add 12.50 lunch</code>.',

  askForCurrency: (amount: string) =>
    `Which currency is ${escapeHtml(amount)} in? Send it again with the code, for example <code>${escapeHtml(amount)} SEK</code>.`,

  askToConfirmPrecision: (amount: string, currency: string) =>
    `${escapeHtml(amount)} has more decimals than ${escapeHtml(currency)} uses. Send the amount again as you meant it, for example <code>0.08 ${escapeHtml(currency)}</code>.`,

  notATransaction: () =>
    'That doesn’t look like a transaction. Tell me what you spent or earned, for example <code>coffee 3.50</code>, or see /help.',

  addUsage: () => 'Usage: <code>/add 12.50 lunch at Subway</code> (amount first, then a description).',

  unknownCommand: (command: string) => `I don’t know /${escapeHtml(command)}. See /help for what I can do.`,

  mediaNotSupported: (kind: string) =>
    kind === 'video-note'
      ? 'I can’t listen to video notes. Please send a voice message or type the transaction.'
      : `I can’t read ${MEDIA_LABELS[kind] ?? 'that kind of message'} yet. Please type the transaction, for example <code>dinner 42.10</code>.`,

  transactionGone: () => 'This transaction no longer exists.',

  alreadyConfirmed: () => 'Already confirmed.',

  unknownAction: () => 'This button is no longer supported. Send the transaction again.',

  editExpired: () => 'That edit request expired. Tap ✏️ Edit again.',
};

/** Button labels. */
export const buttons = {
  confirm: '✅ Confirm',
  edit: '✏️ Edit',
  delete: '🗑️ Delete',
  changeCategory: '🏷️ Change category',
  back: '↩️ Back',
};
