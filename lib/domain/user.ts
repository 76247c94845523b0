import type { Category } from './categories';
/** Chat channels the bot is reachable on. */
export const CHANNELS = ['telegram', 'whatsapp'] as const;

/** A chat channel the bot is reachable on. */
export type Channel = (typeof CHANNELS)[number];

/** Input the bot expects next from the user after a button press, such as a corrected amount. */
export interface PendingAction {
  type: 'edit-transaction';
  transactionId: string;
  /** Epoch milliseconds after which the pending action is ignored. */
  expiresAtEpochMs: number;
}

/** A person using the bot, whatever channel they write from. */
export interface User {
  userId: string;
  /** Channel identities such as `telegram:11110001`. */
  identities: string[];
  languageCode?: string;
  displayName?: string;
  homeCurrency: string;
  timeZone: string;
  /** `inactive` after the user blocked the bot; no messages are sent then. */
  status: 'active' | 'inactive';
  /** Whether the user chose a currency and time zone, or still has the defaults. */
  settingsConfirmed: boolean;
  pendingAction?: PendingAction;
  /** Notification preferences. Missing means {@link DEFAULT_NOTIFICATION_PREFERENCES}: no notifications. */
  notifications?: NotificationPreferences;
  /** The e-mail address waiting for its confirmation code, if the user asked for one. */
  emailConfirmation?: PendingEmailConfirmation;
  /** Confirmation codes sent in the current 24-hour window, to limit e-mails to unconfirmed addresses. */
  emailCodeRequests?: EmailCodeRequests;
  /** The push endpoint of the user's mobile device, if one was registered. */
  pushChannel?: PushChannel;
  /** The user's unused link code from /link, if any. */
  linkCode?: IssuedLinkCode;
  /** Link codes issued in the current 24-hour window. */
  linkCodeRequests?: RequestCount;
  /** Wrong or expired link codes this user sent in the current window, to stop guessing. */
  linkCodeFailures?: RequestCount;
  /** A link this user started by sending another user's code and that is not finished yet. */
  pendingLink?: PendingLink;
  /** Key of the chat event whose link code last merged another user into this one. */
  lastLinkEventKey?: string;
  /** The user this one was merged into by /link. A merged user has no identities left and stays inactive. */
  mergedInto?: string;
  /**
   * Merchants the user moved to another category, newest first. The AI prompt carries them so its answers
   * follow the user's choices.
   */
  categoryCorrections?: CategoryCorrection[];
  /** Whether /stats adds an AI summary of the month (`/settings insights on`). Missing means off. */
  aiInsights?: boolean;
  createdAtEpochMs: number;
  updatedAtEpochMs: number;
}

/** A merchant the user moved to `category`. */
export interface CategoryCorrection {
  merchant: string;
  category: Category;
}

/** Channels on which a user can receive their own notifications, such as the weekly summary. */
export const USER_NOTIFICATION_CHANNELS = ['email', 'push', 'sms'] as const;

/** A channel on which a user can receive their own notifications. */
export type UserNotificationChannel = (typeof USER_NOTIFICATION_CHANNELS)[number];

/** An e-mail address that the user confirmed by sending back the code mailed to it. */
export interface ConfirmedEmail {
  address: string;
  confirmedAtEpochMs: number;
}

/** The user's notification choices, kept in the `notifications` attribute of their item. */
export interface NotificationPreferences {
  /** Whether the user receives the weekly summary. */
  weeklySummary: boolean;
  /** Channels the user chose. A channel without a destination (address, number, device) is skipped. */
  channels: UserNotificationChannel[];
  email?: ConfirmedEmail;
  /** E.164 number for SMS, such as `+15551234567`. It is not verified. */
  phoneNumber?: string;
}

/** Preferences of a user who never chose any: no notifications at all. */
export const DEFAULT_NOTIFICATION_PREFERENCES: Readonly<NotificationPreferences> = Object.freeze({
  weeklySummary: false,
  channels: [],
});

/**
 * A confirmation code on its way to an e-mail address. Only a salted scrypt hash of the code is stored. The
 * code works once, until `expiresAtEpochMs`, and for fewer than the allowed number of wrong attempts.
 */
export interface PendingEmailConfirmation {
  /** The address to confirm. */
  address: string;
  /** Hex scrypt hash of the code with `codeSalt`. */
  codeHash: string;
  /** Hex random salt of `codeHash`. */
  codeSalt: string;
  /** Key of the chat event that asked for the code, so a retry of that event does not send a second one. */
  requestId: string;
  /** Whether the e-mail with the code is on the notification queue. */
  enqueued: boolean;
  failedAttempts: number;
  requestedAtEpochMs: number;
  expiresAtEpochMs: number;
}

/** Count of confirmation codes sent since `windowStartEpochMs`. */
export interface EmailCodeRequests {
  windowStartEpochMs: number;
  count: number;
  lastRequestedAtEpochMs: number;
}

/** Count of requests, such as link codes issued, since `windowStartEpochMs`. */
export type RequestCount = EmailCodeRequests;

/** A link code that a user got from /link. Only the SHA-256 hash of the code is stored. */
export interface IssuedLinkCode {
  /** Hex SHA-256 of the normalized code, also the key of the code's item in the identities table. */
  codeHash: string;
  /** Key of the chat event that issued the code, so a retry of that event does not count a second code. */
  requestId: string;
  issuedAtEpochMs: number;
  expiresAtEpochMs: number;
}

/**
 * A link in progress: this user's transactions are moving to `intoUserId`. It stays until the link is
 * committed or rolled back, so a retry after a crash can finish or undo the move.
 */
export interface PendingLink {
  intoUserId: string;
  /** Hex SHA-256 of the code being redeemed. */
  codeHash: string;
  startedAtEpochMs: number;
}

/**
 * The push endpoint of the user's device (an SNS platform endpoint). The mobile app that registers it does
 * not exist yet; the push sender marks it `disabled` when SNS reports the endpoint as disabled.
 */
export interface PushChannel {
  status: 'enabled' | 'disabled';
  endpointArn: string;
}

/** Returns the channels the user has an identity on, from identities of the form `<channel>:<id>`. */
export function channelsOf(user: Pick<User, 'identities'>): Channel[] {
  return CHANNELS.filter((channel) => user.identities.some((identity) => identity.startsWith(`${channel}:`)));
}

/** Returns the user's notification preferences, or the defaults when they never chose any. */
export function notificationPreferencesOf(user: Pick<User, 'notifications'>): NotificationPreferences {
  const stored = user.notifications;
  if (stored === undefined) {
    return { ...DEFAULT_NOTIFICATION_PREFERENCES, channels: [] };
  }

  return {
    ...stored,
    weeklySummary: stored.weeklySummary === true,
    channels: (stored.channels ?? []).filter((channel) => USER_NOTIFICATION_CHANNELS.includes(channel)),
  };
}

/**
 * Returns where the user receives notifications on `channel`: the confirmed e-mail address, the SMS number,
 * or the enabled push endpoint. Returns `undefined` when the channel has none, so it cannot be used.
 */
export function notificationDestinationOf(
  user: Pick<User, 'notifications' | 'pushChannel'>,
  channel: UserNotificationChannel,
): string | undefined {
  switch (channel) {
    case 'email':
      return user.notifications?.email?.address;
    case 'sms':
      return user.notifications?.phoneNumber;
    case 'push':
      return user.pushChannel?.status === 'enabled' ? user.pushChannel.endpointArn : undefined;
  }
}
