import type { ActionButton } from '../channels/channel';
import { CATEGORIES } from '../domain/categories';
import type { Transaction } from '../domain/transaction';
import {
  notificationDestinationOf,
  notificationPreferencesOf,
  USER_NOTIFICATION_CHANNELS,
  type User,
} from '../domain/user';
import { buttons } from '../messages/en';
import { encodeAction } from './actions';

/** Buttons under a transaction: Confirm (until confirmed), Edit, Delete and Change category. */
export function transactionButtons(transaction: Transaction): ActionButton[][] {
  const id = transaction.transactionId;
  const edit = { label: buttons.edit, action: encodeAction({ type: 'edit', transactionId: id }) };
  const remove = { label: buttons.delete, action: encodeAction({ type: 'delete', transactionId: id }) };
  const category = {
    label: buttons.changeCategory,
    action: encodeAction({ type: 'choose-category', transactionId: id }),
  };
  if (transaction.status === 'confirmed') {
    return [[edit, remove], [category]];
  }

  return [
    [{ label: buttons.confirm, action: encodeAction({ type: 'confirm', transactionId: id }) }, edit],
    [remove, category],
  ];
}

/** Builds the category keyboard: the 15 categories two per row, then a button back to the transaction. */
export function categoryButtons(transaction: Transaction): ActionButton[][] {
  const rows: ActionButton[][] = [];
  for (let index = 0; index < CATEGORIES.length; index += 2) {
    rows.push(
      CATEGORIES.slice(index, index + 2).map((category) => ({
        label: category === transaction.category ? `• ${category}` : category,
        action: encodeAction({ type: 'set-category', category, transactionId: transaction.transactionId }),
      })),
    );
  }
  rows.push([
    { label: buttons.back, action: encodeAction({ type: 'show', transactionId: transaction.transactionId }) },
  ]);

  return rows;
}

/** Home currencies offered as buttons in /start and /settings; any other code works through the command. */
export const SUGGESTED_CURRENCIES = ['USD', 'EUR', 'GBP', 'INR', 'BRL', 'CAD', 'AUD', 'JPY'] as const;

/** Currency buttons for the settings prompt, four per row. */
export function currencyButtons(): ActionButton[][] {
  const rows: ActionButton[][] = [];
  for (let index = 0; index < SUGGESTED_CURRENCIES.length; index += 4) {
    rows.push(
      SUGGESTED_CURRENCIES.slice(index, index + 4).map((currency) => ({
        label: currency,
        action: encodeAction({ type: 'set-currency', currency }),
      })),
    );
  }

  return rows;
}

/**
 * Notification buttons of the settings: the weekly summary, one button per channel (✅ when it is on and
 * has a destination) and one that turns everything off. Each button carries the state it sets.
 */
export function notificationButtons(user: User): ActionButton[][] {
  const preferences = notificationPreferencesOf(user);
  const weekly = preferences.weeklySummary;
  const channels = USER_NOTIFICATION_CHANNELS.map((channel) => {
    const on =
      preferences.channels.includes(channel) && notificationDestinationOf(user, channel) !== undefined;
    return {
      label: `${on ? '✅' : '⬜'} ${buttons[channel]}`,
      action: encodeAction({ type: 'set-notification', setting: channel, enabled: !on }),
    };
  });

  return [
    [
      {
        label: weekly ? buttons.weeklySummaryOff : buttons.weeklySummaryOn,
        action: encodeAction({ type: 'set-notification', setting: 'weekly', enabled: !weekly }),
      },
    ],
    channels,
    [{ label: buttons.notificationsOff, action: encodeAction({ type: 'notifications-off' }) }],
  ];
}

/** Builds the button that turns the AI summary of /stats on when it is off, and off when it is on. */
export function insightsButton(user: Pick<User, 'aiInsights'>): ActionButton {
  const on = user.aiInsights === true;

  return {
    label: on ? buttons.insightsOff : buttons.insightsOn,
    action: encodeAction({ type: 'set-insights', enabled: !on }),
  };
}

/** Buttons of the /settings message: the currencies, the notification settings, then the AI summary. */
export function settingsButtons(user: User): ActionButton[][] {
  return [...currencyButtons(), ...notificationButtons(user), [insightsButton(user)]];
}
