import type { OutgoingMessage } from '../../channels/channel';
import {
  type NotificationPreferences,
  notificationDestinationOf,
  notificationPreferencesOf,
  type User,
  type UserNotificationChannel,
} from '../../domain/user';
import { en } from '../../messages/en';
import { E164_PHONE_NUMBER } from '../../notify/addresses';
import {
  CONFIRMATION_CODE,
  type CodeConfirmationResult,
  EMAIL_CONFIRMATION_LIMITS,
  EmailConfirmations,
} from '../../notify/preferences/email-confirmation';
import type { Action } from '../actions';
import type { ActionEvent, CommandEvent } from '../chat-event';
import type { HandlerContext } from '../handlers/context';
import { settingsButtons } from '../keyboards';

/** Words that remove an e-mail address or SMS number, as in `/settings sms remove`. */
const REMOVE_WORDS = new Set(['remove', 'delete', 'off', 'none']);

/** A notification button press. */
export type NotificationAction = Extract<Action, { type: 'set-notification' | 'notifications-off' }>;

/** Returns the /settings message: currency, time zone and notifications, with their buttons. */
export function settingsView(user: User): OutgoingMessage {
  return { text: en.settingsOverview(user), buttons: settingsButtons(user) };
}

function confirmationsOf(context: HandlerContext): EmailConfirmations {
  const { dependencies } = context;

  return new EmailConfirmations({
    users: dependencies.users,
    queue: dependencies.notificationQueue,
    now: () => dependencies.now(),
  });
}

function hasReachableChannel(user: User, preferences: NotificationPreferences): boolean {
  return preferences.channels.some((channel) => notificationDestinationOf(user, channel) !== undefined);
}

function withChannel(
  preferences: NotificationPreferences,
  channel: UserNotificationChannel,
  enabled: boolean,
): UserNotificationChannel[] {
  const others = preferences.channels.filter((chosen) => chosen !== channel);

  return enabled ? [...others, channel] : others;
}

/**
 * Returns the preferences with everything off. The confirmed address and the number stay, so the user can
 * turn them back on.
 */
function allOff(preferences: NotificationPreferences): NotificationPreferences {
  return { ...preferences, weeklySummary: false, channels: [] };
}

/**
 * Handles `/settings email|sms|notifications …`. Returns false for any other field, which the caller
 * handles (currency, time zone, usage).
 */
export async function handleNotificationSettingsCommand(
  event: CommandEvent,
  context: HandlerContext,
): Promise<boolean> {
  const [field = '', ...rest] = event.args.trim().split(/\s+/);
  const value = rest.join(' ');
  switch (field.toLowerCase()) {
    case 'email':
    case 'e-mail':
      await emailCommand(event, value, context);
      return true;
    case 'sms':
    case 'phone':
      await smsCommand(event, value, context);
      return true;
    case 'notifications':
    case 'notification':
      await notificationsCommand(event, value.toLowerCase(), context);
      return true;
    default:
      return false;
  }
}

async function emailCommand(event: CommandEvent, value: string, context: HandlerContext): Promise<void> {
  const { dependencies, reply, user } = context;
  if (value === '') {
    await reply.send(event.chatId, { text: en.emailUsage() });
    return;
  }
  if (REMOVE_WORDS.has(value.toLowerCase())) {
    const preferences = notificationPreferencesOf(user);
    await dependencies.users.setNotificationPreferences(
      user.userId,
      { ...preferences, email: undefined, channels: withChannel(preferences, 'email', false) },
      { clearEmailConfirmation: true },
    );
    dependencies.logger.info('Removed the e-mail address', { eventKey: event.eventKey, userId: user.userId });
    await reply.send(event.chatId, { text: en.emailRemoved() });
    return;
  }
  if (CONFIRMATION_CODE.test(value)) {
    await confirmEmailCode(event, value, context);
    return;
  }

  const result = await confirmationsOf(context).requestCode(user, value, {
    requestId: event.eventKey,
    correlationId: context.correlationId,
  });
  dependencies.logger.info('E-mail confirmation code requested', {
    eventKey: event.eventKey,
    userId: user.userId,
    outcome: result.status,
  });
  switch (result.status) {
    case 'sent':
      await reply.send(event.chatId, { text: en.emailCodeSent(result.address, result.expiresInMinutes) });
      return;
    case 'unavailable':
      await reply.send(event.chatId, { text: en.emailUnavailable() });
      return;
    case 'invalid-address':
      await reply.send(event.chatId, { text: en.invalidEmail(value) });
      return;
    case 'already-confirmed':
      await reply.send(event.chatId, { text: en.emailAlreadyConfirmed(result.address) });
      return;
    case 'too-soon':
      await reply.send(event.chatId, { text: en.emailCodeTooSoon(result.retryAfterSeconds) });
      return;
    case 'limit-reached':
      await reply.send(event.chatId, { text: en.emailCodeLimitReached(result.maxCodes) });
      return;
  }
}

