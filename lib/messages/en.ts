/**
 * English bot replies. Every reply the bot sends is built here, so a later message catalog per language
 * replaces this one file. Replies are HTML: dynamic fragments go through `escapeHtml`.
 */
import { formatMoney } from '../domain/money';
import type { Transaction } from '../domain/transaction';
import {
  type Channel,
  notificationDestinationOf,
  notificationPreferencesOf,
  USER_NOTIFICATION_CHANNELS,
  type User,
  type UserNotificationChannel,
} from '../domain/user';
import { FxDecimal } from '../fx/decimal';
import { escapeHtml } from './html';

/** Significant digits of an exchange rate in a reply. The stored rate keeps every digit. */
const SHOWN_RATE_SIGNIFICANT_DIGITS = 6;

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
  const conversion = conversionLine(transaction);
  if (conversion !== undefined) {
    lines.push(conversion);
  }

  return lines.join('\n');
}

/** Renders the home-currency conversion of a transaction: the amount with its rate, or that it is pending. */
function conversionLine(transaction: Transaction): string | undefined {
  const conversion = transaction.conversion;
  if (conversion === undefined) {
    return undefined;
  }
  if (conversion.status === 'pending') {
    return `💱 Conversion to ${escapeHtml(conversion.homeCurrency)} pending: no exchange rate yet`;
  }

  const rate = `1 ${transaction.currency} = ${formatRate(conversion.rate)} ${conversion.homeCurrency}`;
  return (
    `💱 ${escapeHtml(formatMoney(conversion.amountMinor, conversion.homeCurrency))} ` +
    `(${escapeHtml(rate)}, ${escapeHtml(conversion.provider)}, rate of ${escapeHtml(conversion.rateDate)})`
  );
}

/**
 * Formats a stored decimal rate for a reply, rounded half to even to {@link SHOWN_RATE_SIGNIFICANT_DIGITS}
 * significant digits with trailing zeros dropped, in plain notation: `1.0869565217391304348` shows as
 * `1.08696`.
 */
export function formatRate(rate: string): string {
  return new FxDecimal(rate)
    .toSignificantDigits(SHOWN_RATE_SIGNIFICANT_DIGITS, FxDecimal.ROUND_HALF_EVEN)
    .toString();
}

const CHANNEL_LABELS: Record<UserNotificationChannel, string> = {
  email: '✉️ E-mail',
  sms: '📱 SMS',
  push: '📲 Push',
};

/** Renders one notification channel of the settings: on or off with its destination, or how to set it up. */
function channelLine(user: User, channel: UserNotificationChannel): string {
  const destination = notificationDestinationOf(user, channel);
  const label = CHANNEL_LABELS[channel];
  if (destination === undefined) {
    if (channel === 'email' && user.emailConfirmation !== undefined) {
      return `${label}: waiting for the code sent to ${escapeHtml(user.emailConfirmation.address)}`;
    }
    return channel === 'push'
      ? `${label}: not available yet (needs the Financy mobile app)`
      : `${label}: not set up`;
  }

  const state = notificationPreferencesOf(user).channels.includes(channel) ? 'on' : 'off';
  // A push endpoint ARN means nothing to the user, so only addresses and numbers are shown.
  return channel === 'push'
    ? `${label}: <b>${state}</b>`
    : `${label}: <b>${state}</b> (${escapeHtml(destination)})`;
}

/** Renders the notification part of the settings. */
function notificationLines(user: User): string[] {
  const preferences = notificationPreferencesOf(user);
  const lines = [
    '🔔 <b>Notifications</b>',
    `📅 Weekly summary: <b>${preferences.weeklySummary ? 'on' : 'off'}</b>`,
    ...USER_NOTIFICATION_CHANNELS.map((channel) => channelLine(user, channel)),
  ];
  const reachable = preferences.channels.some(
    (channel) => notificationDestinationOf(user, channel) !== undefined,
  );
  if (preferences.weeklySummary && !reachable) {
    lines.push('⚠️ Turn on a channel below, or the weekly summary has nowhere to go.');
  }

  return lines;
}

const EMAIL_EXAMPLE = '<code>/settings email you@example.com</code>';
const SMS_EXAMPLE = '<code>/settings sms +15551234567</code>';

const CHANNEL_NAMES: Record<Channel, string> = { telegram: 'Telegram', whatsapp: 'WhatsApp' };

