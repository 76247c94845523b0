/** A chat channel the bot is reachable on. */
export type Channel = 'telegram';

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
  createdAtEpochMs: number;
  updatedAtEpochMs: number;
}