async function smsCommand(event: CommandEvent, value: string, context: HandlerContext): Promise<void> {
  const { dependencies, reply, user } = context;
  if (value === '') {
    await reply.send(event.chatId, { text: en.smsUsage() });
    return;
  }

  const preferences = notificationPreferencesOf(user);
  if (REMOVE_WORDS.has(value.toLowerCase())) {
    await dependencies.users.setNotificationPreferences(user.userId, {
      ...preferences,
      phoneNumber: undefined,
      channels: withChannel(preferences, 'sms', false),
    });
    dependencies.logger.info('Removed the SMS number', { eventKey: event.eventKey, userId: user.userId });
    await reply.send(event.chatId, { text: en.smsRemoved() });
    return;
  }

  // People write numbers with spaces, dashes, dots and brackets: `+1 (555) 123-4567`.
  const phoneNumber = value.replace(/[\s().-]/g, '');
  if (!E164_PHONE_NUMBER.test(phoneNumber)) {
    await reply.send(event.chatId, { text: en.invalidPhoneNumber(value) });
    return;
  }

  // NOTE: the number is not verified by a code as the e-mail address is, so a typo sends SMS to a stranger.
  await dependencies.users.setNotificationPreferences(user.userId, {
    ...preferences,
    phoneNumber,
    channels: withChannel(preferences, 'sms', true),
  });
  dependencies.logger.info('Saved the SMS number', { eventKey: event.eventKey, userId: user.userId });
  await reply.send(event.chatId, { text: en.smsNumberSaved(phoneNumber, preferences.weeklySummary) });
}

async function notificationsCommand(
  event: CommandEvent,
  value: string,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const preferences = notificationPreferencesOf(user);
  if (value === 'off') {
    await dependencies.users.setNotificationPreferences(user.userId, allOff(preferences), {
      clearEmailConfirmation: true,
    });
    dependencies.logger.info('Turned notifications off', { eventKey: event.eventKey, userId: user.userId });
    await reply.send(event.chatId, { text: en.notificationsOff() });
    return;
  }
  if (value === 'on') {
    await dependencies.users.setNotificationPreferences(user.userId, { ...preferences, weeklySummary: true });
    dependencies.logger.info('Turned the weekly summary on', {
      eventKey: event.eventKey,
      userId: user.userId,
    });
    await reply.send(event.chatId, { text: en.weeklySummaryOn(hasReachableChannel(user, preferences)) });
    return;
  }

  await reply.send(event.chatId, { text: en.notificationsUsage() });
}

/**
 * Returns the code in a plain message that is a six-digit code and nothing else, while the user is waiting
 * to confirm an e-mail address or confirmed one within a code's lifetime. Otherwise returns `undefined`.
 * The second case covers a retry of the message that confirmed the address, when its reply failed: it
 * must not become a transaction of 123,456.
 */
export function pendingConfirmationCode(user: User, text: string, nowMs: number): string | undefined {
  const code = text.trim();
  if (!CONFIRMATION_CODE.test(code)) {
    return undefined;
  }
  const confirmedAtEpochMs = user.notifications?.email?.confirmedAtEpochMs ?? 0;
  const recentlyConfirmed = nowMs - confirmedAtEpochMs < EMAIL_CONFIRMATION_LIMITS.codeLifetimeMs;

  return user.emailConfirmation !== undefined || recentlyConfirmed ? code : undefined;
}

/** Checks a confirmation code from `/settings email 123456` or a plain message, and replies with the outcome. */
export async function confirmEmailCode(
  event: Pick<CommandEvent, 'eventKey' | 'chatId'>,
  code: string,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const result = await confirmationsOf(context).confirm(user, code);
  dependencies.logger.info('E-mail confirmation code checked', {
    eventKey: event.eventKey,
    userId: user.userId,
    outcome: result.status,
  });
  await reply.send(event.chatId, { text: confirmationReply(result, user) });
}

function confirmationReply(result: CodeConfirmationResult, user: User): string {
  const confirmedAddress = user.notifications?.email?.address;
  switch (result.status) {
    case 'confirmed':
      return en.emailConfirmed(result.address, notificationPreferencesOf(result.user).weeklySummary);
    case 'wrong-code':
      return en.emailCodeWrong(result.attemptsLeft);
    case 'too-many-attempts':
      return en.emailCodeAttemptsUsedUp();
    case 'expired':
      return en.emailCodeExpired();
    case 'none-pending':
      // Also the outcome of a retried confirmation whose first attempt succeeded.
      return confirmedAddress === undefined
        ? en.noEmailPending()
        : en.emailAlreadyConfirmed(confirmedAddress);
  }
}

/**
 * Applies a notification button from the /settings message and redraws that message. A channel without a
 * destination is not turned on, and the press gets a notice that explains how to set it up.
 */
export async function handleNotificationAction(
  action: NotificationAction,
  event: ActionEvent,
  context: HandlerContext,
): Promise<void> {
  const { dependencies, reply, user } = context;
  const preferences = notificationPreferencesOf(user);
  let updated: NotificationPreferences;
  let clearEmailConfirmation = false;
  if (action.type === 'notifications-off') {
    updated = allOff(preferences);
    clearEmailConfirmation = true;
  } else if (action.setting === 'weekly') {
    updated = { ...preferences, weeklySummary: action.enabled };
  } else {
    if (action.enabled && notificationDestinationOf(user, action.setting) === undefined) {
      await reply.acknowledge(event.actionId, en.channelNeedsSetup(action.setting));
      return;
    }
    updated = { ...preferences, channels: withChannel(preferences, action.setting, action.enabled) };
  }

  await reply.acknowledge(event.actionId, en.notificationSettingSaved());
  const stored = await dependencies.users.setNotificationPreferences(user.userId, updated, {
    clearEmailConfirmation,
  });
  dependencies.logger.info('Changed notification settings', {
    eventKey: event.eventKey,
    userId: user.userId,
    weeklySummary: updated.weeklySummary,
    channels: updated.channels,
  });
  await reply.edit(event.target, settingsView(stored));
}