/** Names channels for a sentence: `Telegram`, `Telegram and WhatsApp`. */
function channelList(channels: readonly Channel[]): string {
  const names = channels.map((channel) => CHANNEL_NAMES[channel]);

  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
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
      `AI summary in /stats: <b>${user.aiInsights === true ? 'on' : 'off'}</b> (<code>/settings insights on</code> or <code>off</code>).`,
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
      '/settings — home currency, time zone and weekly summary by e-mail or SMS',
      '/link — use one account on Telegram and WhatsApp',
      '/help — this message',
    ].join('\n'),

  settingsUpdated: (user: User) =>
    `✅ Saved. Home currency <b>${escapeHtml(user.homeCurrency)}</b>, time zone <b>${escapeHtml(user.timeZone)}</b>.`,

  settingsUsage: () =>
    [
      'Use <code>/settings currency EUR</code> (an ISO 4217 code) or <code>/settings timezone Europe/Lisbon</code> (an IANA time zone).',
      'Weekly summary: <code>/settings email you@example.com</code>, <code>/settings sms +15551234567</code>, ' +
        '<code>/settings notifications on</code> or <code>off</code>.',
      'AI summary in /stats: <code>/settings insights on</code> or <code>off</code>.',
    ].join('\n'),

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

  /** Shown at once for a voice note or audio file, then replaced by the result. */
  processingVoice: () => '🎤 Processing your voice message…',

  /** Shown at once for a receipt photo, then replaced by the result. */
  processingReceipt: () => '📷 Processing your receipt…',

  /** A file above the channel's or the provider's limit; sizes in MB with one decimal. */
  fileTooLarge: (sizeMb: string, limitMb: string) =>
    `This file is ${escapeHtml(sizeMb)}, and I can only read files up to ${escapeHtml(limitMb)}. Please send a smaller one or type the transaction.`,

  mediaUnavailable: () => 'I couldn’t download that file. Please send it again.',

  audioNotReadable: () =>
    'I couldn’t read this audio file. Please send a voice message or type the transaction.',

  /** A transcript in which the parser and the AI found nothing to record. */
  voiceHeard: (transcript: string) => `🎤 I heard: “${escapeHtml(transcript)}”`,

  voiceEmpty: () =>
    'I couldn’t make out any words in this recording. Please try again or type the transaction.',

  /** Voice notes need a paid provider: past the daily AI budget they wait until tomorrow. */
  voiceBudgetSpent: () =>
    'I’ve used today’s allowance for voice messages. Please type the transaction, or send the voice message again tomorrow.',

  receiptUnavailable: () =>
    'I can’t read receipt photos right now. Please type the total, for example <code>groceries 42.10</code>.',

  voiceUnavailable: () => 'I can’t transcribe voice messages right now. Please type the transaction.',

  receiptBudgetSpent: () =>
    'I’ve used today’s allowance for reading receipts. Please type the total, for example <code>groceries 42.10</code>.',

  receiptFormatNotSupported: (mimeType: string) =>
    `I can’t read ${escapeHtml(mimeType)} images. Please send the receipt as a photo (JPEG or PNG).`,

  receiptNoTotal: () =>
    'I read the receipt but couldn’t find its total. Please type it, for example <code>groceries 42.10</code>.',

  mediaNotSupported: (kind: string) =>
    kind === 'video-note'
      ? 'I can’t listen to video notes. Please send a voice message or type the transaction.'
      : `I can’t read ${MEDIA_LABELS[kind] ?? 'that kind of message'} yet. Please type the transaction, for example <code>dinner 42.10</code>.`,

  transactionGone: () => 'This transaction no longer exists.',

  alreadyConfirmed: () => 'Already confirmed.',

  unknownAction: () => 'This button is no longer supported. Send the transaction again.',

  editExpired: () => 'That edit request expired. Tap ✏️ Edit again.',

  /** Summary line of converted transactions, with the date of their rates or the range of dates. */
  convertedAtRates: (count: number, firstRateDate: string, lastRateDate: string) =>
    `${count} ${count === 1 ? 'transaction' : 'transactions'} converted at rates of ${escapeHtml(firstRateDate)}` +
    (lastRateDate === firstRateDate ? '' : ` to ${escapeHtml(lastRateDate)}`),

  conversionPendingHeading: (homeCurrency: string) =>
    `Conversion to ${escapeHtml(homeCurrency)} pending (no exchange rate yet), not counted:`,

  notConvertedHeading: () => 'In other currencies (not converted):',

  /** The AI summary under /stats, escaped because it is the model's plain text. */
  statsInsight: (summary: string) => `🧠 ${escapeHtml(summary)}`,

  insightsOn: (available: boolean) =>
    available
      ? '🧠 AI summary on. /stats adds a short summary of the month, written by OpenAI from your category totals.'
      : '🧠 AI summary on. AI summaries are not enabled on this bot yet, so /stats shows only your totals.',

  insightsOff: () => '🧠 AI summary off. /stats shows only your totals.',

  insightsUsage: () =>
    'Send <code>/settings insights on</code> to add an AI summary of the month to /stats, or ' +
    '<code>/settings insights off</code> to remove it.',

  /** A new reply after the AI read a draft again, once it was available again. */
  draftRechecked: (transaction: Transaction) =>
    `🔄 I read your earlier message again now that the AI is back.\n${en.proposal(transaction)}`,

  settingsOverview: (user: User) =>
    [
      '⚙️ <b>Settings</b>',
      `Home currency: <b>${escapeHtml(user.homeCurrency)}</b>`,
      `Time zone: <b>${escapeHtml(user.timeZone)}</b>`,
      '',
      ...notificationLines(user),
      '',
      'Tap a currency below, or send <code>/settings currency CAD</code>.',
      'Set your time zone with <code>/settings timezone Europe/Lisbon</code>.',
      `AI summary in /stats: <b>${user.aiInsights === true ? 'on' : 'off'}</b> (<code>/settings insights on</code> or <code>off</code>).`,
      `Add an e-mail address with ${EMAIL_EXAMPLE} or an SMS number with ${SMS_EXAMPLE}.`,
    ].join('\n'),

  emailUsage: () =>
    `Send ${EMAIL_EXAMPLE} and I’ll e-mail you a 6-digit code to confirm the address. ` +
    '<code>/settings email remove</code> removes it.',

  emailUnavailable: () => 'E-mail isn’t available here, so I can’t add an address.',

  invalidEmail: (value: string) =>
    `“${escapeHtml(value)}” isn’t an e-mail address. Send it like ${EMAIL_EXAMPLE}.`,

  emailAlreadyConfirmed: (address: string) => `<b>${escapeHtml(address)}</b> is already confirmed.`,

  emailCodeSent: (address: string, expiresInMinutes: number) =>
    `✉️ I sent a 6-digit code to <b>${escapeHtml(address)}</b>. Send it here within ${expiresInMinutes} ` +
    'minutes to confirm the address.',

  emailCodeTooSoon: (retryAfterSeconds: number) =>
    `I sent a code less than a minute ago. Check your inbox and spam folder, or ask again in ${retryAfterSeconds} seconds.`,

  emailCodeLimitReached: (maxCodes: number) =>
    `I’ve sent ${maxCodes} codes in the last 24 hours, so I can’t send another one now. Try again tomorrow.`,

  emailConfirmed: (address: string, weeklySummary: boolean) =>
    `✅ <b>${escapeHtml(address)}</b> is confirmed, and e-mail is on for your notifications.` +
    (weeklySummary ? '' : ' Turn the weekly summary on in /settings.'),

  emailCodeWrong: (attemptsLeft: number) =>
    `That code isn’t right. ${attemptsLeft} ${attemptsLeft === 1 ? 'attempt' : 'attempts'} left.`,

  emailCodeAttemptsUsedUp: () =>
    `Too many wrong codes, so that code no longer works. Ask for a new one with ${EMAIL_EXAMPLE}.`,

  emailCodeExpired: () => `That code has expired. Ask for a new one with ${EMAIL_EXAMPLE}.`,

  noEmailPending: () => `No e-mail address is waiting for a code. Add one with ${EMAIL_EXAMPLE}.`,

  emailRemoved: () => 'E-mail address removed. I won’t send you e-mails.',

  smsUsage: () =>
    `Send ${SMS_EXAMPLE} with your number in international format: a plus sign, the country code and the ` +
    'number. <code>/settings sms remove</code> removes it.',

  invalidPhoneNumber: (value: string) =>
    `“${escapeHtml(value)}” isn’t a phone number in international format. Start with + and the country code, ` +
    'for example <code>+15551234567</code>.',

  smsNumberSaved: (phoneNumber: string, weeklySummary: boolean) =>
    `📱 Saved <b>${escapeHtml(phoneNumber)}</b>, and SMS is on for your notifications.` +
    (weeklySummary ? '' : ' Turn the weekly summary on in /settings.'),

  smsRemoved: () => 'SMS number removed. I won’t send you text messages.',

  notificationsUsage: () =>
    'Send <code>/settings notifications off</code> to turn all notifications off, or ' +
    '<code>/settings notifications on</code> to get the weekly summary.',

  notificationsOff: () =>
    '🔕 All notifications are off. Your e-mail address and number stay saved; turn things back on in /settings.',

  weeklySummaryOn: (reachable: boolean) =>
    reachable
      ? '📅 Weekly summary on. It arrives after each week ends, covering Monday to Sunday.'
      : `📅 Weekly summary on. Add a way to get it: ${EMAIL_EXAMPLE} or ${SMS_EXAMPLE}.`,

  /** Notice on a settings button (plain text, at most 200 characters). */
  channelNeedsSetup: (channel: UserNotificationChannel) =>
    channel === 'email'
      ? 'Add and confirm an e-mail address first: /settings email you@example.com'
      : channel === 'sms'
        ? 'Add your number first: /settings sms +15551234567'
        : 'Push needs the Financy mobile app, which isn’t available yet.',

  /** Notice on a settings button (plain text). */
  notificationSettingSaved: () => 'Saved',

  /** Reply to /link: the code, grouped as `K7QF-3M9D`, and where to send it. */
  linkCodeIssued: (code: string, expiresInMinutes: number, otherChannels: readonly Channel[]) =>
    [
      `🔗 Your link code: <code>${escapeHtml(code)}</code>`,
      '',
      `Send <code>/link ${escapeHtml(code)}</code> to me on ${channelList(otherChannels)} within ` +
        `${expiresInMinutes} minutes. Your transactions from there then show up here too, and the settings ` +
        'of this account are kept.',
      'Don’t share the code: whoever sends it sees your transactions.',
    ].join('\n'),

  linkCodeLimitReached: (maxCodes: number) =>
    `I’ve made ${maxCodes} link codes in the last 24 hours, so I can’t make another one now. Try again tomorrow.`,

  linkAllChannelsLinked: (channels: readonly Channel[]) =>
    `This account already uses ${channelList(channels)}, so there’s nothing left to link.`,

  linkCodeMalformed: () =>
    'That isn’t a link code. A link code looks like <code>K7QF-3M9D</code>: send /link in your other app to get one.',

  linkCodeNotFound: () =>
    'I don’t know that link code. Check it, or send /link in your other app for a new one.',

  linkCodeExpired: () => 'That link code has expired. Send /link in your other app for a new one.',

  linkCodeTaken: () =>
    'That link code was used or replaced just now, so nothing changed. Send /link in your other app for a new one.',

  linkSameAccount: () =>
    'This chat already belongs to the account that made the code, so there’s nothing to link. Send the code from your other app.',

  linkChannelTaken: (channel: Channel) =>
    `The account that made this code already has ${CHANNEL_NAMES[channel]}, and an account can have only one. Nothing changed.`,

  linkAttemptsUsedUp: (retryAfterMinutes: number) =>
    `Too many wrong link codes. Try again in ${retryAfterMinutes} ${retryAfterMinutes === 1 ? 'minute' : 'minutes'}.`,

  /** Reply after a link, on the channel that sent the code; `user` is the linked account. */
  linked: (channels: readonly Channel[], user: User) =>
    [
      `🔗 Linked! ${channelList(channels)} now share one account: the same transactions, balance and settings.`,
      `I kept the settings of the account that made the code: home currency <b>${escapeHtml(user.homeCurrency)}</b>, ` +
        `time zone <b>${escapeHtml(user.timeZone)}</b>. Change them any time with /settings.`,
    ].join('\n'),
};

/** Button labels. */
export const buttons = {
  confirm: '✅ Confirm',
  edit: '✏️ Edit',
  delete: '🗑️ Delete',
  changeCategory: '🏷️ Change category',
  back: '↩️ Back',
  weeklySummaryOn: '📅 Turn weekly summary on',
  weeklySummaryOff: '📅 Turn weekly summary off',
  notificationsOff: '🔕 Turn all notifications off',
  insightsOn: '🧠 Turn AI summary on',
  insightsOff: '🧠 Turn AI summary off',
  email: 'E-mail',
  sms: 'SMS',
  push: 'Push',
};
