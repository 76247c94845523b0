import { periodTotals } from '../../domain/totals';
import { en } from '../../messages/en';
import { isTimeZone, monthOf } from '../calendar';
import type { CommandEvent } from '../chat-event';
import { convertForSummary } from '../conversion';
import { currencyButtons } from '../keyboards';
import { handleLinkCommand } from '../linking/link-command';
import { handleInsightsCommand } from '../settings/insights-settings';
import { handleNotificationSettingsCommand, settingsView } from '../settings/notification-settings';
import { statsInsight } from '../stats-insights';
import { renderBalance, renderStats } from '../summaries';
import type { HandlerContext } from './context';
import { recordFromText } from './record';

/** ISO 4217 codes this runtime can name, so `/settings currency XYZ` rejects invented codes. */
const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

async function settings(event: CommandEvent, context: HandlerContext): Promise<void> {
  const { dependencies, reply } = context;
  const [field, value] = event.args.split(/\s+/, 2);
  if (field === undefined || field === '') {
    await reply.send(event.chatId, settingsView(context.user));
    return;
  }
  if (await handleNotificationSettingsCommand(event, context)) {
    return;
  }

  if (field.toLowerCase() === 'insights') {
    await handleInsightsCommand(event, value ?? '', context);
    return;
  }

  if (field.toLowerCase() === 'currency' && value !== undefined) {
    const currency = value.toUpperCase();
    if (!KNOWN_CURRENCIES.has(currency)) {
      await reply.send(event.chatId, { text: en.invalidCurrency(value) });
      return;
    }
    const user = await dependencies.users.updateSettings(context.user.userId, { homeCurrency: currency });
    await reply.send(event.chatId, { text: en.settingsUpdated(user) });
    return;
  }

  if (['timezone', 'tz', 'time-zone'].includes(field.toLowerCase()) && value !== undefined) {
    if (!isTimeZone(value)) {
      await reply.send(event.chatId, { text: en.invalidTimeZone(value) });
      return;
    }
    const user = await dependencies.users.updateSettings(context.user.userId, { timeZone: value });
    await reply.send(event.chatId, { text: en.settingsUpdated(user) });
    return;
  }

  await reply.send(event.chatId, { text: en.settingsUsage() });
}

/** Lists this month's transactions, converting those not yet converted to the home currency. */
async function monthTransactions(context: HandlerContext) {
  const month = monthOf(new Date(context.dependencies.now()), context.user.timeZone);
  const listed = await context.dependencies.transactions.listByDate(
    context.user.userId,
    month.firstDay,
    month.lastDay,
  );
  const transactions = await convertForSummary(listed, context.user.homeCurrency, context.dependencies);

  return { month, transactions };
}

/** Handles /start, /help, /add, /balance, /stats, /settings, /link and replies to unknown commands with a pointer to /help. */
export async function handleCommand(event: CommandEvent, context: HandlerContext): Promise<void> {
  const { reply, user } = context;
  switch (event.command) {
    case 'start':
      await reply.send(event.chatId, { text: en.welcome(user.displayName) });
      await reply.send(event.chatId, { text: en.settingsPrompt(user), buttons: currencyButtons() });
      return;
    case 'help':
      await reply.send(event.chatId, { text: en.help() });
      return;
    case 'add':
      if (event.args === '') {
        await reply.send(event.chatId, { text: en.addUsage() });
        return;
      }
      await recordFromText(event, event.args, context, true);
      return;
    case 'balance': {
      const { month, transactions } = await monthTransactions(context);
      await reply.send(event.chatId, { text: renderBalance(transactions, month, user.homeCurrency) });
      return;
    }
    case 'stats': {
      const { month, transactions } = await monthTransactions(context);
      // The summary reads the same totals that renderStats shows, never amounts parsed from text.
      const insight = await statsInsight(periodTotals(transactions, user.homeCurrency).home, month, context);
      await reply.send(event.chatId, {
        text: renderStats(transactions, month, user.homeCurrency, insight),
      });
      return;
    }
    case 'settings':
      await settings(event, context);
      return;
    case 'link':
      await handleLinkCommand(event, context);
      return;
    default:
      await reply.send(event.chatId, { text: en.unknownCommand(event.command) });
  }
}
