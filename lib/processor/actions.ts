import { CATEGORY_CODES, type Category, categoryFromCode } from '../domain/categories';
import { USER_NOTIFICATION_CHANNELS, type UserNotificationChannel } from '../domain/user';

/** A notification setting that a /settings button turns on or off. */
export type NotificationSetting = 'weekly' | UserNotificationChannel;

const NOTIFICATION_SETTINGS: readonly string[] = ['weekly', ...USER_NOTIFICATION_CHANNELS];

/** Action requested by a button press. */
export type Action =
  /** `open` sends the transaction in a new message; `show` turns the message with the button into it. */
  | { type: 'confirm' | 'edit' | 'delete' | 'choose-category' | 'show' | 'open'; transactionId: string }
  /** Confirms every draft of an album that is still pending. */
  | { type: 'confirm-album'; albumId: string }
  | { type: 'set-category'; transactionId: string; category: Category }
  | { type: 'set-currency'; currency: string }
  /** Carries the state to set, not a toggle, so a double tap or an old message cannot flip it back. */
  | { type: 'set-notification'; setting: NotificationSetting; enabled: boolean }
  | { type: 'notifications-off' }
  /** Turns the AI summary of /stats on or off. Like the notification buttons, it carries the state to set. */
  | { type: 'set-insights'; enabled: boolean };

const SIMPLE_PREFIXES = {
  confirm: 'c',
  edit: 'e',
  delete: 'd',
  'choose-category': 'k',
  show: 'v',
  open: 'o',
} as const;

const SIMPLE_BY_PREFIX = new Map<string, string>(
  Object.entries(SIMPLE_PREFIXES).map(([type, prefix]) => [prefix, type]),
);

const TRANSACTION_ID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Encodes an action as button data. Every form stays well under Telegram's 64-byte `callback_data` limit:
 * the longest is `cat:transport:` plus a transaction id of up to 40 characters. The longest notification
 * setting is 14 bytes (`ntf:weekly:off`).
 */
export function encodeAction(action: Action): string {
  switch (action.type) {
    case 'set-category':
      return `cat:${CATEGORY_CODES[action.category]}:${action.transactionId}`;
    case 'set-currency':
      return `cur:${action.currency}`;
    case 'set-notification':
      return `ntf:${action.setting}:${action.enabled ? 'on' : 'off'}`;
    case 'notifications-off':
      return 'ntf:all:off';
    case 'set-insights':
      return `ins:${action.enabled ? 'on' : 'off'}`;
    case 'confirm-album':
      return `ca:${action.albumId}`;
    default:
      return `${SIMPLE_PREFIXES[action.type]}:${action.transactionId}`;
  }
}

/** Decodes button data, or returns `undefined` for data this bot never produced. */
export function decodeAction(data: string): Action | undefined {
  const parts = data.split(':');
  if (parts[0] === 'cat' && parts.length === 3) {
    const category = categoryFromCode(parts[1]!);
    return category !== undefined && TRANSACTION_ID.test(parts[2]!)
      ? { type: 'set-category', category, transactionId: parts[2]! }
      : undefined;
  }
  if (parts[0] === 'cur' && parts.length === 2) {
    return /^[A-Z]{3}$/.test(parts[1]!) ? { type: 'set-currency', currency: parts[1]! } : undefined;
  }
  if (parts[0] === 'ins' && parts.length === 2) {
    return parts[1] === 'on' || parts[1] === 'off'
      ? { type: 'set-insights', enabled: parts[1] === 'on' }
      : undefined;
  }
  if (parts[0] === 'ca' && parts.length === 2) {
    return TRANSACTION_ID.test(parts[1]!) ? { type: 'confirm-album', albumId: parts[1]! } : undefined;
  }
  if (parts[0] === 'ntf' && parts.length === 3) {
    return decodeNotificationAction(parts[1]!, parts[2]!);
  }

  const type = SIMPLE_BY_PREFIX.get(parts[0] ?? '');
  if (type === undefined || parts.length !== 2 || !TRANSACTION_ID.test(parts[1]!)) {
    return undefined;
  }

  return { type: type as keyof typeof SIMPLE_PREFIXES, transactionId: parts[1]! };
}

function decodeNotificationAction(setting: string, state: string): Action | undefined {
  if (state !== 'on' && state !== 'off') {
    return undefined;
  }
  if (setting === 'all') {
    return state === 'off' ? { type: 'notifications-off' } : undefined;
  }
  if (!NOTIFICATION_SETTINGS.includes(setting)) {
    return undefined;
  }

  return { type: 'set-notification', setting: setting as NotificationSetting, enabled: state === 'on' };
}
